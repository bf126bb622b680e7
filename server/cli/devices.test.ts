import { mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../security/audit';
import { DeviceCredentials } from '../security/deviceCredentials';
import { openIdentityDb } from '../store/sqlDb';
import { runDevicesCli } from './devices';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function run(dir: string, argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await runDevicesCli(argv, { DATA_DIR: dir }, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}

describe('npm run devices', () => {
  it('issues a secret once, rotates and revokes it, lists, and audits each change as cli without the secret', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ioc-devices-'));
    dirs.push(dir);
    const first = await run(dir, ['credentials', 'qng-air-0001']);
    expect(first.code).toBe(0);
    const secret = /password \(shown once\): (\S+)/.exec(first.out)![1]!;
    const out = path.join(dir, 'dev.json');
    const second = await run(dir, ['credentials', 'qng-air-0001', '--out', out]);
    expect(second.out).toMatch(/rotated: the old secret no longer works/);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(out, 'utf8')) as { username: string; password: string };
    expect(file.username).toBe('qng-air-0001');
    expect((await run(dir, ['list'])).out).toMatch(/^qng-air-0001\s+hiệu lực/);
    expect(await run(dir, ['revoke', 'qng-air-0001'])).toMatchObject({ code: 0 });
    expect(await run(dir, ['revoke', 'qng-air-0001'])).toMatchObject({ code: 1 });
    expect((await run(dir, ['list'])).out).toMatch(/^qng-air-0001\s+THU HỒI .* thu hồi /);
    expect(await run(dir, ['credentials', 'qng-nothing-1'])).toMatchObject({ code: 1, out: "devices: no device 'qng-nothing-1' in the registry of quang-ngai" });
    expect((await run(dir, ['frobnicate'])).code).toBe(2);
    expect((await run(dir, ['mosquitto'])).code).toBe(2);

    const db = await openIdentityDb({ province: 'quang-ngai', dataDir: dir });
    try {
      const creds = await DeviceCredentials.open(db, Date.now);
      expect(await creds.verify('qng-air-0001', secret)).toBe('revoked');
      const audit = await (await AuditLog.open(db, Date.now)).query();
      expect(audit.map((e) => `${e.actor} ${e.action} ${e.target} ${JSON.stringify(e.detail)}`)).toEqual([
        'cli device.credentials.revoke qng-air-0001 null',
        'cli device.credentials qng-air-0001 {"rotated":true}',
        'cli device.credentials qng-air-0001 {"rotated":false}',
      ]);
      expect(JSON.stringify(audit)).not.toContain(secret);
      expect(JSON.stringify(audit)).not.toContain(file.password);
    } finally {
      await db.close();
    }
  });
});
