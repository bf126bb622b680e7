/**
 * Wall screens without keyboards (issue 14 point 2): an admin creates a named display token; opening
 * `/?display=<token>` once binds that browser to a `display` session. Only an HMAC of the token is stored.
 * Revoked tokens stay listed (who created it, when it was revoked). Last-seen times are kept in memory and
 * written at most once a minute per display.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DisplaySummary } from '../../shared/auth';
import { migrateModule, type SqlDb } from '../store/sqlDb';

interface Row {
  id: number;
  name: string;
  token_hmac: string;
  created_at: number;
  created_by: string;
  last_seen_at: number | null;
  revoked_at: number | null;
}

const MIGRATIONS = [
  (d: 'sqlite' | 'postgresql') => `CREATE TABLE displays (
      id ${d === 'postgresql' ? 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT'},
      name TEXT NOT NULL, token_hmac TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL, created_by TEXT NOT NULL,
      last_seen_at BIGINT, revoked_at BIGINT)`,
];

const SEEN_WRITE_EVERY_MS = 60_000;

function toSummary(r: Row): DisplaySummary {
  return {
    id: Number(r.id),
    name: r.name,
    createdAt: Number(r.created_at),
    createdBy: r.created_by,
    lastSeenAt: r.last_seen_at === null ? null : Number(r.last_seen_at),
    revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
  };
}

export class DisplayStore {
  /** Last write of each display's last-seen time (bounded by the number of displays). */
  private readonly seenWritten = new Map<number, number>();

  private constructor(
    private readonly db: SqlDb,
    private readonly key: Buffer,
    private readonly now: () => number,
  ) {}

  static async open(db: SqlDb, key: Buffer, now: () => number): Promise<DisplayStore> {
    await migrateModule(db, 'displays', MIGRATIONS);
    return new DisplayStore(db, key, now);
  }

  private mac(token: string): string {
    return createHmac('sha256', this.key).update(token).digest('base64url');
  }

  async create(name: string, createdBy: string): Promise<DisplaySummary & { token: string }> {
    const token = randomBytes(32).toString('base64url');
    const r = await this.db.get<Row>(
      'INSERT INTO displays (name, token_hmac, created_at, created_by) VALUES ($1, $2, $3, $4) RETURNING *',
      [name, this.mac(token), this.now(), createdBy],
    );
    return { ...toSummary(r!), token };
  }

  /** The display a token binds, when it is one and not revoked. */
  async byToken(token: string): Promise<DisplaySummary | undefined> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
    const mac = this.mac(token);
    const r = await this.db.get<Row>('SELECT * FROM displays WHERE token_hmac = $1', [mac]);
    if (!r || r.revoked_at !== null) return undefined;
    // The lookup was by the MAC itself; compare again in constant time all the same.
    if (!timingSafeEqual(Buffer.from(r.token_hmac), Buffer.from(mac))) return undefined;
    return toSummary(r);
  }

  async byId(id: number): Promise<DisplaySummary | undefined> {
    const r = await this.db.get<Row>('SELECT * FROM displays WHERE id = $1', [id]);
    return r && toSummary(r);
  }

  async list(): Promise<DisplaySummary[]> {
    return (await this.db.all<Row>('SELECT * FROM displays ORDER BY id')).map(toSummary);
  }

  async revoke(id: number): Promise<boolean> {
    return (await this.db.run('UPDATE displays SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [this.now(), id])).changes === 1;
  }

  /** Notes that a display was seen now; writes at most once a minute per display. */
  async seen(id: number): Promise<void> {
    const t = this.now();
    if (t - (this.seenWritten.get(id) ?? -Infinity) < SEEN_WRITE_EVERY_MS) return;
    this.seenWritten.set(id, t);
    await this.db.run('UPDATE displays SET last_seen_at = $1 WHERE id = $2', [t, id]);
  }
}
