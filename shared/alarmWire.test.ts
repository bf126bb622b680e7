import { describe, expect, it } from 'vitest';
import type { Alarm, AlarmChange } from './alarms';
import { alarmRepeatSchema, applyRepeat, toRepeat, wholeFromWire, wholeToWire, wireAlarmChangeSchema } from './alarmWire';

const T0 = Date.UTC(2026, 11, 4, 2, 0, 0);
const group = (overrides: Partial<Alarm> = {}): Alarm => ({
  id: 7,
  rev: 10,
  ruleId: 'street-light-offline',
  kind: 'group',
  source: 'group:21100',
  signal: 'street-light.offline',
  domain: 'device',
  commune: '21100',
  title: 'Đèn đường mất kết nối',
  severity: 'warning',
  level: 0,
  levelNow: 0,
  state: 'active',
  conditionActive: true,
  value: 1,
  count: 40,
  raisedAt: T0,
  lastSeen: T0,
  updatedAt: T0,
  conditionSince: T0,
  runs: [],
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
  members: { total: 40, active: 37, sources: Array.from({ length: 37 }, (_, k) => `qng-iot-${String(k).padStart(5, '0')}`) },
  ...overrides,
});
const change = (alarm: Alarm, extra: Partial<AlarmChange> = {}): AlarmChange => ({ rev: alarm.rev, change: 'grouped', alarm, actor: 'system', at: alarm.updatedAt, ...extra });

describe('alarm repeats on the wire', () => {
  it('carry only the fields that moved, and applied to the previous alarm give the next one', () => {
    const prev = group();
    const next = group({ rev: 11, updatedAt: T0 + 250, count: 43, lastSeen: T0 + 250, members: { total: 41, active: 39, sources: prev.members!.sources.slice(1) } });
    const r = toRepeat(prev, change(next))!;
    expect(r).toEqual({ rev: 11, change: 'grouped', id: 7, at: T0 + 250, set: { count: 43, lastSeen: T0 + 250, members: { total: 41, active: 39 } } });
    expect(alarmRepeatSchema.safeParse(r).success).toBe(true);
    expect(wireAlarmChangeSchema.safeParse(r).success).toBe(true);
    // Far smaller than the whole alarm with its member list.
    expect(JSON.stringify(r).length * 5).toBeLessThan(JSON.stringify(change(next)).length);
    const applied = applyRepeat(prev, r);
    expect(applied).toEqual({ ...next, members: { ...next.members!, sources: prev.members!.sources } });
    expect(prev.count).toBe(40);
    // A value going back to null is a move too.
    expect(applyRepeat(prev, toRepeat(prev, change(group({ rev: 11, value: null })))!).value).toBeNull();
  });

  it('are never used for raises, severity steps, decisions, closing or operators', () => {
    const prev = group();
    expect(toRepeat(prev, change(group({ rev: 11 }), { change: 'raised' }))).toBeNull();
    expect(toRepeat(prev, change(group({ rev: 11, severity: 'major', level: 1, title: 'Mức 2' }), { previousSeverity: 'warning' }))).toBeNull();
    expect(toRepeat(prev, change(group({ rev: 11, state: 'acknowledged', ackAt: T0, ackBy: 'An' }), { change: 'updated' }))).toBeNull();
    expect(toRepeat(prev, change(group({ rev: 11, state: 'closed', closedAt: T0 }), { change: 'closed' }))).toBeNull();
    // An acknowledged group whose members all came back: its state is the operator's, so it goes whole.
    const acked = group({ state: 'acknowledged', ackAt: T0, ackBy: 'An' });
    expect(toRepeat(acked, change(group({ rev: 11, state: 'cleared', ackAt: T0, ackBy: 'An', clearedAt: T0 }), { change: 'cleared' }))).toBeNull();
    expect(toRepeat(prev, change(group({ rev: 11, count: 41 }), { actor: 'Nguyễn Văn An' }))).toBeNull();
    expect(toRepeat(prev, change(group({ rev: 11, count: 41 }), { change: 'updated' }))).not.toBeNull();
  });

  it('carry a condition clearing and coming back by itself (active ↔ cleared) as the fields that moved', () => {
    const prev = group();
    const cleared = group({ rev: 11, updatedAt: T0 + 250, state: 'cleared', conditionActive: false, clearedAt: T0 + 250, levelNow: -1, members: { ...prev.members!, active: 0 } });
    const r = toRepeat(prev, change(cleared, { change: 'cleared' }))!;
    expect(r.set).toEqual({ levelNow: -1, state: 'cleared', conditionActive: false, clearedAt: T0 + 250, members: { active: 0 } });
    expect(alarmRepeatSchema.safeParse(r).success).toBe(true);
    expect(applyRepeat(prev, r)).toEqual(cleared);
    const back = group({ rev: 12, updatedAt: T0 + 500, conditionSince: T0 + 500, members: { ...prev.members!, active: 3 } });
    const r2 = toRepeat(cleared, change(back, { change: 'updated' }))!;
    expect(r2.set).toMatchObject({ state: 'active', conditionActive: true, clearedAt: null, conditionSince: T0 + 500 });
    expect(applyRepeat(cleared, r2)).toEqual(back);
  });
});

describe('whole alarm changes on the wire', () => {
  it('leave out the empty fields and the change\'s own rev and time, and come back equal', () => {
    const raise = change(group({ members: { total: 1, active: 1, sources: ['qng-iot-00001'] } }), { change: 'raised' });
    const wire = wholeToWire(raise);
    expect(wireAlarmChangeSchema.safeParse(wire).success).toBe(true);
    for (const k of ['rev', 'updatedAt', 'raisedAt', 'runs', 'clearedAt', 'ackAt', 'ackBy', 'assignee', 'resolvedAt', 'note', 'closedAt', 'escalationLevel', 'ackDeadline']) expect(wire.alarm).not.toHaveProperty(k);
    expect(wire.alarm).toMatchObject({ id: 7, commune: '21100', value: 1, members: { total: 1 } });
    // About 730 bytes whole; the bench's storm sent 7–10 raises a tick.
    expect(JSON.stringify(wire).length).toBeLessThan(0.7 * JSON.stringify(raise).length);
    expect(wholeFromWire(JSON.parse(JSON.stringify(wire)) as typeof wire)).toEqual(raise);
  });

  it('keep every field that holds something, and an alarm rev or time that is not the change\'s', () => {
    const acked = group({ rev: 12, updatedAt: T0 + 9, state: 'acknowledged', ackAt: T0 + 9, ackBy: 'Nguyễn Văn An', escalationLevel: 1, runs: [T0, null], commune: null, value: null, members: null });
    const c = change(acked, { change: 'acknowledged', actor: 'Nguyễn Văn An', rev: 13, at: T0 + 10, note: 'đã cử đội' });
    const wire = wholeToWire(c);
    expect(wire.alarm).toMatchObject({ rev: 12, updatedAt: T0 + 9, raisedAt: T0, ackAt: T0 + 9, ackBy: 'Nguyễn Văn An', escalationLevel: 1, runs: [T0, null] });
    expect(wire.alarm).not.toHaveProperty('commune');
    expect(wholeFromWire(JSON.parse(JSON.stringify(wire)) as typeof wire)).toEqual(c);
    // The change itself is untouched.
    expect(c.alarm.commune).toBeNull();
  });
});
