/**
 * Alarms and their append-only audit log on the SQL port (server/store/sqlDb.ts): the same tables and
 * semantics as the SQLite AlarmStore, on SQLite or PostgreSQL, asynchronous.
 *
 * - `write` is conditional: each alarm row is inserted when the writer believes it new, or updated only where
 *   its `rev` (the alarm's version) is still the one the writer last saw. If any row's condition fails the
 *   whole write is rolled back and the conflicting ids are returned: two instances never both apply a change.
 * - Rows go in multi-row statements (a storm's thousand rows are a few round trips to PostgreSQL, not a
 *   thousand).
 * - On SQLite the tables are the alarm file's own, versioned by PRAGMA user_version as AlarmStore does
 *   (either opens a file the other wrote); open it on an alarm file, not on a database shared with others.
 *   On PostgreSQL they sit in the db's schema, versioned in schema_migrations under 'alarms'.
 * - The records do not own the db: whoever opened it closes it.
 */
import { severityRank, type Alarm, type AlarmPage, type AuditEntry } from '../../shared/alarms';
import type { AlarmWrite } from '../alarms/storePort';
import { alarmQuerySchema, auditEntry, endedAt, openFlag, parseAlarm, type AlarmQuery, type AuditRow } from './alarmRows';
import { MIGRATIONS, PG_MIGRATIONS } from './migrations';
import { migrateModule, type SqlDb } from './sqlDb';

export type { AlarmQuery } from './alarmRows';

/** Every read the API, the hub, health and the history need, and the engine's write. */
export interface AlarmRecords {
  /**
   * All of one engine call in one transaction. `prevRev(id)` is the rev the writer last saw for the alarm,
   * undefined for one it raised: a new alarm is inserted (a conflict if the id exists), a known one updated
   * only where its rev is still that. Any conflict rolls everything back and is returned, in `w.alarms`
   * order; nothing is written then. Other refusals (a second open alarm for a rule and source, a rev the
   * audit already holds) reject, also with nothing written.
   */
  write(w: AlarmWrite, prevRev: (id: number) => number | undefined): Promise<{ conflicts: number[] }>;
  /** Every alarm not resolved or closed, with its timers, by id. */
  loadOpen(): Promise<Alarm[]>;
  /** Highest alarm id and rev ever written, so both continue after a restart. */
  maxIds(): Promise<{ alarmId: number; rev: number }>;
  get(id: number): Promise<Alarm | undefined>;
  /**
   * GET /api/alarms: newest first, filters ANDed. `scope` limits the answer to a commune-scoped user's
   * communes (alarms without a commune are outside every scope).
   */
  query(q: AlarmQuery, scope?: readonly string[] | null): Promise<AlarmPage>;
  /** Every decision about one alarm, oldest first, from the audit log. */
  history(alarmId: number): Promise<AuditEntry[]>;
  /** Alarms raised in [from, to). */
  countRaised(from: number, to: number): Promise<number>;
  /** Median of ackAt − raisedAt over alarms first acknowledged in [from, to); null when none. */
  medianAckMs(from: number, to: number): Promise<{ median: number | null; count: number }>;
  /** Open alarms raised at or before `before`, oldest first. */
  standing(before: number, limit: number): Promise<{ total: number; oldest: Alarm[] }>;
  /**
   * The alarms open at `at` (raised at or before it, not resolved or closed before it), each as its last
   * audited decision at or before `at`, newest raised first, at most `limit`; `total` counts them all.
   */
  openAt(at: number, limit: number): Promise<{ total: number; items: Alarm[] }>;
}

/** A rehearsal's alarms in PostgreSQL (simulated time: never mixed with the real ones, as in SQLite's files). */
export function rehearsalAlarmSchema(province: string): string {
  return `ioc_alarms_${province.replace(/[^a-z0-9]/g, '_')}_rehearsal`;
}

/** Rows per statement: 16 parameters a row stays far below both engines' limits (32,766 and 65,535). */
const ROWS_PER_STATEMENT = 200;

