/** Device credentials behind the SQL port, the same tests on SQLite and PostgreSQL. */
import { pbkdf2Sync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { sqlEngines } from '../store/sqlDbEngines';
import type { SqlDb } from '../store/sqlDb';
import { DeviceCredentials, mosquittoHash } from './deviceCredentials';
import { nearMiss } from '../../test/support/tamper';

describe('mosquittoHash', () => {
  it("matches what Debian's mosquitto_passwd -U wrote for the same password and salt", () => {
    // `printf 'u1:secretpw\n' > f && mosquitto_passwd -U f` (Mosquitto 2.0.11), salt taken from its output.
    const salt = Buffer.from('cqo4sELtogUR7N5T', 'base64');
    expect(mosquittoHash('secretpw', salt)).toBe(
      '$7$101$cqo4sELtogUR7N5T$/bhod8n+8AB/V0E51KoG9tjkzIl2lWemWHlihlwN6FxLcuuLMlNxhACAviDhHs2hH8EMopWyJqk/OuLfwxXEDw==',
    );
  });
});

for (const engine of sqlEngines(inject('databaseUrl'))) {
  describe(`device credentials on ${engine.name}`, () => {
    let db: SqlDb;
    let dispose: () => Promise<void>;
    let now = 1_780_000_000_000;
    beforeEach(async () => ({ db, dispose } = await engine.open()));
    afterEach(() => dispose());

    it('stores only an HMAC and a $7$ hash of a 256-bit secret, and verifies it', async () => {
      const creds = await DeviceCredentials.open(db, () => now);
      const { secret, rotated } = await creds.issue('qng-air-0001');
      expect(rotated).toBe(false);
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
      const rows = await db.all<Record<string, unknown>>('SELECT * FROM device_credentials');
      expect(JSON.stringify(rows)).not.toContain(secret);
      const row = rows[0] as { secret_hmac: string; mosquitto_hash: string };
      expect(Buffer.from(row.secret_hmac, 'base64').equals(creds.hmac(secret))).toBe(true);
      const [, , iterations, salt, hash] = row.mosquitto_hash.split('$');
      expect(pbkdf2Sync(secret, Buffer.from(salt!, 'base64'), Number(iterations), 64, 'sha512').toString('base64')).toBe(hash);

      expect(await creds.verify('qng-air-0001', secret)).toBe('ok');
      expect(await creds.verify('qng-air-0001', Buffer.from(secret))).toBe('ok');
      expect(await creds.verify('qng-air-0001', nearMiss(secret))).toBe('badSecret');
      expect(await creds.verify('qng-air-0001', '')).toBe('badSecret');
      expect(await creds.verify('qng-air-0002', secret)).toBe('unknownDevice');
      // Another device's secret is not this one's.
      const other = await creds.issue('qng-air-0002');
      expect(await creds.verify('qng-air-0001', other.secret)).toBe('badSecret');
    });

    it('rotation refuses the old secret at once; a revoke refuses every secret until a new one is issued', async () => {
      const creds = await DeviceCredentials.open(db, () => now);
      const first = await creds.issue('qng-hydro-0001');
      expect(await creds.verify('qng-hydro-0001', first.secret)).toBe('ok');
      const second = await creds.issue('qng-hydro-0001');
      expect(second.rotated).toBe(true);
      expect(await creds.verify('qng-hydro-0001', first.secret)).toBe('badSecret');
      expect(await creds.verify('qng-hydro-0001', second.secret)).toBe('ok');

      now += 1000;
      expect(await creds.revoke('qng-hydro-0001')).toBe(true);
      expect(await creds.revoke('qng-hydro-0001')).toBe(false);
      expect(await creds.revoke('nobody')).toBe(false);
      expect(await creds.verify('qng-hydro-0001', second.secret)).toBe('revoked');
      expect(await creds.list()).toEqual([{ deviceId: 'qng-hydro-0001', createdAt: now - 1000, rotatedAt: now - 1000, revokedAt: now }]);
      expect(await creds.mosquittoEntries()).toEqual([]);

      const third = await creds.issue('qng-hydro-0001');
      expect(await creds.verify('qng-hydro-0001', third.secret)).toBe('ok');
      expect((await creds.mosquittoEntries()).map((e) => e.deviceId)).toEqual(['qng-hydro-0001']);
    });

    it('a change made by another process (the CLI) is seen once the cache entry expires', async () => {
      const server = await DeviceCredentials.open(db, () => now, { cacheTtlMs: 2000 });
      const cli = await DeviceCredentials.open(db, () => now);
      const { secret } = await cli.issue('qng-rain-0001');
      expect(await server.verify('qng-rain-0001', secret)).toBe('ok');
      await cli.revoke('qng-rain-0001');
      now += 1999;
      expect(await server.verify('qng-rain-0001', secret)).toBe('ok');
      now += 1;
      expect(await server.verify('qng-rain-0001', secret)).toBe('revoked');
    });

    it('keeps at most cacheMax devices in its cache, dropping the oldest', async () => {
      const creds = await DeviceCredentials.open(db, () => now, { cacheMax: 3 });
      const secrets = new Map<string, string>();
      for (let i = 0; i < 5; i++) secrets.set(`d${i}`, (await creds.issue(`d${i}`)).secret);
      for (const [id, s] of secrets) expect(await creds.verify(id, s)).toBe('ok');
      expect(creds.cacheSize).toBe(3);
      // Unknown names are cached too (a flood of them must not reach the database each time), within the bound.
      for (let i = 0; i < 10; i++) expect(await creds.verify(`unknown-${i}`, 'x')).toBe('unknownDevice');
      expect(creds.cacheSize).toBe(3);
    });
  });
}
