/**
 * What the two alarm stores share (AlarmStore on better-sqlite3, AlarmRecords on the SQL port): the query of
 * GET /api/alarms, how a record maps to the columns that are not in its JSON, and an audit row to its entry.
 */
import { z } from 'zod';
import { ALARM_STATES, SEVERITIES, SIGNAL_DOMAINS, type Alarm, type AuditEntry, type ChangeKind } from '../../shared/alarms';

export const MAX_QUERY_LIMIT = 500;

/** GET /api/alarms query string; safeParse the raw query object (numbers arrive as strings). */
export const alarmQuerySchema = z.object({
  /** A state, or 'open' for every state but resolved and closed. */
  state: z.enum([...ALARM_STATES, 'open']).optional(),
  severity: z.enum(SEVERITIES).optional(),
  domain: z.enum(SIGNAL_DOMAINS).optional(),
  commune: z.string().min(1).max(16).optional(),
  /** raisedAt ≥ from (epoch ms). */
  from: z.coerce.number().int().optional(),
  /** raisedAt < to (epoch ms). */
  to: z.coerce.number().int().optional(),
  limit: z.coerce.number().int().min(1).max(MAX_QUERY_LIMIT).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type AlarmQuery = z.input<typeof alarmQuerySchema>;

/** The `open` column: every state but resolved and closed. */
export const openFlag = (a: Alarm): 0 | 1 => (a.state === 'resolved' || a.state === 'closed' ? 0 : 1);

/** The `ended_at` column: when an ended alarm ended (the earlier of resolvedAt and closedAt); null while open. */
export function endedAt(a: Alarm): number | null {
  if (openFlag(a) === 1) return null;
  if (a.resolvedAt !== null && a.closedAt !== null) return Math.min(a.resolvedAt, a.closedAt);
  return a.resolvedAt ?? a.closedAt;
}

// Rows were written by the stores from typed records; a parse failure means a corrupt database, so fail loudly.
export const parseAlarm = (json: string): Alarm => JSON.parse(json) as Alarm;

/** An audit row as either engine returns it (PostgreSQL's BIGINT columns may come back as strings). */
export interface AuditRow {
  id: number | string;
  alarm_id: number | string;
  rev: number | string;
  at: number | string;
  actor: string;
  change: string;
  note: string | null;
  snapshot: string;
}

export function auditEntry(r: AuditRow): AuditEntry {
  return {
    id: Number(r.id),
    alarmId: Number(r.alarm_id),
    rev: Number(r.rev),
    at: Number(r.at),
    actor: r.actor,
    change: r.change as ChangeKind,
    note: r.note,
    snapshot: parseAlarm(r.snapshot),
  };
}