const ROW_COLUMNS = [
  'id', 'rule_id', 'source', 'kind', 'domain', 'commune', 'severity', 'severity_rank', 'state', 'open',
  'raised_at', 'updated_at', 'ack_at', 'ended_at', 'rev', 'data',
] as const;
/** PostgreSQL types a VALUES list by its values; parameters say nothing, so each is cast (SQLite ignores it). */
const ROW_TYPES = ['BIGINT', 'TEXT', 'TEXT', 'TEXT', 'TEXT', 'TEXT', 'TEXT', 'SMALLINT', 'TEXT', 'SMALLINT', 'BIGINT', 'BIGINT', 'BIGINT', 'BIGINT', 'BIGINT', 'TEXT'] as const;
/** What an update may change: an alarm's identity (rule, source, kind, domain, raise time) never does. */
const UPDATED = ['commune', 'severity', 'severity_rank', 'state', 'open', 'updated_at', 'ack_at', 'ended_at', 'rev', 'data'] as const;

const AUDIT_COLUMNS = ['alarm_id', 'rev', 'at', 'actor', 'change', 'note', 'snapshot'] as const;

/** Thrown inside the write's transaction to roll it back; never leaves `write`. */
class WriteConflict extends Error {
  constructor(readonly ids: number[]) {
    super('alarm write conflict');
  }
}

export class SqlAlarmRecords implements AlarmRecords {
  private constructor(private readonly db: SqlDb) {}

  static async open(db: SqlDb): Promise<SqlAlarmRecords> {
    if (db.dialect === 'postgresql') await migrateModule(db, 'alarms', PG_MIGRATIONS.map((sql) => () => sql));
    else await migrateSqliteFile(db);
    return new SqlAlarmRecords(db);
  }

  async write(w: AlarmWrite, prevRev: (id: number) => number | undefined): Promise<{ conflicts: number[] }> {
    if (w.alarms.length === 0 && w.audit.length === 0) return { conflicts: [] };
    // A raise is both a row and an audit snapshot: serialise each alarm object once.
    const jsons = new Map<Alarm, string>();
    const json = (a: Alarm): string => {
      let j = jsons.get(a);
      if (j === undefined) jsons.set(a, (j = JSON.stringify(a)));
      return j;
    };
    const inserts: Alarm[] = [];
    const updates: { a: Alarm; prev: number }[] = [];
    for (const a of w.alarms) {
      const prev = prevRev(a.id);
      if (prev === undefined) inserts.push(a);
      else updates.push({ a, prev });
    }
    try {
      await this.db.tx(async (t) => {
        const applied = new Set<number>();
        // Updates first: one may close the alarm whose (rule, source) a new one opens again.
        for (const part of chunks(updates)) {
          const params = part.flatMap(({ a, prev }) => [...rowValues(a, json(a)), prev]);
          for (const r of await t.all<{ id: number }>(updateSql(part.length), params)) applied.add(Number(r.id));
        }
        for (const part of chunks(inserts)) {
          const params = part.flatMap((a) => rowValues(a, json(a)));
          for (const r of await t.all<{ id: number }>(insertSql(part.length), params)) applied.add(Number(r.id));
        }
        const conflicts = w.alarms.filter((a) => !applied.has(a.id)).map((a) => a.id);
        if (conflicts.length > 0) throw new WriteConflict(conflicts);
        for (const part of chunks(w.audit)) {
          const params = part.flatMap((c) => [c.alarm.id, c.rev, c.at, c.actor, c.change, c.note ?? null, json(c.alarm)]);
          await t.run(`INSERT INTO audit (${AUDIT_COLUMNS.join(', ')}) VALUES ${placeholders(part.length, AUDIT_COLUMNS.length)}`, params);
        }
      });
    } catch (err) {
      if (err instanceof WriteConflict) return { conflicts: err.ids };
      throw err;
    }
    return { conflicts: [] };
  }

