/**
 * Alarms and their append-only audit log in SQLite (better-sqlite3), WAL mode on disk.
 *
 * - `alarms` holds the current state of every alarm: indexed columns for the filters of GET /api/alarms,
 *   plus the whole record as JSON (members, runs, timers) so loading needs no mapping per field.
 * - `audit` gets one row per decision (raised, severity or level step, cleared, escalated, acknowledged,
 *   assigned, resolved, closed) with the snapshot after it, and triggers refuse UPDATE and DELETE. Repeats
 *   (count, last seen, members joining) only move the alarm row: they are not decisions, and a river above
 *   its alarm level for hours would otherwise write a full snapshot every tick.
 * - One transaction per `write` call: the engine hands over all changes of one evaluate/tick/action.
 * - synchronous = NORMAL: in WAL mode a power cut may lose the last transactions but never corrupts the
 *   file; a process crash loses nothing. FULL would fsync every commit, several ms on a spinning disk.
 */
import Database from 'better-sqlite3';
import type { AlarmStorePort, AlarmWrite } from '../alarms/storePort';
import { severityRank, type Alarm, type AlarmPage, type AuditEntry } from '../../shared/alarms';
import { alarmQuerySchema, auditEntry, endedAt, openFlag, parseAlarm, type AlarmQuery, type AuditRow } from './alarmRows';
import { MIGRATIONS } from './migrations';

export { alarmQuerySchema, MAX_QUERY_LIMIT, type AlarmQuery } from './alarmRows';
export type { AlarmPage, AuditEntry } from '../../shared/alarms';

interface AlarmRow {
  data: string;
}
/** An ended alarm (resolved or closed) that ended after @at. */
const ENDED_AFTER_AT = 'ended_at > @at';

export class AlarmStore implements AlarmStorePort {
  readonly db: Database.Database;
  private readonly stmts;
  private readonly queryCache = new Map<string, Database.Statement>();
  private readonly writeTx: (w: AlarmWrite) => void;

