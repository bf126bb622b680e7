import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../security/audit';
import { UserStore } from '../security/users';
import { openIdentityDb } from '../store/sqlDb';
import { runUsersCli } from './users';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function run(dir: string, argv: string[], extra: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await runUsersCli(argv, { DATA_DIR: dir, ...extra }, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}

describe('npm run users', () => {
  it('adds a commune leader with a generated password that verifies, lists, disables and audits, all as cli', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ioc-users-'));
    dirs.push(dir);
    const add = await run(dir, ['add', 'chu.tich.xa', '--role', 'leader', '--name', 'Chủ tịch UBND xã', '--communes', '51001,51004']);
    expect(add.code).toBe(0);
    const pw = /password \(shown once\): (\S+)/.exec(add.out)![1]!;
    expect((await run(dir, ['list'])).out).toMatch(/chu\.tich\.xa\s+leader\s+Chủ tịch UBND xã {2}\[xã: 51001, 51004\]/);
    expect((await run(dir, ['disable', 'chu.tich.xa'])).code).toBe(0);
    expect((await run(dir, ['passwd', 'chu.tich.xa'], { IOC_USER_PASSWORD: 'một-mật-khẩu-mới' })).out).toBe('password of chu.tich.xa changed');
    const db = await openIdentityDb({ province: 'quang-ngai', dataDir: dir });
    try {
      const users = await UserStore.open(db, Date.now);
      expect(await users.verifyPassword('chu.tich.xa', pw)).toEqual({ error: 'password' });
      expect(await users.verifyPassword('chu.tich.xa', 'một-mật-khẩu-mới')).toEqual({ error: 'disabled' });
      const audit = await (await AuditLog.open(db, Date.now)).query();
      expect(audit.map((e) => `${e.actor} ${e.action} ${e.target}`)).toEqual(['cli user.password chu.tich.xa', 'cli user.disable chu.tich.xa', 'cli user.create chu.tich.xa']);
    } finally {
      await db.close();
    }
  });

  it('refuses bad input with the usage (exit 2) and a duplicate with exit 1', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ioc-users-'));
    dirs.push(dir);
    expect((await run(dir, ['add', 'x!', '--role', 'leader'])).code).toBe(2);
    expect((await run(dir, ['add', 'an', '--role', 'king'])).out).toMatch(/--role must be one of/);
    expect((await run(dir, ['add', 'an', '--role', 'viewer', '--communes', 'abc'])).code).toBe(2);
    expect((await run(dir, ['frobnicate'])).code).toBe(2);
    expect((await run(dir, ['add', 'an', '--role', 'viewer'], { IOC_USER_PASSWORD: 'short' })).out).toMatch(/tối thiểu 10/);
    expect((await run(dir, ['add', 'an', '--role', 'viewer'])).code).toBe(0);
    const dup = await run(dir, ['add', 'an', '--role', 'viewer']);
    expect(dup).toEqual({ code: 1, out: "users: user 'an' already exists" });
  });
});