  async loadOpen(): Promise<Alarm[]> {
    return (await this.db.all<{ data: string }>('SELECT data FROM alarms WHERE open = 1 ORDER BY id')).map((r) => parseAlarm(r.data));
  }

  async maxIds(): Promise<{ alarmId: number; rev: number }> {
    // Repeats are not audited, so the newest rev may be on an alarm row only; the audit's is kept for files
    // written before that (their rows and audit agree anyway).
    const rows = await this.db.get<{ alarm_id: number | null; rev: number | null }>('SELECT MAX(id) AS alarm_id, MAX(rev) AS rev FROM alarms');
    const audit = await this.db.get<{ rev: number | null }>('SELECT MAX(rev) AS rev FROM audit');
    return { alarmId: Number(rows?.alarm_id ?? 0), rev: Math.max(Number(rows?.rev ?? 0), Number(audit?.rev ?? 0)) };
  }

  async get(id: number): Promise<Alarm | undefined> {
    const r = await this.db.get<{ data: string }>('SELECT data FROM alarms WHERE id = $1', [id]);
    return r && parseAlarm(r.data);
  }

  async query(q: AlarmQuery, scope: readonly string[] | null = null): Promise<AlarmPage> {
    const p = alarmQuerySchema.parse(q);
    const where: string[] = [];
    const args: unknown[] = [];
    const param = (v: unknown): string => {
      args.push(v);
      return `$${args.length}`;
    };
    if (p.state === 'open') where.push('open = 1');
    else if (p.state) where.push(`state = ${param(p.state)}`);
    if (p.severity) where.push(`severity = ${param(p.severity)}`);
    if (p.domain) where.push(`domain = ${param(p.domain)}`);
    if (p.commune) where.push(`commune = ${param(p.commune)}`);
    if (scope) where.push(scope.length ? `commune IN (${scope.map(param).join(', ')})` : '0 = 1');
    if (p.from !== undefined) where.push(`raised_at >= ${param(p.from)}`);
    if (p.to !== undefined) where.push(`raised_at < ${param(p.to)}`);
    // Only fixed column names go into the SQL text; every value is a bound parameter.
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM alarms ${w}`, args);
    const page = [...args, p.limit, p.offset];
    const rows = await this.db.all<{ data: string }>(
      `SELECT data FROM alarms ${w} ORDER BY raised_at DESC, id DESC LIMIT $${args.length + 1} OFFSET $${args.length + 2}`,
      page,
    );
    return { total: Number(total?.n ?? 0), items: rows.map((r) => parseAlarm(r.data)) };
  }

  async history(alarmId: number): Promise<AuditEntry[]> {
    const rows = await this.db.all<AuditRow>('SELECT id, alarm_id, rev, at, actor, change, note, snapshot FROM audit WHERE alarm_id = $1 ORDER BY rev', [alarmId]);
    return rows.map(auditEntry);
  }

  async countRaised(from: number, to: number): Promise<number> {
    const r = await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM alarms WHERE raised_at >= $1 AND raised_at < $2', [from, to]);
    return Number(r?.n ?? 0);
  }

  async medianAckMs(from: number, to: number): Promise<{ median: number | null; count: number }> {
    const n = Number((await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM alarms WHERE ack_at >= $1 AND ack_at < $2', [from, to]))?.n ?? 0);
    if (n === 0) return { median: null, count: 0 };
    const nth = async (k: number): Promise<number> => {
      const r = await this.db.get<{ d: number }>('SELECT ack_at - raised_at AS d FROM alarms WHERE ack_at >= $1 AND ack_at < $2 ORDER BY d LIMIT 1 OFFSET $3', [from, to, k]);
      return Number(r!.d);
    };
    const [lo, hi] = await Promise.all([nth(Math.floor((n - 1) / 2)), nth(Math.floor(n / 2))]);
    return { median: (lo + hi) / 2, count: n };
  }

  async standing(before: number, limit: number): Promise<{ total: number; oldest: Alarm[] }> {
    const [total, rows] = await Promise.all([
      this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM alarms WHERE open = 1 AND raised_at <= $1', [before]),
      this.db.all<{ data: string }>('SELECT data FROM alarms WHERE open = 1 AND raised_at <= $1 ORDER BY raised_at, id LIMIT $2', [before, limit]),
    ]);
    return { total: Number(total?.n ?? 0), oldest: rows.map((r) => parseAlarm(r.data)) };
  }

  async openAt(at: number, limit: number): Promise<{ total: number; items: Alarm[] }> {
    // Open then: raised by then and not yet resolved or closed (open now, or ended after it). Each comes as
    // its audit snapshot of that instant (the last decision at or before it).
    const openThen = 'raised_at <= $1 AND (open = 1 OR ended_at > $1)';
    const [total, rows] = await Promise.all([
      this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM alarms WHERE ${openThen}`, [at]),
      this.db.all<{ data: string; snap: string | null }>(
        `SELECT a.data AS data,
           (SELECT snapshot FROM audit WHERE alarm_id = a.id AND at <= $1 ORDER BY rev DESC LIMIT 1) AS snap
         FROM alarms a WHERE ${openThen}
         ORDER BY raised_at DESC, id DESC LIMIT $2`,
        [at, limit],
      ),
    ]);
    return { total: Number(total?.n ?? 0), items: rows.map((r) => parseAlarm(r.snap ?? r.data)) };
  }
}

