/** Users, displays and sessions behind the SQL port, the same tests on SQLite and PostgreSQL. */
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { sqlEngines } from '../store/sqlDbEngines';
import type { SqlDb } from '../store/sqlDb';
import { DisplayStore } from './displays';
import { serverKey } from './keys';
import { SqlSessionStore } from './sessionStore';
import { UserStore } from './users';
import { nearMiss } from '../../test/support/tamper';

for (const engine of sqlEngines(inject('databaseUrl'))) {
  describe(`identity stores on ${engine.name}`, () => {
    let db: SqlDb;
    let dispose: () => Promise<void>;
    let now = 1_780_000_000_000;
    beforeEach(async () => ({ db, dispose } = await engine.open()));
    afterEach(() => dispose());

    it('stores argon2id hashes, verifies passwords, refuses the disabled, and bumps the version on change', async () => {
      const users = await UserStore.open(db, () => now);
      const u = await users.create({ username: 'an', displayName: 'Nguyễn Văn An', role: 'operator', password: 'mật-khẩu-rất-dài', communes: ['51001'] });
      const row = await db.get<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [u.id]);
      expect(row!.password_hash).toMatch(/^\$argon2id\$/);
      expect(await users.verifyPassword('an', 'sai')).toEqual({ error: 'password' });
      expect(await users.verifyPassword('ai-đó', 'sai')).toEqual({ error: 'unknown' });
      now += 1000;
      const ok = await users.verifyPassword('an', 'mật-khẩu-rất-dài');
      expect('user' in ok && ok.user).toMatchObject({ username: 'an', role: 'operator', communes: ['51001'] });
      expect((await users.byName('an'))!.lastLoginAt).toBe(now);
      const changed = await users.update('an', { role: 'leader', disabled: true });
      expect(changed).toMatchObject({ role: 'leader', disabled: true, version: u.version + 1 });
      expect(await users.verifyPassword('an', 'mật-khẩu-rất-dài')).toEqual({ error: 'disabled' });
      expect(await users.update('nobody', { role: 'viewer' })).toBeUndefined();
    });

    it('keeps only an HMAC of a display token; a revoked token binds nothing; last-seen written at most once a minute', async () => {
      const displays = await DisplayStore.open(db, await serverKey(db, 'display-token'), () => now);
      const d = await displays.create('Tường chính', 'admin');
      expect(d.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const stored = await db.all<{ token_hmac: string }>('SELECT token_hmac FROM displays');
      expect(JSON.stringify(stored)).not.toContain(d.token);
      expect((await displays.byToken(d.token))?.id).toBe(d.id);
      expect(await displays.byToken(nearMiss(d.token))).toBeUndefined();
      await displays.seen(d.id);
      const first = (await displays.byId(d.id))!.lastSeenAt;
      now += 30_000;
      await displays.seen(d.id);
      expect((await displays.byId(d.id))!.lastSeenAt).toBe(first);
      now += 31_000;
      await displays.seen(d.id);
      expect((await displays.byId(d.id))!.lastSeenAt).toBe(now);
      expect(await displays.revoke(d.id)).toBe(true);
      expect(await displays.revoke(d.id)).toBe(false);
      expect(await displays.byToken(d.token)).toBeUndefined();
    });

    it('keeps sessions until they expire, ends a principal’s sessions, and prunes the expired', async () => {
      const store = await SqlSessionStore.open(db, () => now);
      const set = (sid: string, principal: string, ms: number) =>
        new Promise<void>((resolve, reject) => store.set(sid, { cookie: { originalMaxAge: ms, expires: new Date(now + ms) }, principal } as never, (e) => (e ? reject(e as Error) : resolve())));
      const get = (sid: string) => new Promise<unknown>((resolve, reject) => store.get(sid, (e, v) => (e ? reject(e as Error) : resolve(v))));
      await set('a', 'user:1', 60_000);
      await set('b', 'user:1', 60_000);
      await set('c', 'display:2', 10_000);
      expect(await get('a')).toMatchObject({ principal: 'user:1' });
      now += 20_000;
      expect(await get('c')).toBeNull();
      expect(await store.prune()).toBe(1);
      expect(await store.destroyPrincipal('user:1')).toBe(2);
      expect(await get('a')).toBeNull();
      expect(await store.count()).toBe(0);
    });

    it('generates a server key once and returns the same one after', async () => {
      const k1 = await serverKey(db, 'session');
      expect(k1).toHaveLength(32);
      expect((await serverKey(db, 'session')).equals(k1)).toBe(true);
      expect((await serverKey(db, 'display-token')).equals(k1)).toBe(false);
    });
  });
}
