/**
 * The one append-only audit log (DESIGN.md "Security model"): logins (success and failure), user and token
 * changes, alarm actions, unmasking, device credential changes. Rows are only ever inserted: triggers in both
 * engines refuse UPDATE and DELETE, so not even a bug here can rewrite the past.
 */
import { z } from 'zod';
import { AUDIT_ACTIONS, type AuditAction, type AuditEntry } from '../../shared/auth';
import { migrateModule, type SqlDb } from '../store/sqlDb';

export { AUDIT_ACTIONS, type AuditAction, type AuditEntry } from '../../shared/auth';

export type AuditInput = Omit<AuditEntry, 'id' | 'at' | 'target' | 'detail' | 'address'> & Partial<Pick<AuditEntry, 'target' | 'detail' | 'address'>>;

export const auditQuerySchema = z
  .object({
    from: z.coerce.number().int().nonnegative().optional(),
    to: z.coerce.number().int().positive().optional(),
    actor: z.string().max(128).optional(),
    action: z.enum(AUDIT_ACTIONS).optional(),
    target: z.string().max(128).optional(),
    /** Rows with an id below this one (pages backwards from the newest). */
    before: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();
export type AuditQuery = z.infer<typeof auditQuerySchema>;

const MIGRATIONS = [
  (d: 'sqlite' | 'postgresql') =>
    d === 'postgresql'
      ? `CREATE TABLE audit_log (
           id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
           target TEXT, detail TEXT, address TEXT);
         CREATE INDEX audit_log_at ON audit_log (at);
         CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS
           $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
         CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`
      : `CREATE TABLE audit_log (
           id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
           target TEXT, detail TEXT, address TEXT);
         CREATE INDEX audit_log_at ON audit_log (at);
         CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
         CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
];

interface Row {
  id: number;
  at: number;
  actor: string;
  action: AuditAction;
  target: string | null;
  detail: string | null;
  address: string | null;
}

export class AuditLog {
  private constructor(
    private readonly db: SqlDb,
    private readonly now: () => number,
  ) {}

  static async open(db: SqlDb, now: () => number): Promise<AuditLog> {
    await migrateModule(db, 'audit', MIGRATIONS);
    return new AuditLog(db, now);
  }

  /**
   * Appends one entry. Pass the transaction's db (`into`) when the entry must commit with the change it
   * records (an unmask writes its row before the plate is returned, in the same transaction).
   */
  async append(e: AuditInput, into: SqlDb = this.db): Promise<number> {
    const row = await into.get<{ id: number }>(
      'INSERT INTO audit_log (at, actor, action, target, detail, address) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
      [this.now(), e.actor, e.action, e.target ?? null, e.detail ? JSON.stringify(e.detail) : null, e.address ?? null],
    );
    return Number(row!.id);
  }

  /** Newest first. */
  async query(q: Partial<AuditQuery> = {}): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, v: unknown) => {
      params.push(v);
      where.push(clause.replace('?', `$${params.length}`));
    };
    if (q.from !== undefined) add('at >= ?', q.from);
    if (q.to !== undefined) add('at < ?', q.to);
    if (q.actor) add('actor = ?', q.actor);
    if (q.action) add('action = ?', q.action);
    if (q.target) add('target = ?', q.target);
    if (q.before !== undefined) add('id < ?', q.before);
    params.push(q.limit ?? 200);
    const rows = await this.db.all<Row>(
      `SELECT id, at, actor, action, target, detail, address FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({ ...r, id: Number(r.id), detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null }));
  }
}
