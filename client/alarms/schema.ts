/** zod schemas for the alarm HTTP answers (STYLE.md 3: validated at the edge, never cast). */
import { z } from 'zod';
import { ALARM_KINDS, ALARM_STATES, CHANGE_KINDS, SEVERITIES, SIGNAL_DOMAINS, type Alarm } from '../../shared/alarms';

const num = z.number();
const nullableNum = num.nullable();
const nullableStr = z.string().nullable();

export const alarmSchema = z.object({
  id: num,
  rev: num,
  ruleId: z.string(),
  kind: z.enum(ALARM_KINDS),
  source: z.string(),
  signal: z.string(),
  domain: z.enum(SIGNAL_DOMAINS),
  commune: nullableStr,
  title: z.string(),
  severity: z.enum(SEVERITIES),
  level: num,
  levelNow: num,
  state: z.enum(ALARM_STATES),
  conditionActive: z.boolean(),
  value: nullableNum,
  count: num,
  raisedAt: num,
  lastSeen: num,
  updatedAt: num,
  conditionSince: num,
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
  ackDeadline: nullableNum,
  members: z.object({ total: num, active: num, sources: z.array(z.string()) }).nullable(),
}) satisfies z.ZodType<Alarm>;

export const alarmPageSchema = z.object({ total: num, items: z.array(alarmSchema) });
export type AlarmPage = z.infer<typeof alarmPageSchema>;

export const auditEntrySchema = z.object({
  rev: num,
  at: num,
  actor: z.string(),
  change: z.enum(CHANGE_KINDS),
  note: nullableStr,
  /** The alarm after this change: lets the history show severity steps. */
  snapshot: z.object({ severity: z.enum(SEVERITIES), title: z.string(), escalationLevel: num }).optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const alarmDetailSchema = z.object({ alarm: alarmSchema, history: z.array(auditEntrySchema) });
export type AlarmDetail = z.infer<typeof alarmDetailSchema>;

export const actionAnswerSchema = z.union([
  z.object({ data: alarmSchema }),
  z.object({ error: z.object({ code: z.string(), message: z.string() }) }),
]);
