import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRateFile, saveRateFile } from './rateFile';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the rate history file', () => {
  it('round-trips the samples, and reads a missing, broken or foreign file as no history', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ioc-rate-'));
    dirs.push(dir);
    const file = path.join(dir, 'rate.json');
    expect(await loadRateFile(file)).toEqual([]);
    await saveRateFile(file, [
      [100, 3],
      [101, 4],
    ]);
    expect(await loadRateFile(file)).toEqual([
      [100, 3],
      [101, 4],
    ]);
    writeFileSync(file, '{"version":1,"samples":[[1,2],"x",[3]]');
    expect(await loadRateFile(file)).toEqual([]);
    writeFileSync(file, '{"version":1,"samples":[[1,2],"x",[3]]}');
    expect(await loadRateFile(file)).toEqual([[1, 2]]);
    writeFileSync(file, '{"version":2,"samples":[[1,2]]}');
    expect(await loadRateFile(file)).toEqual([]);
  });
});
