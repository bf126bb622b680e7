import { describe, expect, it } from 'vitest';
import { applyRepeat, isAlarmRepeat, WIRE_MEMBER_SOURCES, type Alarm, type Signal } from '../../shared/alarms';
import { AlarmService } from './service';
import { T0 } from './testing';

const light = (k: number, value: number, ts: number): Signal => ({
  source: `light-${k}`,
  signal: 'street-light.offline',
  value,
  ts,
  commune: '21100',
  domain: 'device',
});

describe('AlarmService frames', () => {
  it('a group goes whole (member list cut) when raised, then as the fields that moved; the snapshot stays whole', () => {
    let now = T0;
    const service = new AlarmService({ store: { dbPath: ':memory:' }, now: () => now });
    try {
      for (let k = 0; k < 600; k++) service.push(light(k, 1, now));
      service.tick(now);
      const first = service.takeChanges().changes;
      expect(first.map((c) => c.change)).toEqual(['raised', 'grouped']);
      const raised = first[0]!;
      if (isAlarmRepeat(raised)) throw new Error('a raise goes whole');
      expect(raised.alarm).toMatchObject({ title: 'Đèn đường mất kết nối', members: { total: 1, active: 1 } });
      expect(first[1]).toMatchObject({ id: raised.alarm.id, change: 'grouped', set: { count: 600, members: { total: 600, active: 600 } } });
      expect(first[1]).not.toHaveProperty('alarm');

      now += 250;
      for (let k = 0; k < 10; k++) service.push(light(k, 0, now));
      service.tick(now);
      const next = service.takeChanges();
      expect(next.changes).toEqual([{ rev: raised.rev + 2, change: 'grouped', id: raised.alarm.id, at: now, set: { members: { active: 590 } } }]);
      expect(JSON.stringify(next.changes).length).toBeLessThan(120);

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

  it('a group cleared and active again within one tick (a storm of devices flapping) is one repeat of its counts', () => {
    let now = T0;
    const service = new AlarmService({ store: { dbPath: ':memory:' }, now: () => now });
    try {
      for (let k = 0; k < 20; k++) service.push(light(k, 1, now));
      service.tick(now);
      const raised = service.takeChanges().changes[0]!;
      if (isAlarmRepeat(raised)) throw new Error('a raise goes whole');
      // What a view holds after the first delta.
      let held: Alarm = { ...service.engine.get(raised.alarm.id)!, members: { ...service.engine.get(raised.alarm.id)!.members!, sources: [] } };

      for (let tick = 1; tick <= 3; tick++) {
        now += 250;
        // The tick's flapping: the devices dark before come back (the group clears), others go dark (it is active again).
        for (let k = 0; k < 20; k++) service.push(light((tick - 1) * 20 + k, 0, now));
        for (let k = 0; k < 20; k++) service.push(light(tick * 20 + k, 1, now));
        service.tick(now);
        const { changes } = service.takeChanges();
        expect(changes).toHaveLength(1);
        const c = changes[0]!;
        if (!isAlarmRepeat(c)) throw new Error(`tick ${tick}: went whole as '${c.change}'`);
        expect(c.set.members).toEqual({ total: 20 * (tick + 1) }); // 20 dark before and after: not moved
        expect(c.set.state).toBeUndefined();
        expect(JSON.stringify(c).length).toBeLessThan(200);
        held = applyRepeat(held, c);
        const engine = service.engine.get(raised.alarm.id)!;
        expect({ ...held, members: { ...held.members!, sources: [] } }).toEqual({ ...engine, members: { ...engine.members!, sources: [] } });
      }

      // All back: the group clears, still as a repeat; the views' copy is the engine's.
      now += 250;
      for (let k = 60; k < 80; k++) service.push(light(k, 0, now));
      service.tick(now);
      const last = service.takeChanges().changes;
      expect(last).toHaveLength(1);
      expect(last[0]).toMatchObject({ change: 'cleared', set: { state: 'cleared', conditionActive: false, members: { active: 0 } } });
      held = applyRepeat(held, last[0] as Parameters<typeof applyRepeat>[1]);
      expect(held.state).toBe(service.engine.get(raised.alarm.id)!.state);
    } finally {
      void service.close();
    }
  });
});
