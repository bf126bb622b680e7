/** Small pure helpers over Alarm records shared by the engine, its actions and the store. */
import type { Alarm, AlarmKind, AlarmState, Severity, SignalDomain } from '../../shared/alarms';

/** One open alarm per (rule, source): the key of every index over open alarms. */
export const alarmKey = (ruleId: string, source: string): string => `${ruleId}\u0000${source}`;

export const groupSource = (commune: string | null): string => `group:${commune ?? '-'}`;
export const OVERFLOW_SOURCE = 'overflow';

/** A deep enough copy that a listener keeping it never sees later mutations. */
export function copyAlarm(a: Alarm): Alarm {
  return {
    ...a,
    runs: [...a.runs],
    members: a.members && { ...a.members, sources: [...a.members.sources] },
  };
}

export const isUnacknowledged = (s: AlarmState): boolean => s === 'active' || s === 'cleared';

export interface NewAlarm {
  id: number;
  kind: AlarmKind;
  ruleId: string;
  source: string;
  signal: string;
  domain: SignalDomain;
  commune: string | null;
  title: string;
  severity: Severity;
  level: number;
  value: number | null;
  raisedAt: number;
  lastSeen: number;
  conditionSince: number;
  runs: (number | null)[];
  ackDeadline: number | null;
}

/**
 * Fields are listed, not spread from `n`: a spread followed by this many properties gives every alarm its
 * own V8 hidden class, which measured ~100 µs per alarm instead of ~2 µs.
 */
export function makeAlarm(n: NewAlarm): Alarm {
  return {
    id: n.id,
    rev: 0,
    ruleId: n.ruleId,
    kind: n.kind,
    source: n.source,
    signal: n.signal,
    domain: n.domain,
    commune: n.commune,
    title: n.title,
    severity: n.severity,
    level: n.level,
    levelNow: n.level,
    state: 'active',
    conditionActive: true,
    value: n.value,
    count: n.kind === 'single' ? 1 : 0,
    raisedAt: n.raisedAt,
    lastSeen: n.lastSeen,
    updatedAt: n.raisedAt,
    conditionSince: n.conditionSince,
    runs: n.runs,
    clearedAt: null,
    ackAt: null,
    ackBy: null,
    assignee: null,
    assignedAt: null,
    resolvedAt: null,
    resolvedBy: null,
    note: null,
    closedAt: null,
    escalationLevel: 0,
    ackDeadline: n.ackDeadline,
    members: n.kind === 'single' ? null : { total: 0, active: 0, sources: [] },
  };
}
