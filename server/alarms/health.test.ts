import { describe, expect, it } from 'vitest';
import { alarmStoreRecords } from '../store/alarmStoreRecords';
import { AlarmHealthCache, alarmHealth, type AlarmHealthSource } from './health';
import { makeHarness, makeRule, MIN, T0 } from './testing';

const HOUR = 60 * MIN;

describe('alarm health', () => {
  it('counts alarms per clock hour, the median time to acknowledge and alarms standing longer than a shift', async () => {
    const h = makeHarness([makeRule()]);
    // Raised at T0 (a whole hour), T0 + 1 h, T0 + 1 h 30, T0 + 10 h.
    const raise = (t: number, source: string) => h.at(t, { source, value: 11 });
    raise(T0, 'a');
    raise(T0 + HOUR, 'b');
    raise(T0 + 90 * MIN, 'c');
    raise(T0 + 10 * HOUR, 'd');
    const id = (s: string) => h.engine.snapshot().alarms.find((a) => a.source === s)!.id;
    h.clock.t = T0 + HOUR + 2 * MIN;
    h.engine.acknowledge(id('b'), 'Lan'); // 2 min
    h.clock.t = T0 + 90 * MIN + 6 * MIN;
    h.engine.acknowledge(id('c'), 'Lan'); // 6 min
    h.clock.t = T0 + 10 * HOUR + 10 * MIN;
    h.engine.resolve(id('d'), 'Lan', 'xong'); // 10 min: the first operator action counts

    const now = T0 + 10 * HOUR + 30 * MIN;
    const records = alarmStoreRecords(h.store);
    const health = await alarmHealth(records, now);
    expect(health.perHour).toHaveLength(24);
    expect(health.perHour.at(-1)).toEqual({ hourStart: T0 + 10 * HOUR, raised: 1 });
    const byHour = Object.fromEntries(health.perHour.filter((b) => b.raised > 0).map((b) => [(b.hourStart - T0) / HOUR, b.raised]));
    expect(byHour).toEqual({ 0: 1, 1: 2, 10: 1 });
    expect(health.raisedTotal).toBe(4);
    expect(health.medianAckMs).toBe(6 * MIN);
    expect(health.acknowledged24h).toBe(3);
    // 'a' (10 h 30 old, unacknowledged) and 'b' (9 h 30, acknowledged) have stood a whole shift; 'c' (9 h) too.
    expect(health.standing.total).toBe(3);
    expect(health.standing.oldest.map((a) => a.id)).toEqual([id('a'), id('b'), id('c')]);
    expect((await alarmHealth(records, now, { shiftMs: 9 * HOUR + 15 * MIN, standingLimit: 1 })).standing).toMatchObject({
      total: 2,
      oldest: [{ id: id('a'), title: 'Vượt ngưỡng', state: 'active' }],
    });
  });

  it('has no median without acknowledgements and an empty window far in the future', async () => {
    const h = makeHarness([makeRule()]);
    h.at(T0, { value: 11 });
    const health = await alarmHealth(alarmStoreRecords(h.store), T0 + 48 * HOUR);
    expect(health).toMatchObject({ raisedTotal: 0, medianAckMs: null, acknowledged24h: 0, standing: { total: 1 } });
  });

  describe('AlarmHealthCache', () => {
    /** A source counting its computations (one countRaised call per hour bucket: 24 a computation). */
    function counted(fail = { now: false }) {
      const calls = { n: 0 };
      const src: AlarmHealthSource = {
        countRaised: async () => {
          calls.n++;
          if (fail.now) throw new Error('database down');
          return 1;
        },
        medianAckMs: async () => ({ median: null, count: 0 }),
        standing: async () => ({ total: 0, oldest: [] }),
      };
      return { src, computations: () => calls.n / 24 };
    }

    it('computes once for callers meanwhile, answers the same for 5 s, and again after', async () => {
      const { src, computations } = counted();
      const cache = new AlarmHealthCache(src);
      const [a, b] = await Promise.all([cache.get(T0), cache.get(T0 + 1)]);
      expect(a).toBe(b);
      expect(computations()).toBe(1);
      expect(await cache.get(T0 + 5000)).toBe(a);
      expect(computations()).toBe(1);
      const c = await cache.get(T0 + 5001);
      expect(c.at).toBe(T0 + 5001);
      expect(c.raisedTotal).toBe(24);
      expect(computations()).toBe(2);
      // The clock went back: the cached value is of the future, and computed again.
      expect((await cache.get(T0)).at).toBe(T0);
    });

    it('reports a failure, keeps nothing of it, and tries again on the next call', async () => {
      const fail = { now: true };
      const { src } = counted(fail);
      const errors: unknown[] = [];
      const cache = new AlarmHealthCache(src, { onError: (e) => errors.push(e) });
      await expect(cache.get(T0)).rejects.toThrow('database down');
      expect(errors).toHaveLength(1);
      fail.now = false;
      expect((await cache.get(T0 + 1)).raisedTotal).toBe(24);
    });
  });
});
