import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { credentialsFor, loadCredentials } from './credentials';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function file(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ioc-creds-'));
  dirs.push(dir);
  const f = path.join(dir, 'c.json');
  writeFileSync(f, text);
  return f;
}

describe('--credentials FILE', () => {
  it('one credential serves every connection; a list serves each device its own and the clock none', async () => {
    const one = await loadCredentials(file('{"username":"@gateway","password":"s"}'));
    expect(credentialsFor(one, 'qng-air-0001')).toEqual({ username: '@gateway', password: 's' });
    expect(credentialsFor(one, null)).toEqual({ username: '@gateway', password: 's' });
    const list = await loadCredentials(file('[{"username":"qng-air-0001","password":"a"},{"username":"qng-air-0002","password":"b"}]'));
    expect(credentialsFor(list, 'qng-air-0002')).toEqual({ username: 'qng-air-0002', password: 'b' });
    expect(credentialsFor(list, 'qng-air-0003')).toBeUndefined();
    expect(credentialsFor(list, null)).toBeUndefined();
    expect(credentialsFor(undefined, 'qng-air-0001')).toBeUndefined();
  });

  it('says what is wrong with a bad file', async () => {
    await expect(loadCredentials(file('{nope'))).rejects.toThrow(/--credentials .*c\.json: .*JSON/);
    await expect(loadCredentials(file('{"username":"x"}'))).rejects.toThrow(/expected \{"username","password"\} or a list/);
    await expect(loadCredentials('/nonexistent/c.json')).rejects.toThrow(/ENOENT/);
  });
});
