/** Test factories for alarm UI tests (STYLE.md 15: factories, no shared state). */
import { countAlarmTotals, type Alarm, type AlarmChange, type ChangeKind } from '../../shared/alarms';
import type { AlarmsSnapshot } from '../../shared/events';
import { AlarmStore, type AlarmStoreOptions } from './alarmStore';

const T0 = Date.UTC(2026, 10, 24, 1, 0, 0);

export function makeAlarm(overrides: Partial<Alarm> = {}): Alarm {
  const id = overrides.id ?? 1;
  return {
    id,
    rev: 1,
    ruleId: 'river-stage',
    kind: 'single',
    source: `hydro-${id}`,
    signal: 'river.stage',
    domain: 'hydro',
    commune: '51001',
    title: 'Mực nước vượt BĐ III',
    severity: 'critical',
    level: 2,
    levelNow: 2,
    state: 'active',
    conditionActive: true,
    value: 3,
    count: 1,
    raisedAt: T0,
    lastSeen: T0,
    updatedAt: T0,
    conditionSince: T0,
    runs: [T0, T0, T0],
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
    ackDeadline: null,
    members: null,
    ...overrides,
  };
}

export function makeChange(rev: number, change: ChangeKind, alarm: Partial<Alarm>, extra: Partial<AlarmChange> = {}): AlarmChange {
  return { rev, change, alarm: makeAlarm({ ...alarm, rev }), actor: 'system', at: T0, ...extra };
}

/** A snapshot whose totals count its list (and say `openTotal` open), as the server's would for a short list. */
export function withTotals(s: Omit<AlarmsSnapshot, 'totals'>): AlarmsSnapshot {
  return { ...s, totals: { ...countAlarmTotals(s.open), open: s.openTotal } };
}

/** A store whose frame callback runs only when the test says so. */
export function manualStore(options: AlarmStoreOptions = {}): { store: AlarmStore; flush: () => number } {
  const queue: (() => void)[] = [];
  const store = new AlarmStore({ ...options, schedule: (cb) => queue.push(cb) });
  return {
    store,
    flush: () => {
      const n = queue.length;
      for (const cb of queue.splice(0)) cb();
      return n;
    },
  };
}
