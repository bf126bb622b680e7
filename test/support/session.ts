/**
 * Logged-in clients for tests: a user of a given role is created straight in the app's identity store, then
 * logs in over HTTP like anyone else; the session cookie and CSRF token go on every request `authFetch`
 * makes to that app, and on sockets opened with `sessionHeaders`. `anonymousFetch` is plain fetch, named so a
 * test that means to be anonymous says so.
 */
import type { PersonRole } from '../../shared/auth';
import { CSRF_HEADER } from '../../shared/auth';
import type { App } from '../../server/app';

export interface TestSession {
  username: string;
  cookie: string;
  csrf: string;
  /** fetch with this session's cookie (and CSRF token on writes). */
  fetch(url: string, init?: RequestInit): Promise<Response>;
}

export const TEST_PASSWORD = 'mật-khẩu-thử-nghiệm-1';

/** The default session of each app (by origin), used by authFetch and the harness's helpers. */
const defaults = new Map<string, TestSession>();

export const anonymousFetch: typeof fetch = (...args) => fetch(...args);

export async function logIn(baseUrl: string, username: string, password: string): Promise<TestSession> {
  const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw new Error(`login of ${username} failed: HTTP ${res.status} ${await res.text()}`);
  const sid = res.headers.getSetCookie().find((c) => c.startsWith('ioc.sid='));
  if (!sid) throw new Error('login answered without a session cookie');
  const cookie = sid.split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return sessionFrom(username, cookie, csrfToken);
}

function sessionFrom(username: string, cookie: string, csrf: string): TestSession {
  return {
    username,
    cookie,
    csrf,
    fetch: (url, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('cookie', cookie);
      const method = (init.method ?? 'GET').toUpperCase();
      if (method !== 'GET' && method !== 'HEAD') headers.set(CSRF_HEADER, csrf);
      return fetch(url, { ...init, headers });
    },
  };
}

let userSeq = 0;

/** A new user of that role (optionally scoped to communes), logged in. */
export async function userSession(app: Pick<App, 'url' | 'identity'>, role: PersonRole, opts: { communes?: string[] | null; displayName?: string } = {}): Promise<TestSession> {
  const username = `${role}-${process.pid}-${++userSeq}`;
  await app.identity.users.create({ username, displayName: opts.displayName ?? `Người thử ${role} ${userSeq}`, role, password: TEST_PASSWORD, communes: opts.communes ?? null });
  return logIn(app.url, username, TEST_PASSWORD);
}

/** Makes `s` the session authFetch and sessionHeaders use for that app. */
export function setDefaultSession(appUrl: string, s: TestSession): void {
  defaults.set(new URL(appUrl).origin, s);
}

export function defaultSession(url: string): TestSession | undefined {
  return defaults.get(new URL(url).origin);
}

/** fetch as the app's default test session (an operator unless a test chose another). */
export function authFetch(url: string, init?: RequestInit): Promise<Response> {
  const s = defaultSession(url);
  if (!s) throw new Error(`no test session for ${url}: start the app with startTestApp, or call setDefaultSession`);
  return s.fetch(url, init);
}

/** Headers for a socket.io or browser client to ride the app's default session. */
export function sessionHeaders(url: string): Record<string, string> {
  const s = defaultSession(url);
  return s ? { cookie: s.cookie } : {};
}

/** Logs in an operator and makes it the app's default session (what startTestApp does). */
export async function signInDefault(app: Pick<App, 'url' | 'identity'>, role: PersonRole = 'operator', displayName = 'Nguyễn Văn An'): Promise<TestSession> {
  const s = await userSession(app, role, { displayName });
  setDefaultSession(app.url, s);
  return s;
}
