import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findClusterBinaries, findProgram } from './binaries';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function folderWith(...programs: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ioc-bins-'));
  dirs.push(dir);
  for (const p of programs) {
    writeFileSync(path.join(dir, p), '#!/bin/sh\n');
    chmodSync(path.join(dir, p), 0o755);
  }
  return dir;
}

describe('the programs npm run cluster runs', () => {
  it('are found on PATH first, then in the usual folder; a file that cannot run does not count', () => {
    const onPath = folderWith('nginx');
    const usual = folderWith('nginx', 'redis-server');
    writeFileSync(path.join(usual, 'mosquitto'), 'not executable');
    expect(findProgram('nginx', usual, onPath)).toBe(path.join(onPath, 'nginx'));
    expect(findProgram('redis-server', usual, onPath)).toBe(path.join(usual, 'redis-server'));
    expect(findProgram('mosquitto', usual, onPath)).toBeNull();
  });

  it('when missing are named with the apt-get line that installs them', () => {
    const empty = folderWith();
    const some = folderWith('redis-server');
    expect(findClusterBinaries(empty, { mosquitto: empty, redis: some, nginx: empty }, null)).toEqual({
      ok: false,
      missing: ['mosquitto', 'nginx', 'postgresql'],
      install: 'apt-get install mosquitto nginx postgresql',
    });
    const all = folderWith('mosquitto', 'redis-server', 'nginx');
    expect(findClusterBinaries('', { mosquitto: all, redis: all, nginx: all }, '/usr/lib/postgresql/15/bin')).toEqual({
      ok: true,
      bins: { mosquitto: path.join(all, 'mosquitto'), redis: path.join(all, 'redis-server'), nginx: path.join(all, 'nginx'), pg: '/usr/lib/postgresql/15/bin' },
    });
  });
});
