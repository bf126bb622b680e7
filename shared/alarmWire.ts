/**
 * Alarms in the views' frames (issue 18): a group's member list cut, routine changes as repeats of the fields
 * that moved, whole changes without their empty fields, and the way back for the views. The alarm itself and
 * its HTTP answers are in alarms.ts; only the live frames use these encodings.
 */
import { z } from 'zod';
import { SYSTEM_ACTOR, alarmChangeSchema, alarmSchema, type Alarm, type AlarmChange } from './alarms';

const num = z.number();
const nullableNum = num.nullable();

/**
 * Member ids a group carries in the views' frames: enough to name a few (the console shows 12), not the
 * engine's 500, which made one group of street lights 10 KB in every snapshot, phone frame and whole change.
 */
export const WIRE_MEMBER_SOURCES = 20;

/** The alarm as the views' frames carry it: the same object unless its member list must be cut. */
export function alarmForWire(a: Alarm): Alarm {
  if (!a.members || a.members.sources.length <= WIRE_MEMBER_SOURCES) return a;
  return { ...a, members: { ...a.members, sources: a.members.sources.slice(0, WIRE_MEMBER_SOURCES) } };
}

/** The fields a coalesced repeat moves; everything else stays as the alarm's previous change left it. */
export const alarmRepeatSetSchema = z
  .object({
    count: num,
    lastSeen: num,
    value: nullableNum,
    levelNow: num,
    runs: z.array(nullableNum),
    members: z.object({ total: num, active: num }).partial(),
    /** A condition clearing or coming back by itself: active ↔ cleared only (decisions go whole). */
    state: z.enum(['active', 'cleared']),
    conditionActive: z.boolean(),
    clearedAt: nullableNum,
    conditionSince: num,
  })
  .partial();
export type AlarmRepeatSet = z.infer<typeof alarmRepeatSetSchema>;

export const REPEAT_CHANGE_KINDS = ['updated', 'grouped', 'cleared'] as const;

/** The states a repeat may move between: a condition clearing and coming back, nobody's decision. */
const REPEAT_STATES: ReadonlySet<Alarm['state']> = new Set(['active', 'cleared']);

/**
 * A repeat on the wire (issue 18): an alarm's id, its new rev and only the fields that moved since its previous
 * change, about 100 bytes instead of a whole alarm (with a group's member list, several KB). Raises, severity
 * steps, operator actions and closing travel whole; the system's own moves between active and cleared (a storm
 * group's members all back, then some offline again) are repeats. A group's member list (`members.sources`) is
 * not carried: the views keep the list of the last whole change (GET /api/alarms/:id has the current one).
 */
export const alarmRepeatSchema = z.object({
  rev: num,
  change: z.enum(REPEAT_CHANGE_KINDS),
  id: num,
  at: num,
  set: alarmRepeatSetSchema,
});
export type AlarmRepeat = z.infer<typeof alarmRepeatSchema>;

/**
 * The fields a whole alarm in a views' delta leaves out while they hold these values, and `runs` when empty,
 * `rev`, `updatedAt` and `raisedAt` when they are the change's own: a storm group's raise went from 727 to 477
 * bytes. In the bench's storm at 100,000 devices the raises of new groups (7–10 a tick) were two thirds of a
 * 10–12 KB alarm part (issue 18). `wholeFromWire` puts them back; every other carrier (HTTP, the store,
 * snapshots) is whole.
 */
const WIRE_EMPTY = {
  commune: null,
  value: null,
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
} as const satisfies Partial<Alarm>;
const WIRE_EMPTY_KEYS = Object.keys(WIRE_EMPTY) as (keyof typeof WIRE_EMPTY)[];
/** Every field a whole alarm on the wire may leave out. */
const WIRE_OPTIONAL = [...WIRE_EMPTY_KEYS, 'rev', 'updatedAt', 'raisedAt', 'runs'] as const;

export const wireAlarmSchema = alarmSchema.partial(Object.fromEntries(WIRE_OPTIONAL.map((k) => [k, true])) as { [K in (typeof WIRE_OPTIONAL)[number]]: true });
export type WireAlarm = z.infer<typeof wireAlarmSchema>;
export const wireWholeChangeSchema = alarmChangeSchema.extend({ alarm: wireAlarmSchema });
export type WireWholeChange = z.infer<typeof wireWholeChangeSchema>;

/** A whole change as a views' delta carries it (its alarm's empty fields left out). */
export function wholeToWire(c: AlarmChange): WireWholeChange {
  const a: Record<string, unknown> = { ...c.alarm };
  for (const k of WIRE_EMPTY_KEYS) if (a[k] === WIRE_EMPTY[k]) delete a[k];
  if (c.alarm.runs.length === 0) delete a.runs;
  if (c.alarm.rev === c.rev) delete a.rev;
  if (c.alarm.updatedAt === c.at) delete a.updatedAt;
  if (c.alarm.raisedAt === c.at) delete a.raisedAt;
  return { ...c, alarm: a as WireAlarm };
}

