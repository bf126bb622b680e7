/**
 * express-session's store on the app's own database (SQLite by default, PostgreSQL with DATABASE_URL), so
 * sessions survive a restart and every instance on one database sees the same ones. Expired rows are swept
 * by `prune()` (the identity service calls it on a timer).
 */
import session, { type SessionData } from 'express-session';
import { migrateModule, type SqlDb } from '../store/sqlDb';

const MIGRATIONS = [
  () => `CREATE TABLE sessions (sid TEXT PRIMARY KEY, expires BIGINT NOT NULL, data TEXT NOT NULL, principal TEXT);
         CREATE INDEX sessions_expires ON sessions (expires);
         CREATE INDEX sessions_principal ON sessions (principal)`,
];

/** A session without a cookie expiry (should not happen: every cookie here has a maxAge) lives a day. */
const DEFAULT_TTL_MS = 24 * 3_600_000;

type Cb<T = void> = (err?: unknown, v?: T) => void;

export class SqlSessionStore extends session.Store {
  private constructor(
    private readonly db: SqlDb,
    private readonly now: () => number,
  ) {
    super();
  }

  static async open(db: SqlDb, now: () => number): Promise<SqlSessionStore> {
    await migrateModule(db, 'sessions', MIGRATIONS);
    return new SqlSessionStore(db, now);
  }

  private expiry(s: SessionData): number {
    const e = s.cookie?.expires;
    return e ? new Date(e).getTime() : this.now() + DEFAULT_TTL_MS;
  }

  override get(sid: string, cb: Cb<SessionData | null>): void {
    this.db
      .get<{ data: string; expires: number }>('SELECT data, expires FROM sessions WHERE sid = $1', [sid])
      .then((r) => cb(undefined, r && Number(r.expires) > this.now() ? (JSON.parse(r.data) as SessionData) : null), cb);
  }

  override set(sid: string, s: SessionData, cb?: Cb): void {
    const principal = (s as SessionData & { principal?: string }).principal ?? null;
    this.db
      .run(
        'INSERT INTO sessions (sid, expires, data, principal) VALUES ($1, $2, $3, $4) ON CONFLICT (sid) DO UPDATE SET expires = excluded.expires, data = excluded.data, principal = excluded.principal',
        [sid, this.expiry(s), JSON.stringify(s), principal],
      )
      .then(() => cb?.(), (err: unknown) => cb?.(err));
  }

  override touch(sid: string, s: SessionData, cb?: Cb): void {
    this.db.run('UPDATE sessions SET expires = $1 WHERE sid = $2', [this.expiry(s), sid]).then(() => cb?.(), (err: unknown) => cb?.(err));
  }

  override destroy(sid: string, cb?: Cb): void {
    this.db.run('DELETE FROM sessions WHERE sid = $1', [sid]).then(() => cb?.(), (err: unknown) => cb?.(err));
  }

  /** Ends every session of a principal (`user:<id>`, `display:<id>`): a disabled user, a revoked display. */
  async destroyPrincipal(principal: string): Promise<number> {
    return (await this.db.run('DELETE FROM sessions WHERE principal = $1', [principal])).changes;
  }

  async prune(): Promise<number> {
    return (await this.db.run('DELETE FROM sessions WHERE expires <= $1', [this.now()])).changes;
  }

  async count(): Promise<number> {
    return Number((await this.db.get<{ n: number }>('SELECT count(*) AS n FROM sessions WHERE expires > $1', [this.now()]))!.n);
  }
}