function rowValues(a: Alarm, json: string): unknown[] {
  return [
    a.id, a.ruleId, a.source, a.kind, a.domain, a.commune, a.severity, severityRank(a.severity), a.state, openFlag(a),
    a.raisedAt, a.updatedAt, a.ackAt, endedAt(a), a.rev, json,
  ];
}

function* chunks<T>(xs: readonly T[]): Generator<readonly T[]> {
  for (let i = 0; i < xs.length; i += ROWS_PER_STATEMENT) yield xs.slice(i, i + ROWS_PER_STATEMENT);
}

/** `($1, $2), ($3, $4)` for rows × columns; with `types`, each cast (a VALUES list in PostgreSQL needs them). */
function placeholders(rows: number, columns: number, types?: readonly string[]): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const row: string[] = [];
    for (let c = 0; c < columns; c++) {
      const p = `$${r * columns + c + 1}`;
      row.push(types ? `CAST(${p} AS ${types[c]})` : p);
    }
    out.push(`(${row.join(', ')})`);
  }
  return out.join(', ');
}

function insertSql(rows: number): string {
  return `INSERT INTO alarms (${ROW_COLUMNS.join(', ')}) VALUES ${placeholders(rows, ROW_COLUMNS.length)}
    ON CONFLICT (id) DO NOTHING RETURNING id`;
}

/** The rows whose rev is still `prev` take the new values; RETURNING says which did. */
function updateSql(rows: number): string {
  const cols = [...ROW_COLUMNS, 'prev'];
  return `WITH v (${cols.join(', ')}) AS (VALUES ${placeholders(rows, cols.length, [...ROW_TYPES, 'BIGINT'])})
    UPDATE alarms SET ${UPDATED.map((c) => `${c} = v.${c}`).join(', ')}
    FROM v WHERE alarms.id = v.id AND alarms.rev = v.prev RETURNING alarms.id`;
}

/** The alarm file's schema, versioned by user_version exactly as AlarmStore's `migrate` does. */
async function migrateSqliteFile(db: SqlDb): Promise<void> {
  const current = Number((await db.get<{ user_version: number }>('PRAGMA user_version'))?.user_version ?? 0);
  if (current > MIGRATIONS.length) {
    throw new Error(`alarm database is schema v${current}, newer than this server (v${MIGRATIONS.length}): upgrade the server`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    await db.tx(async (t) => {
      await t.exec(MIGRATIONS[v]!);
      await t.exec(`PRAGMA user_version = ${v + 1}`);
    });
  }
}
