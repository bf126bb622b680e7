import { describe, expect, it } from 'vitest';
import { isAlarmRepeat, WIRE_MEMBER_SOURCES, type Signal } from '../../shared/alarms';
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
});
