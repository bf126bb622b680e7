/**
 * The alarm contract: signals, alarms, changes and the alarm HTTP answers as zod schemas, their types
 * inferred from them (STYLE.md 22), so the server's records and the client's parsing cannot drift apart.
 */
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './protocol';

export const SIGNAL_DOMAINS = ['air', 'water', 'hydro', 'rain', 'traffic', 'device'] as const;
export type SignalDomain = (typeof SIGNAL_DOMAINS)[number];

/**
 * One observation a rule can watch. `value: null` means the source reported but the quantity could not be
 * computed (e.g. an AQI without PM data): it moves no threshold and does not count as data for no-data rules.
 */
export const signalSchema = z.object({
  source: z.string().min(1).max(128),
  signal: z.string().min(1).max(128),
  value: z.number().finite().nullable(),
  ts: z.number().finite(),
  commune: z.string().max(16).optional(),
  domain: z.enum(SIGNAL_DOMAINS),
});
export type Signal = z.infer<typeof signalSchema>;

/** The engine's hot-path check (signals come from our own domain code; zod per signal would cost more). */
export function isValidSignal(s: Signal): boolean {
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.source === 'string' &&
    s.source.length > 0 &&
    typeof s.signal === 'string' &&
    Number.isFinite(s.ts) &&
    (s.value === null || Number.isFinite(s.value))
  );
}