/** The whole change back from the wire: every field the alarm left out restored (a new alarm object). */
export function wholeFromWire(c: WireWholeChange): AlarmChange {
  const w = c.alarm;
  const alarm: Alarm = { ...WIRE_EMPTY, runs: [], ...w, rev: w.rev ?? c.rev, updatedAt: w.updatedAt ?? c.at, raisedAt: w.raisedAt ?? c.at };
  return { ...c, alarm };
}

/** One change in a views' delta: a whole one (empty fields left out), or a repeat against the alarm the view already holds. */
export const wireAlarmChangeSchema = z.union([wireWholeChangeSchema, alarmRepeatSchema]);
export type WireAlarmChange = z.infer<typeof wireAlarmChangeSchema>;

export const isAlarmRepeat = (c: WireAlarmChange | AlarmChange): c is AlarmRepeat => !('alarm' in c);

/** Fields a repeat may move without being sent whole (`rev` and `updatedAt` move with every change). */
const REPEAT_FIELDS: ReadonlySet<string> = new Set([
  'rev',
  'updatedAt',
  'count',
  'lastSeen',
  'value',
  'levelNow',
  'runs',
  'members',
  'state',
  'conditionActive',
  'clearedAt',
  'conditionSince',
]);
const DECISION_FIELDS = (Object.keys(alarmSchema.shape) as (keyof Alarm)[]).filter((k) => !REPEAT_FIELDS.has(k));

const sameRuns = (a: readonly (number | null)[], b: readonly (number | null)[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * A change the system made by itself that no view announces: a repeat, a group's members moving, a condition
 * clearing. Raises, severity steps, escalations, closing and every operator's action are not.
 */
export function isRoutineChange(c: Pick<AlarmChange, 'change' | 'actor' | 'previousSeverity' | 'note'>): boolean {
  return (REPEAT_CHANGE_KINDS as readonly string[]).includes(c.change) && c.previousSeverity === undefined && c.note === undefined && c.actor === SYSTEM_ACTOR;
}

/**
 * `c` as a repeat against `prev` (the alarm after its previous change), or null when it must go whole: it is
 * not a system repeat, or a field other than the repeat fields moved (a severity, a state, a title…).
 */
export function toRepeat(prev: Alarm, c: AlarmChange): AlarmRepeat | null {
  const next = c.alarm;
  if (!isRoutineChange(c) || prev.id !== next.id) return null;
  for (const k of DECISION_FIELDS) if (prev[k] !== next[k]) return null;
  if (prev.state !== next.state && !(REPEAT_STATES.has(prev.state) && REPEAT_STATES.has(next.state))) return null;
  if ((prev.members === null) !== (next.members === null)) return null;
  const set: AlarmRepeatSet = {};
  if (prev.count !== next.count) set.count = next.count;
  if (prev.lastSeen !== next.lastSeen) set.lastSeen = next.lastSeen;
  if (prev.value !== next.value) set.value = next.value;
  if (prev.levelNow !== next.levelNow) set.levelNow = next.levelNow;
  if (!sameRuns(prev.runs, next.runs)) set.runs = [...next.runs];
  if (prev.state !== next.state) set.state = next.state as 'active' | 'cleared';
  if (prev.conditionActive !== next.conditionActive) set.conditionActive = next.conditionActive;
  if (prev.clearedAt !== next.clearedAt) set.clearedAt = next.clearedAt;
  if (prev.conditionSince !== next.conditionSince) set.conditionSince = next.conditionSince;
  if (prev.members && next.members) {
    const m: NonNullable<AlarmRepeatSet['members']> = {};
    if (prev.members.total !== next.members.total) m.total = next.members.total;
    if (prev.members.active !== next.members.active) m.active = next.members.active;
    if (m.total !== undefined || m.active !== undefined) set.members = m;
  }
  return { rev: c.rev, change: c.change as AlarmRepeat['change'], id: next.id, at: c.at, set };
}

/** The alarm after a repeat: a new object (views compare by identity), `a` untouched. */
export function applyRepeat(a: Alarm, r: AlarmRepeat): Alarm {
  const s = r.set;
  const out: Alarm = { ...a, rev: r.rev, updatedAt: r.at };
  if (s.count !== undefined) out.count = s.count;
  if (s.lastSeen !== undefined) out.lastSeen = s.lastSeen;
  if (s.value !== undefined) out.value = s.value;
  if (s.levelNow !== undefined) out.levelNow = s.levelNow;
  if (s.runs !== undefined) out.runs = [...s.runs];
  if (s.state !== undefined) out.state = s.state;
  if (s.conditionActive !== undefined) out.conditionActive = s.conditionActive;
  if (s.clearedAt !== undefined) out.clearedAt = s.clearedAt;
  if (s.conditionSince !== undefined) out.conditionSince = s.conditionSince;
  if (s.members && a.members) {
    out.members = {
      total: s.members.total ?? a.members.total,
      active: s.members.active ?? a.members.active,
      sources: a.members.sources,
    };
  }
  return out;
}
