import { describe, expect, it } from 'vitest';
import type { Alarm, Signal } from '../../shared/alarms';
import { applyRepeat, isAlarmRepeat, wholeFromWire, WIRE_MEMBER_SOURCES, type WireAlarmChange } from '../../shared/alarmWire';
import { AlarmService, ROUTINE_EVERY_TICKS } from './service';
import { T0 } from './testing';

const light = (k: number, value: number, ts: number): Signal => ({
  source: `light-${k}`,
  signal: 'street-light.offline',
  value,
  ts,
  commune: '21100',
  domain: 'device',
});

/** The changes of the next deltas, enough of them for every held routine change to have had its slot. */
function drain(service: AlarmService, deltas = ROUTINE_EVERY_TICKS): WireAlarmChange[] {
  return Array.from({ length: deltas }, () => service.takeChanges().changes).flat();
}

describe('AlarmService frames', () => {
  it('a group goes whole (member list cut) when raised, then as the fields that moved; the snapshot stays whole', () => {
    let now = T0;
    const service = new AlarmService({ store: { dbPath: ':memory:' }, now: () => now });
    try {
      for (let k = 0; k < 600; k++) service.push(light(k, 1, now));
      service.tick(now);
      // The raise at once; its members' count in the alarm's slot, within a second.
      const first = drain(service);
      expect(first.map((c) => c.change)).toEqual(['raised', 'grouped']);
      const raised = first[0]!;
      if (isAlarmRepeat(raised)) throw new Error('a raise goes whole');
      expect(raised.alarm).toMatchObject({ title: 'Đèn đường mất kết nối', members: { total: 1, active: 1 } });
      expect(first[1]).toMatchObject({ id: raised.alarm.id, change: 'grouped', set: { count: 600, members: { total: 600, active: 600 } } });
      expect(first[1]).not.toHaveProperty('alarm');

      now += 250;
      for (let k = 0; k < 10; k++) service.push(light(k, 0, now));
      service.tick(now);
      const next = drain(service);
      expect(next).toEqual([{ rev: raised.rev + 2, change: 'grouped', id: raised.alarm.id, at: now, set: { members: { active: 590 } } }]);
      expect(JSON.stringify(next).length).toBeLessThan(120);

      const snap = service.snapshot().open;
      expect(snap).toHaveLength(1);
      expect(snap[0]).toMatchObject({ id: raised.alarm.id, count: 600, members: { total: 600, active: 590 } });
      expect(snap[0]!.members!.sources).toEqual(Array.from({ length: WIRE_MEMBER_SOURCES }, (_, k) => `light-${k + 10}`));
      // The engine keeps its whole list (restarts re-link members with it).
      expect(service.engine.get(raised.alarm.id)!.members!.sources).toHaveLength(490);
    } finally {
      void service.close();
    }
  });

  it('a storm group flapping every tick (cleared and active again within a tick) is one repeat of its counts a second', () => {
    let now = T0;
    const service = new AlarmService({ store: { dbPath: ':memory:' }, now: () => now });
    try {
      for (let k = 0; k < 20; k++) service.push(light(k, 1, now));
      service.tick(now);
      const [raised, ...rest] = drain(service);
      if (!raised || isAlarmRepeat(raised)) throw new Error('a raise goes whole');
      const id = raised.alarm.id;
      const withoutSources = (a: Alarm): Alarm => ({ ...a, members: { ...a.members!, sources: [] } });
      // What a view holds: the raise, then the members' count of the same tick.
      let held: Alarm = wholeFromWire(raised).alarm;
      for (const c of rest) if (isAlarmRepeat(c)) held = applyRepeat(held, c);
      expect(held.members).toMatchObject({ total: 20, active: 20 });
      const perDelta: number[] = [];
      for (let tick = 1; tick <= 4 * ROUTINE_EVERY_TICKS; tick++) {
        now += 250;
        // The tick's flapping: the devices dark before come back (the group clears), others go dark (active again).
        for (let k = 0; k < 20; k++) service.push(light((tick - 1) * 20 + k, 0, now));
        for (let k = 0; k < 20; k++) service.push(light(tick * 20 + k, 1, now));
        service.tick(now);
        const { changes } = service.takeChanges();
        perDelta.push(changes.length);
        for (const c of changes) {
          if (!isAlarmRepeat(c)) throw new Error(`tick ${tick}: went whole as '${c.change}'`);
          expect(c.set.state).toBeUndefined();
          expect(JSON.stringify(c).length).toBeLessThan(200);
          held = applyRepeat(held, c);
        }
      }
      // One repeat a second (every ROUTINE_EVERY_TICKS deltas), in the alarm's own slot.
      expect(perDelta.filter((n) => n > 0)).toHaveLength(4);
      expect(perDelta.every((n) => n <= 1)).toBe(true);

      // All back: once its slot came, the group shows cleared, and the views' copy is the engine's.
      now += 250;
      for (let k = 4 * ROUTINE_EVERY_TICKS * 20; k < (4 * ROUTINE_EVERY_TICKS + 1) * 20; k++) service.push(light(k, 0, now));
      service.tick(now);
      const last = drain(service);
      expect(last).toHaveLength(1);
      expect(last[0]).toMatchObject({ change: 'cleared', set: { state: 'cleared', conditionActive: false, members: { active: 0 } } });
      held = applyRepeat(held, last[0] as Parameters<typeof applyRepeat>[1]);
      expect(withoutSources(held)).toEqual(withoutSources(service.engine.get(id)!));
    } finally {
      void service.close();
    }
  });

  it('a raise, a step or a decision goes at once, whole, in place of a routine change still held', () => {
    let now = T0;
    const service = new AlarmService({ store: { dbPath: ':memory:' }, now: () => now });
    try {
      for (let k = 0; k < 5; k++) service.push(light(k, 1, now));
      service.tick(now);
      const [raised] = drain(service);
      if (!raised || isAlarmRepeat(raised)) throw new Error('a raise goes whole');
      // drain() took ROUTINE_EVERY_TICKS deltas, so the next one is slot 0: if that is the alarm's, take one more.
      if (raised.alarm.id % ROUTINE_EVERY_TICKS === 0) service.takeChanges();
      now += 250;
      service.push(light(10, 1, now));
      service.tick(now);
      expect(service.takeChanges().changes).toEqual([]); // held for the alarm's slot
      expect(service.engine.acknowledge(raised.alarm.id, 'Nguyễn Văn An')).toHaveProperty('data');
      // The acknowledgement in the very next delta, whole, carrying the count the held change would have.
      expect(service.takeChanges().changes).toEqual([
        expect.objectContaining({ change: 'acknowledged', alarm: expect.objectContaining({ id: raised.alarm.id, state: 'acknowledged', members: expect.objectContaining({ active: 6 }) }) }),
      ]);
      // And nothing older of it after that.
      expect(drain(service)).toEqual([]);
    } finally {
      void service.close();
    }
  });
});
