import { describe, expect, it } from 'vitest';
import { AlarmStore } from '../store/alarmStore';
import { AlarmEngine } from './engine';
import type { AlarmWrite } from './storePort';
import { kinds, makeHarness, makeRule, MIN, T0 } from './testing';
import type { AlarmChange } from '../../shared/alarms';

const critical = () => makeRule({ levels: [{ severity: 'critical', at: 10, title: 'Khẩn' }] });
const escalations = (cs: AlarmChange[]) => cs.filter((c) => c.change === 'escalated').map((c) => [c.at - T0, c.alarm.escalationLevel]);

describe('escalation', () => {
  it('escalates a critical alarm unacknowledged for 5 min, again every 5 min, up to the cap', () => {
    const h = makeHarness([critical()]);
    h.at(T0, { value: 11 });
    expect(h.changes[0]!.alarm.ackDeadline).toBe(T0 + 5 * MIN);
    h.tick(T0 + 5 * MIN - 1);
    expect(escalations(h.changes)).toEqual([]);
    for (const m of [5, 10, 15, 20, 40]) h.tick(T0 + m * MIN);
    expect(escalations(h.changes)).toEqual([
      [5 * MIN, 1],
      [10 * MIN, 2],
      [15 * MIN, 3],
    ]);
    expect(h.engine.snapshot().alarms[0]).toMatchObject({ escalationLevel: 3, ackDeadline: null });
  });

  it('catches up one level per missed period when ticks were late', () => {
    const h = makeHarness([critical()]);
    h.at(T0, { value: 11 });
    h.tick(T0 + 12 * MIN);
    expect(escalations(h.changes)).toEqual([
      [12 * MIN, 1],
      [12 * MIN, 2],
    ]);
  });

  it('does not escalate once acknowledged, nor a warning', () => {
    const h = makeHarness([critical(), makeRule({ id: 'w', signal: 'y' })]);
    h.at(T0, { value: 11 });
    h.at(T0, { signal: 'y', value: 11 });
    h.clock.t = T0 + 4 * MIN;
    expect(h.engine.acknowledge(h.changes[0]!.alarm.id, 'Lan')).toMatchObject({ data: { ackDeadline: null } });
    for (const m of [5, 10, 60]) h.tick(T0 + m * MIN);
    expect(escalations(h.changes)).toEqual([]);
  });
});

