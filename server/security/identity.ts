/**
 * Who is asking (issue 14): people with a role and an optional commune scope, and wall displays. Sessions
 * are server-side (express-session on the identity database); a session holds only a principal key
 * (`user:<id>` or `display:<id>`) and its CSRF token. The principal is looked up on each request through a
 * short cache, so a role change, a disabled user or a revoked display takes effect at once on this instance
 * (and within CACHE_TTL_MS on the others); the change also ends the principal's sockets (see the hub).
 */
import { randomBytes } from 'node:crypto';
import session from 'express-session';
import type { RequestHandler } from 'express';
import { can, type Me, type Permission, type Role } from '../../shared/auth';
import type { Logger } from '../log';
import type { SqlDb } from '../store/sqlDb';
import { AuditLog, type AuditInput } from './audit';
import { DisplayStore } from './displays';
import { serverKey } from './keys';
import { SqlSessionStore } from './sessionStore';
import { UserStore } from './users';

declare module 'express-session' {
  interface SessionData {
    /** `user:<id>` or `display:<id>`. */
    principal?: string;
    csrf?: string;
  }
}

export interface Principal extends Me {
  /** `user:<id>` or `display:<id>`: the key of its sessions and sockets. */
  key: string;
  kind: 'user' | 'display';
  id: number;
}

export const SESSION_COOKIE = 'ioc.sid';
/** A person's session: 12 hours, renewed by use (a shift and a half). */
export const PERSON_SESSION_MS = 12 * 3_600_000;
/** A wall display's session: a year, renewed by use (it runs unattended for months). */
export const DISPLAY_SESSION_MS = 365 * 24 * 3_600_000;
const CACHE_TTL_MS = 2_000;
export const CACHE_MAX = 10_000;
const PRUNE_EVERY_MS = 3_600_000;

export interface IdentityOptions {
  db: SqlDb;
  now: () => number;
  log: Logger;
  /** Password for the first admin when there are no users; absent: one is generated and returned once. */
  adminPassword?: string;
  /** Cookies marked Secure (behind HTTPS). */
  secureCookies?: boolean;
}

export class Identity {
  readonly sessionMiddleware: RequestHandler;
  private readonly cache = new Map<string, { p: Principal | null; at: number }>();
  private readonly timer: NodeJS.Timeout;
  /** Called when a principal must lose its sockets now (the hub disconnects them). */
  onPrincipalEnded: (key: string, reason: 'logout' | 'revoked' | 'role-changed' | 'disabled') => void = () => undefined;

  private constructor(
    readonly db: SqlDb,
    readonly users: UserStore,
    readonly displays: DisplayStore,
    readonly sessions: SqlSessionStore,
    readonly audit: AuditLog,
    sessionKey: Buffer,
    private readonly opts: IdentityOptions,
  ) {
    this.sessionMiddleware = session({
      name: SESSION_COOKIE,
      secret: sessionKey.toString('base64'),
      store: sessions,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'lax', secure: opts.secureCookies ?? false, maxAge: PERSON_SESSION_MS },
    });
    this.timer = setInterval(() => {
      sessions.prune().catch((err: unknown) => opts.log.warn({ err }, 'session prune failed'));
    }, PRUNE_EVERY_MS);
    this.timer.unref();
  }

  /** Opens the identity tables; creates the first admin when there is no user (the password is returned once). */
  static async open(opts: IdentityOptions): Promise<{ identity: Identity; bootstrapPassword?: string }> {
    const { db, now } = opts;
    const users = await UserStore.open(db, now);
    const displays = await DisplayStore.open(db, await serverKey(db, 'display-token'), now);
    const sessions = await SqlSessionStore.open(db, now);
    const audit = await AuditLog.open(db, now);
    const identity = new Identity(db, users, displays, sessions, audit, await serverKey(db, 'session'), opts);
    let bootstrapPassword: string | undefined;
    if ((await users.count()) === 0) {
      const password = opts.adminPassword ?? randomBytes(15).toString('base64url');
      await users.create({ username: 'admin', displayName: 'Quản trị hệ thống', role: 'admin', password });
      await audit.append({ actor: 'system', action: 'user.create', target: 'admin', detail: { role: 'admin', bootstrap: true } });
      if (!opts.adminPassword) bootstrapPassword = password;
    }
    return { identity, bootstrapPassword };
  }

  /** The principal of a session key, or null when it no longer exists, is disabled or revoked. */
  async resolve(key: string | undefined): Promise<Principal | null> {
    if (!key) return null;
    const now = this.opts.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < CACHE_TTL_MS) return hit.p;
    const p = await this.load(key);
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(key, { p, at: now });
    return p;
  }

  private async load(key: string): Promise<Principal | null> {
    const m = /^(user|display):(\d+)$/.exec(key);
    if (!m) return null;
    const id = Number(m[2]);
    if (m[1] === 'user') {
      const u = await this.users.byId(id);
      if (!u || u.disabled) return null;
      return { key, kind: 'user', id, username: u.username, displayName: u.displayName, role: u.role, communes: u.communes };
    }
    const d = await this.displays.byId(id);
    if (!d || d.revokedAt !== null) return null;
    void this.displays.seen(id).catch((err: unknown) => this.opts.log.warn({ err }, 'display last-seen write failed'));
    return { key, kind: 'display', id, username: `display:${d.name}`, displayName: d.name, role: 'display' as Role, communes: null };
  }

  /** Principals cached (at most CACHE_MAX). */
  get cacheSize(): number {
    return this.cache.size;
  }

  /** Forget a principal here and end its sockets. */
  ended(key: string, reason: 'logout' | 'revoked' | 'role-changed' | 'disabled'): void {
    this.cache.delete(key);
    this.onPrincipalEnded(key, reason);
  }

  /** Drops the cached principal so the next request reads it again (a change that keeps its sockets). */
  forget(key: string): void {
    this.cache.delete(key);
  }

  newCsrfToken(): string {
    return randomBytes(24).toString('base64url');
  }

  async record(e: AuditInput): Promise<void> {
    try {
      await this.audit.append(e);
    } catch (err) {
      this.opts.log.error({ err, action: e.action }, 'audit write failed');
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.db.close();
  }
}

export function permits(p: Principal | null | undefined, permission: Permission): boolean {
  return !!p && can(p.role, permission);
}

/** Whether a commune is within the principal's scope (an unscoped principal sees the whole province). */
export function inScope(p: Principal, commune: string | null | undefined): boolean {
  if (!p.communes) return true;
  return !!commune && p.communes.includes(commune);
}

export function me(p: Principal): Me {
  return { username: p.username, displayName: p.displayName, role: p.role, communes: p.communes };
}