  /** `path` is a file, or ':memory:' for tests. */
  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    const db = this.db;
    this.stmts = {
      upsert: db.prepare(
        `INSERT INTO alarms (id, rule_id, source, kind, domain, commune, severity, severity_rank, state, open,
           raised_at, updated_at, ack_at, ended_at, rev, data)
         VALUES (@id, @ruleId, @source, @kind, @domain, @commune, @severity, @severityRank, @state, @open,
           @raisedAt, @updatedAt, @ackAt, @endedAt, @rev, @data)
         ON CONFLICT(id) DO UPDATE SET severity = excluded.severity, severity_rank = excluded.severity_rank,
           state = excluded.state, open = excluded.open, updated_at = excluded.updated_at, ack_at = excluded.ack_at,
           ended_at = excluded.ended_at, commune = excluded.commune, rev = excluded.rev, data = excluded.data`,
      ),
      audit: db.prepare(
        `INSERT INTO audit (alarm_id, rev, at, actor, change, note, snapshot)
         VALUES (@alarmId, @rev, @at, @actor, @change, @note, @snapshot)`,
      ),
      loadOpen: db.prepare<[], AlarmRow>('SELECT data FROM alarms WHERE open = 1 ORDER BY id'),
      get: db.prepare<[number], AlarmRow>('SELECT data FROM alarms WHERE id = ?'),
      maxIds: db.prepare<[], { alarmId: number | null; rev: number | null }>(
        // Repeats are not audited, so the newest rev may be on an alarm row only; the audit's is kept for files
        // written before that (their rows and audit agree anyway).
        `SELECT (SELECT MAX(id) FROM alarms) AS alarmId,
           MAX(COALESCE((SELECT MAX(rev) FROM alarms), 0), COALESCE((SELECT MAX(rev) FROM audit), 0)) AS rev`,
      ),
      history: db.prepare<[number], AuditRow>('SELECT * FROM audit WHERE alarm_id = ? ORDER BY rev'),
      countRaised: db.prepare<[number, number], { n: number }>(
        'SELECT COUNT(*) AS n FROM alarms WHERE raised_at >= ? AND raised_at < ?',
      ),
      ackCount: db.prepare<[number, number], { n: number }>(
        'SELECT COUNT(*) AS n FROM alarms WHERE ack_at >= ? AND ack_at < ?',
      ),
      ackNth: db.prepare<[number, number, number], { d: number }>(
        `SELECT ack_at - raised_at AS d FROM alarms WHERE ack_at >= ? AND ack_at < ?
         ORDER BY d LIMIT 1 OFFSET ?`,
      ),
      standingCount: db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM alarms WHERE open = 1 AND raised_at <= ?'),
      standing: db.prepare<[number, number], AlarmRow>(
        'SELECT data FROM alarms WHERE open = 1 AND raised_at <= ? ORDER BY raised_at, id LIMIT ?',
      ),
      // Open at an instant: raised by then and not yet resolved or closed (open now, or ended after it).
      // Each comes as its audit snapshot of that instant (the last decision at or before it).
      openAtCount: db.prepare<{ at: number }, { n: number }>(
        `SELECT COUNT(*) AS n FROM alarms WHERE raised_at <= @at AND (open = 1 OR ${ENDED_AFTER_AT})`,
      ),
      openAt: db.prepare<{ at: number; limit: number }, { data: string; snap: string | null }>(
        `SELECT a.data AS data,
           (SELECT snapshot FROM audit WHERE alarm_id = a.id AND at <= @at ORDER BY rev DESC LIMIT 1) AS snap
         FROM alarms a WHERE raised_at <= @at AND (open = 1 OR ${ENDED_AFTER_AT})
         ORDER BY raised_at DESC, id DESC LIMIT @limit`,
      ),
    };
    this.writeTx = db.transaction((w: AlarmWrite) => {
      // A raise is both a row and an audit snapshot: serialise each alarm object once.
      const jsons = new Map<Alarm, string>();
      const json = (a: Alarm): string => {
        let j = jsons.get(a);
        if (j === undefined) jsons.set(a, (j = JSON.stringify(a)));
        return j;
      };
      // Rows first: audit rows reference them.
      for (const a of w.alarms) this.stmts.upsert.run(alarmParams(a, json(a)));
      for (const c of w.audit) {
        this.stmts.audit.run({
          alarmId: c.alarm.id,
          rev: c.rev,
          at: c.at,
          actor: c.actor,
          change: c.change,
          note: c.note ?? null,
          snapshot: json(c.alarm),
        });
      }
    });
  }

  write(w: AlarmWrite): void {
    if (w.alarms.length > 0 || w.audit.length > 0) this.writeTx(w);
  }

  loadOpen(): Alarm[] {
    return this.stmts.loadOpen.all().map((r) => parseAlarm(r.data));
  }

  maxIds(): { alarmId: number; rev: number } {
    const r = this.stmts.maxIds.get();
    return { alarmId: r?.alarmId ?? 0, rev: r?.rev ?? 0 };
  }

  get(id: number): Alarm | undefined {
    const r = this.stmts.get.get(id);
    return r && parseAlarm(r.data);
  }

  /**
   * Newest first. Filters are ANDed; each has an index leading with it and raised_at. `scope` limits the
   * answer to a commune-scoped user's communes (alarms without a commune are outside every scope).
   */
  query(q: AlarmQuery, scope: readonly string[] | null = null): AlarmPage {
    const p = alarmQuerySchema.parse(q);
    const where: string[] = [];
    const args: (string | number)[] = [];
    const add = (sql: string, v: string | number): void => {
      where.push(sql);
      args.push(v);
    };
    if (p.state === 'open') where.push('open = 1');
    else if (p.state) add('state = ?', p.state);
    if (p.severity) add('severity = ?', p.severity);
    if (p.domain) add('domain = ?', p.domain);
    if (p.commune) add('commune = ?', p.commune);
    if (scope) {
      where.push(scope.length ? `commune IN (${scope.map(() => '?').join(', ')})` : '0 = 1');
      args.push(...scope);
    }
    if (p.from !== undefined) add('raised_at >= ?', p.from);
    if (p.to !== undefined) add('raised_at < ?', p.to);
    // Only fixed column names go into the SQL text; every value is a bound parameter.
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = this.prepared(`SELECT COUNT(*) AS n FROM alarms ${w}`).get(...args) as { n: number };
    const rows = this.prepared(`SELECT data FROM alarms ${w} ORDER BY raised_at DESC, id DESC LIMIT ? OFFSET ?`).all(
      ...args,
      p.limit,
      p.offset,
    ) as AlarmRow[];
    return { total: total.n, items: rows.map((r) => parseAlarm(r.data)) };
  }

  /** Filter combinations are few (2^6 WHERE shapes), so their statements are cached, not re-prepared. */
  private prepared(sql: string): Database.Statement {
    let st = this.queryCache.get(sql);
    if (!st) this.queryCache.set(sql, (st = this.db.prepare(sql)));
    return st;
  }

  /** Every decision about one alarm, oldest first, from the audit log. */
  history(alarmId: number): AuditEntry[] {
    return this.stmts.history.all(alarmId).map(auditEntry);
  }

  // ── health (server/alarms/health.ts) ─────────────────────────────────────────────────────────────────

  countRaised(from: number, to: number): number {
    return this.stmts.countRaised.get(from, to)?.n ?? 0;
  }

  /** Median of ackAt − raisedAt over alarms first acknowledged in [from, to); null when none. */
  medianAckMs(from: number, to: number): { median: number | null; count: number } {
    const n = this.stmts.ackCount.get(from, to)?.n ?? 0;
    if (n === 0) return { median: null, count: 0 };
    const lo = this.stmts.ackNth.get(from, to, Math.floor((n - 1) / 2))!.d;
    const hi = this.stmts.ackNth.get(from, to, Math.floor(n / 2))!.d;
    return { median: (lo + hi) / 2, count: n };
  }

  /** Open alarms raised at or before `before`, oldest first. */
  standing(before: number, limit: number): { total: number; oldest: Alarm[] } {
    return {
      total: this.stmts.standingCount.get(before)?.n ?? 0,
      oldest: this.stmts.standing.all(before, limit).map((r) => parseAlarm(r.data)),
    };
  }

  /**
   * The alarms open at `at` (raised at or before it, not resolved or closed before it), each as it was then,
   * newest raised first, at most `limit`; `total` counts them all.
   */
  openAt(at: number, limit: number): { total: number; items: Alarm[] } {
    const rows = this.stmts.openAt.all({ at, limit });
    return {
      total: this.stmts.openAtCount.get({ at })?.n ?? 0,
      items: rows.map((r) => parseAlarm(r.snap ?? r.data)),
    };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function alarmParams(a: Alarm, json: string) {
  return {
    id: a.id,
    ruleId: a.ruleId,
    source: a.source,
    kind: a.kind,
    domain: a.domain,
    commune: a.commune,
    severity: a.severity,
    severityRank: severityRank(a.severity),
    state: a.state,
    open: openFlag(a),
    raisedAt: a.raisedAt,
    updatedAt: a.updatedAt,
    ackAt: a.ackAt,
    endedAt: endedAt(a),
    rev: a.rev,
    data: json,
  };
}

/** Applies the migrations past the file's user_version, each in its own transaction. */
export function migrate(db: Database.Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`alarm database is schema v${current}, newer than this server (v${MIGRATIONS.length}): upgrade the server`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return MIGRATIONS.length;
}

