import { afterEach, describe, expect, it } from 'vitest';
import { CACHE_MAX, inScope, type Identity, type Principal } from './identity';
import { openTestIdentity } from './testing';

let identity: Identity | undefined;
afterEach(async () => {
  await identity?.close();
  identity = undefined;
});

describe('Identity', () => {
  it('creates the first admin once, and resolves a user’s principal with role and scope', async () => {
    identity = await openTestIdentity();
    const admin = await identity.users.byName('admin');
    expect(admin?.role).toBe('admin');
    const u = await identity.users.create({ username: 'xa', displayName: 'Chủ tịch xã', role: 'leader', password: 'mật-khẩu-dài-đủ', communes: ['51001'] });
    const p = await identity.resolve(`user:${u.id}`);
    expect(p).toMatchObject({ kind: 'user', role: 'leader', communes: ['51001'], username: 'xa' });
    expect(inScope(p!, '51001')).toBe(true);
    expect(inScope(p!, '51004')).toBe(false);
    expect(inScope(p!, null)).toBe(false);
    expect(await identity.resolve('user:999')).toBeNull();
    expect(await identity.resolve('nonsense')).toBeNull();
  });

  it('sees a disabled user at once after forget(), and ends its sockets through onPrincipalEnded', async () => {
    identity = await openTestIdentity();
    const u = await identity.users.create({ username: 'an', displayName: 'An', role: 'operator', password: 'mật-khẩu-dài-đủ' });
    const key = `user:${u.id}`;
    expect(await identity.resolve(key)).not.toBeNull();
    await identity.users.update('an', { disabled: true });
    // Cached for up to 2 s on its own…
    expect(await identity.resolve(key)).not.toBeNull();
    const ended: string[] = [];
    identity.onPrincipalEnded = (k, why) => ended.push(`${k} ${why}`);
    identity.ended(key, 'disabled');
    expect(ended).toEqual([`${key} disabled`]);
    expect(await identity.resolve(key)).toBeNull();
  });

  it('keeps at most CACHE_MAX principals cached, whatever keys it is asked for', async () => {
    identity = await openTestIdentity();
    for (let k = 0; k < CACHE_MAX + 50; k++) await identity.resolve(`user:${100_000 + k}`);
    expect(identity.cacheSize).toBeLessThanOrEqual(CACHE_MAX);
    expect(identity.cacheSize).toBeGreaterThan(0);
  });

  it('a principal for a display carries the display role and no scope', async () => {
    identity = await openTestIdentity();
    const d = await identity.displays.create('Tường 2', 'admin');
    const p = (await identity.resolve(`display:${d.id}`)) as Principal;
    expect(p).toMatchObject({ kind: 'display', role: 'display', communes: null, displayName: 'Tường 2' });
    await identity.displays.revoke(d.id);
    identity.forget(`display:${d.id}`);
    expect(await identity.resolve(`display:${d.id}`)).toBeNull();
  });
});
