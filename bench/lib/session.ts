/**
 * The bench's login: each bench server process creates a read-only user in its own (temp) identity store and
 * logs in over HTTP like a browser would; the session cookie goes to the socket clients and the browser.
 */
import { randomBytes } from 'node:crypto';
import type { App } from '../../server/app';

export async function benchCookie(app: Pick<App, 'url' | 'identity'>, role: 'viewer' | 'operator' = 'viewer'): Promise<string> {
  const username = `bench-${role}-${process.pid}`;
  const password = randomBytes(18).toString('base64url');
  await app.identity.users.create({ username, displayName: 'Bench', role, password });
  const res = await fetch(`${app.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw new Error(`bench login failed: HTTP ${res.status}`);
  const sid = res.headers.getSetCookie().find((c) => c.startsWith('ioc.sid='));
  if (!sid) throw new Error('bench login: no session cookie');
  return sid.split(';')[0]!;
}
