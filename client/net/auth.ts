/**
 * Who is signed in, as the client sees it (issue 14): GET /api/auth/me once at start, the CSRF token every write
 * sends back, login and logout, and the way to the login page when the session is gone. The server checks every
 * permission; the client only hides what the role cannot do (shared/auth.ts `can`).
 */
import { z } from 'zod';
import { CSRF_HEADER, ROLES, can, type Me, type MeResponse, type Permission } from '../../shared/auth';

const meSchema = z.object({
  user: z.object({
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    communes: z.array(z.string()).nullable(),
  }),
  csrfToken: z.string(),
});

const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), unlockAt: z.number().optional() }) });

let current: MeResponse | null = null;
const listeners = new Set<() => void>();

function publish(next: MeResponse | null): void {
  current = next;
  for (const fn of [...listeners]) fn();
}

export function currentMe(): Me | null {
  return current?.user ?? null;
}

export function subscribeMe(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Whether the signed-in person may do this (for hiding buttons only). */
export function allowed(permission: Permission): boolean {
  return current !== null && can(current.user.role, permission);
}

/** The session's user, or null when nobody is signed in (401). Other failures throw. */
export async function loadMe(signal?: AbortSignal): Promise<MeResponse | null> {
  const res = await fetch('/api/auth/me', { signal, headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (res.status === 401) {
    publish(null);
    return null;
  }
  if (!res.ok) throw new Error(`HTTP ${res.status} for /api/auth/me`);
  const me = meSchema.parse(await res.json());
  publish(me);
  return me;
}

/** Only same-site paths: `next=//evil.example` or `next=https://…` would be an open redirect. */
export function safeNext(next: string | null | undefined): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  if (next === '/login' || next.startsWith('/login?')) return null;
  return next;
}

export function loginUrl(reason?: string, from: Location | URL = window.location): string {
  const q = new URLSearchParams();
  const next = safeNext(from.pathname + from.search);
  if (next && next !== '/') q.set('next', next);
  if (reason) q.set('reason', reason);
  const s = q.toString();
  return s ? `/login?${s}` : '/login';
}

let leaving = false;
/** The session is gone: to the login page, coming back here after. */
export function goToLogin(reason?: string): void {
  if (leaving) return;
  leaving = true;
  window.location.assign(loginUrl(reason));
}

/** Headers for a write: JSON and the session's CSRF token. */
export function writeHeaders(): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (current) h[CSRF_HEADER] = current.csrfToken;
  return h;
}

/**
 * A POST/PATCH/DELETE with the CSRF token. A 401 sends the page to the login; the response is returned as is
 * otherwise (callers read `{ error }` bodies for their own messages).
 */
export async function apiWrite(path: string, method: 'POST' | 'PATCH' | 'DELETE', body?: unknown, signal?: AbortSignal): Promise<Response> {
  if (!current) await loadMe(signal).catch(() => null);
  const res = await fetch(path, {
    method,
    headers: writeHeaders(),
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    signal,
  });
  if (res.status === 401) goToLogin('expired');
  return res;
}

/** The server's error text from an `{ error: { message } }` body, or a plain line for the status. */
export async function errorMessage(res: Response): Promise<{ message: string; code: string; unlockAt?: number }> {
  try {
    const parsed = errorSchema.safeParse(await res.json());
    if (parsed.success) return parsed.data.error;
  } catch {
    // not JSON
  }
  return { code: `HTTP_${res.status}`, message: `máy chủ trả lời ${res.status}` };
}

export type LoginOutcome = { ok: true; me: MeResponse } | { ok: false; message: string; unlockAt?: number };

export async function logIn(username: string, password: string): Promise<LoginOutcome> {
  let res: Response;
  try {
    res = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ username, password }),
      credentials: 'same-origin',
      signal: AbortSignal.timeout(15_000),
    });
  } catch {
    return { ok: false, message: 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.' };
  }
  if (!res.ok) {
    const e = await errorMessage(res);
    return { ok: false, message: e.message, ...(e.unlockAt ? { unlockAt: e.unlockAt } : {}) };
  }
  const me = meSchema.parse(await res.json());
  publish(me);
  return { ok: true, me };
}

export async function logOut(): Promise<void> {
  try {
    await apiWrite('/api/auth/logout', 'POST');
  } finally {
    publish(null);
    leaving = true;
    window.location.assign('/login?reason=logout');
  }
}

/** For tests. */
export function setMeForTest(me: MeResponse | null): void {
  publish(me);
  leaving = false;
}