describe('lifecycle', () => {
  it('active → acknowledged → assigned → resolved with a note, every step in the audit log', () => {
    const h = makeHarness([makeRule()]);
    h.at(T0, { value: 11 });
    const id = h.changes[0]!.alarm.id;
    h.clock.t = T0 + MIN;
    expect(h.engine.acknowledge(id, 'Lan', 'đang kiểm tra')).toMatchObject({ data: { state: 'acknowledged', ackAt: T0 + MIN, ackBy: 'Lan' } });
    h.clock.t = T0 + 2 * MIN;
    expect(h.engine.assign(id, 'Lan', 'Tuấn')).toMatchObject({ data: { state: 'assigned', assignee: 'Tuấn' } });
    h.clock.t = T0 + 3 * MIN;
    expect(h.engine.resolve(id, 'Tuấn', '  Đã thay cảm biến  ')).toMatchObject({
      data: { state: 'resolved', note: 'Đã thay cảm biến', resolvedBy: 'Tuấn', resolvedAt: T0 + 3 * MIN },
    });
    expect(h.engine.snapshot().alarms).toEqual([]);
    const hist = h.store.history(id);
    expect(hist.map((e) => [e.change, e.actor, e.at - T0, e.note])).toEqual([
      ['raised', 'system', 0, null],
      ['acknowledged', 'Lan', MIN, 'đang kiểm tra'],
      ['assigned', 'Lan', 2 * MIN, null],
      ['resolved', 'Tuấn', 3 * MIN, 'Đã thay cảm biến'],
    ]);
    expect(hist.map((e) => e.rev)).toEqual(h.changes.map((c) => c.rev));
    expect(h.store.get(id)).toMatchObject({ state: 'resolved' });
  });

  it('revs strictly increase across alarms and calls', () => {
    const h = makeHarness([makeRule()]);
    for (let i = 0; i < 20; i++) h.at(T0 + i, { source: `s${i % 4}`, value: i % 3 === 0 ? 5 : 11 });
    h.tick(T0 + 100);
    const revs = h.changes.map((c) => c.rev);
    expect(revs).toEqual(revs.map((_, i) => revs[0]! + i));
    expect(h.engine.snapshot().rev).toBe(revs.at(-1));
  });

  it('assigning an unacknowledged alarm acknowledges it first; an assigned alarm outlives its condition', () => {
    const h = makeHarness([makeRule()]);
    h.at(T0, { value: 11 });
    const id = h.changes[0]!.alarm.id;
    h.engine.assign(id, 'Lan', 'Tuấn');
    h.at(T0 + MIN, { value: 1 });
    expect(kinds(h.changes)).toEqual(['raised', 'acknowledged', 'assigned', 'cleared']);
    expect(h.engine.get(id)).toMatchObject({ state: 'assigned', conditionActive: false });
    expect(h.engine.resolve(id, 'Tuấn', 'xong')).toMatchObject({ data: { state: 'resolved' } });
  });

  it('acknowledging a cleared alarm closes it', () => {
    const h = makeHarness([makeRule()]);
    h.at(T0, { value: 11 });
    h.at(T0 + 1, { value: 1 });
    const id = h.changes[0]!.alarm.id;
    expect(h.engine.acknowledge(id, 'Lan')).toMatchObject({ data: { state: 'closed', closedAt: T0 + 1 } });
    expect(kinds(h.changes)).toEqual(['raised', 'cleared', 'acknowledged', 'closed']);
  });

  it('refuses invalid transitions with coded errors and changes nothing', () => {
    const h = makeHarness([makeRule()]);
    h.at(T0, { value: 11 });
    const id = h.changes[0]!.alarm.id;
    const before = h.changes.length;
    expect(h.engine.resolve(id, 'Lan', '')).toMatchObject({ error: { code: 'ALARM_NOTE_REQUIRED' } });
    expect(h.engine.resolve(id, 'Lan', '   ')).toMatchObject({ error: { code: 'ALARM_NOTE_REQUIRED' } });
    expect(h.engine.resolve(id, 'Lan', undefined as unknown as string)).toMatchObject({ error: { code: 'ALARM_NOTE_REQUIRED' } });
    expect(h.engine.acknowledge(id, ' ')).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    expect(h.engine.assign(id, 'Lan', '')).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    expect(h.engine.acknowledge(999, 'Lan')).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(h.changes).toHaveLength(before);
    expect(h.engine.get(id)).toMatchObject({ state: 'active', note: null });

    h.engine.acknowledge(id, 'Lan');
    expect(h.engine.acknowledge(id, 'Minh')).toMatchObject({ error: { code: 'ALARM_INVALID_TRANSITION' } });
    h.engine.assign(id, 'Lan', 'Tuấn');
    expect(h.engine.assign(id, 'Lan', 'Tuấn')).toMatchObject({ error: { code: 'ALARM_INVALID_TRANSITION' } });
    h.engine.resolve(id, 'Lan', 'ok');
    expect(h.engine.acknowledge(id, 'Lan')).toMatchObject({ error: { code: 'ALARM_CLOSED' } });
    expect(h.engine.resolve(id, 'Lan', 'again')).toMatchObject({ error: { code: 'ALARM_CLOSED' } });
  });

  it('rolls an action back when the store write fails, and the next one continues the revs', () => {
    const store = new AlarmStore(':memory:');
    let fail = false;
    const port = {
      maxIds: () => store.maxIds(),
      loadOpen: () => store.loadOpen(),
      get: (id: number) => store.get(id),
      write: (w: AlarmWrite) => {
        if (fail) throw new Error('disk full');
        store.write(w);
      },
    };
    const changes: AlarmChange[] = [];
    const engine = new AlarmEngine({ rules: [critical()], now: () => T0, store: port });
    const unsubscribe = engine.subscribe((c) => changes.push(c));
    engine.evaluate({ source: 'a', signal: 'x', value: 11, ts: T0, domain: 'device' });
    const id = changes[0]!.alarm.id;
    fail = true;
    expect(engine.acknowledge(id, 'Lan')).toMatchObject({ error: { code: 'ALARM_STORE_FAILED' } });
    expect(engine.get(id)).toMatchObject({ state: 'active', ackAt: null, ackDeadline: T0 + 5 * MIN });
    expect(changes).toHaveLength(1);
    fail = false;
    expect(engine.acknowledge(id, 'Lan')).toMatchObject({ data: { state: 'acknowledged', rev: 2 } });
    unsubscribe();
    engine.resolve(id, 'Lan', 'ok');
    expect(changes).toHaveLength(2);
    expect(store.history(id).map((e) => e.rev)).toEqual([1, 2, 3]);
  });

  it('still tells listeners when a background write fails, and reports the error', () => {
    const errors: unknown[] = [];
    const changes: AlarmChange[] = [];
    const engine = new AlarmEngine({
      rules: [makeRule()],
      now: () => T0,
      store: { maxIds: () => ({ alarmId: 0, rev: 0 }), loadOpen: () => [], get: () => undefined, write: () => { throw new Error('disk full'); } },
      onStoreError: (e) => errors.push(e),
    });
    engine.subscribe((c) => changes.push(c));
    engine.evaluate({ source: 'a', signal: 'x', value: 11, ts: T0, domain: 'device' });
    expect(kinds(changes)).toEqual(['raised']);
    expect(errors).toHaveLength(1);
  });
});