/** Ordered from least to most severe; `severityRank` compares them. */
export const SEVERITIES = ['warning', 'major', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

/**
 * - active: the condition holds and nobody has acknowledged it.
 * - cleared: the condition ended before anyone acknowledged: stays on the wall until acknowledged.
 * - acknowledged: someone has seen it; ends as closed when the condition clears, or resolved.
 * - assigned: an operator owns it; it stays open (even once the condition clears) until resolved with a note.
 * - resolved / closed: terminal; the alarm leaves the open set.
 */
export const ALARM_STATES = ['active', 'cleared', 'acknowledged', 'assigned', 'resolved', 'closed'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];
export const TERMINAL_STATES: readonly AlarmState[] = ['resolved', 'closed'];
export const isOpenState = (s: AlarmState): boolean => !TERMINAL_STATES.includes(s);

export const ALARM_KINDS = ['single', 'group', 'overflow'] as const;
export type AlarmKind = (typeof ALARM_KINDS)[number];

const num = z.number();
const nullableNum = num.nullable();
const nullableStr = z.string().nullable();

/** Members of a storm group (kind 'group') or of a per-rule overflow group (kind 'overflow'). */
export const alarmMembersSchema = z.object({
  /** Distinct sources ever folded in. */
  total: num,
  /** Members whose condition still holds; the group clears at 0. */
  active: num,
  /**
   * Members whose condition holds, in the order they joined, at most the engine's `maxMembers`; in the views'
   * frames at most WIRE_MEMBER_SOURCES (GET /api/alarms/:id has the whole list).
   */
  sources: z.array(z.string()),
});
export type AlarmMembers = z.infer<typeof alarmMembersSchema>;

/** One alarm as the engine keeps it, the store saves it, and the wire carries it (the HTTP answers are parsed with it). */
export const alarmSchema = z.object({
  id: num,
  /** Rev of the latest change to this alarm. */
  rev: num,
  ruleId: z.string(),
  kind: z.enum(ALARM_KINDS),
  /** Device/segment/commune id; `group:<commune>` for a storm group, `overflow` for an overflow group. */
  source: z.string(),
  signal: z.string(),
  domain: z.enum(SIGNAL_DOMAINS),
  commune: nullableStr,
  /** Vietnamese title of the highest level reached. */
  title: z.string(),
  /** Highest severity reached while open: an open alarm never quietly demotes itself. */
  severity: z.enum(SEVERITIES),
  /** Index (in the rule's levels) of the highest level reached. */
  level: num,
  /** Index of the highest level holding now; -1 when below every level (inside the hysteresis band or cleared). */
  levelNow: num,
  state: z.enum(ALARM_STATES),
  conditionActive: z.boolean(),
  /** Latest value seen (for rate rules, the rate per hour). */
  value: nullableNum,
  /** Matching signals while open (the raising one included). */
  count: num,
  raisedAt: num,
  /** Timestamp of the latest matching signal. */
  lastSeen: num,
  updatedAt: num,
  /** Signal time at which the current condition began (for stepped durations). */
  conditionSince: num,
  /** Per level: signal time its current run began, null when not running. Persisted so durations survive a restart. */
  runs: z.array(nullableNum),
  clearedAt: nullableNum,
  ackAt: nullableNum,
  ackBy: nullableStr,
  assignee: nullableStr,
  assignedAt: nullableNum,
  resolvedAt: nullableNum,
  resolvedBy: nullableStr,
  note: nullableStr,
  closedAt: nullableNum,
  escalationLevel: num,
  /** When the next escalation is due; null when acknowledged, not escalating, or at the cap. */
  ackDeadline: nullableNum,
  members: alarmMembersSchema.nullable(),
});
export type Alarm = z.infer<typeof alarmSchema>;

/**
 * Counts over all open alarms, from the server (issue: the wall counted its capped snapshot and showed 7
 * critical of 9 and "500 unacknowledged" of 1,224 during a storm). Views show these, never a count of their list.
 */
export const alarmTotalsSchema = z.object({
  open: num,
  bySeverity: z.object({ warning: num, major: num, critical: num }),
  /** Active or cleared: nobody has acknowledged them yet. */
  unacknowledged: num,
  /** Escalated at least once (escalationLevel > 0). */
  escalated: num,
});
export type AlarmTotals = z.infer<typeof alarmTotalsSchema>;

export function countAlarmTotals(alarms: Iterable<Pick<Alarm, 'severity' | 'state' | 'escalationLevel'>>): AlarmTotals {
  const t: AlarmTotals = { open: 0, bySeverity: { warning: 0, major: 0, critical: 0 }, unacknowledged: 0, escalated: 0 };
  for (const a of alarms) {
    if (!isOpenState(a.state)) continue;
    t.open++;
    t.bySeverity[a.severity]++;
    if (a.state === 'active' || a.state === 'cleared') t.unacknowledged++;
    if (a.escalationLevel > 0) t.escalated++;
  }
  return t;
}

export const sameAlarmTotals = (a: AlarmTotals, b: AlarmTotals): boolean =>
  a.open === b.open &&
  a.unacknowledged === b.unacknowledged &&
  a.escalated === b.escalated &&
  SEVERITIES.every((s) => a.bySeverity[s] === b.bySeverity[s]);

export const CHANGE_KINDS = [
  'raised',
  'updated',
  'escalated',
  'acknowledged',
  'assigned',
  'resolved',
  'cleared',
  'grouped',
  'closed',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** Every change to an alarm, in `rev` order: what the wall receives, and (for decisions) what the audit log stores. */
export const alarmChangeSchema = z.object({
  /** Strictly increasing across all alarms, never reused (it continues from the store after a restart). */
  rev: num,
  change: z.enum(CHANGE_KINDS),
  /** Snapshot of the alarm after the change (a copy; safe to keep). */
  alarm: alarmSchema,
  /** Operator name, or 'system' for changes made by the engine. */
  actor: z.string(),
  at: num,
  note: z.string().optional(),
  /** Set when the change raised the alarm's severity (e.g. BĐ I → BĐ II): the wall treats it like a new alarm. */
  previousSeverity: z.enum(SEVERITIES).optional(),
});
export type AlarmChange = z.infer<typeof alarmChangeSchema>;

/** One audit row: a decision about an alarm and the alarm after it (GET /api/alarms/:id). */
export const auditEntrySchema = z.object({
  id: num,
  alarmId: num,
  rev: num,
  at: num,
  actor: z.string(),
  change: z.enum(CHANGE_KINDS),
  note: nullableStr,
  /** The alarm after this change: lets the history show severity steps. */
  snapshot: alarmSchema,
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** GET /api/alarms: one page of alarms and the total that match. */
export const alarmPageSchema = z.object({ total: num, items: z.array(alarmSchema) });
export type AlarmPage = z.infer<typeof alarmPageSchema>;

/** GET /api/alarms/:id: the alarm and its audit log, oldest first. */
export const alarmDetailSchema = z.object({ alarm: alarmSchema, history: z.array(auditEntrySchema) });
export type AlarmDetail = z.infer<typeof alarmDetailSchema>;

/** The answer to an alarm action, over the socket or HTTP. */
export const actionAnswerSchema = z.union([
  z.object({ data: alarmSchema }),
  z.object({ error: z.object({ code: z.string(), message: z.string() }) }),
]);

export const SYSTEM_ACTOR = 'system';

/** The alarm actions' own error codes (all part of ERROR_CODES, so a socket ack can carry them). */
export const ALARM_ERROR_CODES = {
  ALARM_CLOSED: ERROR_CODES.ALARM_CLOSED,
  ALARM_INVALID_TRANSITION: ERROR_CODES.ALARM_INVALID_TRANSITION,
  ALARM_NOTE_REQUIRED: ERROR_CODES.ALARM_NOTE_REQUIRED,
  ALARM_STORE_FAILED: ERROR_CODES.ALARM_STORE_FAILED,
} as const;
export type AlarmErrorCode = (typeof ALARM_ERROR_CODES)[keyof typeof ALARM_ERROR_CODES];

export interface AlarmActionError {
  code: ErrorCode | AlarmErrorCode;
  message: string;
}
export type AlarmActionResult<T> = { data: T } | { error: AlarmActionError };

export const actionError = (code: AlarmActionError['code'], message: string): { error: AlarmActionError } => ({
  error: { code, message },
});
export { ERROR_CODES };

/** Vietnamese labels, never colour alone (issue 5 item 6). */
export const SEVERITY_LABELS: Record<Severity, string> = {
  warning: 'Cảnh báo',
  major: 'Nghiêm trọng',
  critical: 'Khẩn cấp',
};
export const STATE_LABELS: Record<AlarmState, string> = {
  active: 'Đang xảy ra',
  cleared: 'Đã hết, chưa xác nhận',
  acknowledged: 'Đã xác nhận',
  assigned: 'Đã giao xử lý',
  resolved: 'Đã xử lý',
  closed: 'Đã đóng',
};

/** Alarm health (issue 5 item 9), on the console and in /api/health. */
export interface AlarmHealth {
  at: number;
  /**
   * 24 clock-hour buckets, oldest first; the last is the current, partial hour. Vietnam has no daylight
   * saving and a whole-hour offset, so UTC hours are local hours too.
   */
  perHour: { hourStart: number; raised: number }[];
  /** Sum of perHour: the last 23 whole hours and the current partial one. */
  raisedTotal: number;
  /** Median of (first acknowledgement − raise) over alarms acknowledged in the last 24 h. */
  medianAckMs: number | null;
  acknowledged24h: number;
  standing: { shiftMs: number; total: number; oldest: Pick<Alarm, 'id' | 'title' | 'severity' | 'state' | 'raisedAt' | 'commune' | 'source'>[] };
}
