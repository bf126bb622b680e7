import { describe, expect, it } from 'vitest';
import { CLASSIC_FIRE_RULE, fireDangerLevel, nesterovNext, saturationDeficitHpa } from '../../../shared/fireDanger';
import { defaultRules } from '../../alarms/defaultRules';
import { fireSignal } from '../../alarms/signals';
import { makeHarness, T0 } from '../../alarms/testing';
import { FireDangerService, vnDay, vnOnePm } from './fireDangerService';

const MIN = 60_000;
const DAY0 = vnDay(Date.UTC(2026, 2, 1, 12));

function setup() {
  const svc = new FireDangerService(
    [
      { code: '00001', lon: 104, lat: 21 },
      { code: '00002', lon: 104.5, lat: 21 },
    ],
    [
      { i: 1, lon: 104.01, lat: 21 },
      { i: 2, lon: 104.49, lat: 21 },
    ],
    [{ i: 10, commune: '00001', lon: 104, lat: 21 }],
    CLASSIC_FIRE_RULE,
    { source: 'test', verified: false },
  );
  /** One day: station readings every 10 minutes from 12:00 to 14:00 at t °C and rh %, then the step at 13:30. */
  const day = (d: number, t: number, rh: number, rainMm = 0) => {
    const onePm = vnOnePm(DAY0 + d);
    if (rainMm > 0) svc.onRain(10, onePm - 3 * 60 * MIN, rainMm);
    for (let m = -60; m <= 60; m += 10) {
      // Off-noon readings are hotter: only the 13:00 one may count.
      const hot = m === 0 ? 0 : 5;
      for (const i of [1, 2]) svc.onAir(i, onePm + m * MIN, { temperature: t + hot, relativeHumidity: rh });
    }
    return svc.step(onePm + 31 * MIN);
  };
  return { svc, day };
}

describe('the Nesterov step (shared/fireDanger.ts)', () => {
  it('adds T13 × d13, resets at the rain amount, and bands P at their edges', () => {
    // 30 °C, 50 %: E = 42.3 hPa, d = 21.2 hPa.
    expect(saturationDeficitHpa(30, 50)).toBeCloseTo(21.17, 1);
    expect(nesterovNext(100, { t13: 30, rh13: 50, rainMm: 4.9 })).toBeCloseTo(100 + 30 * 21.17, 0);
    expect(nesterovNext(100, { t13: 30, rh13: 50, rainMm: 5 })).toBe(0);
    expect(nesterovNext(100, { t13: -2, rh13: 50, rainMm: 0 })).toBe(100);
    expect(() => nesterovNext(Number.NaN, { t13: 30, rh13: 50, rainMm: 0 })).toThrow(RangeError);
    expect([1000, 1000.1, 2500, 2500.1, 5000, 5000.1, 10000, 10000.1].map((p) => fireDangerLevel(p))).toEqual([1, 2, 2, 3, 3, 4, 4, 5]);
  });
});

describe('FireDangerService: one step a day after 13:00 (fake clock)', () => {
  it('accumulates over dry days from the 13:00 readings, and the commune under the rain resets', () => {
    const { svc, day } = setup();
    // Nothing before the first 13:30.
    expect(svc.step(vnOnePm(DAY0) - MIN)).toEqual([]);
    const daily = 30 * saturationDeficitHpa(30, 40);
    for (let d = 0; d < 8; d++) day(d, 30, 40);
    expect(svc.of('00001')).toMatchObject({ dryDays: 8, p: Math.round(8 * daily), level: fireDangerLevel(8 * daily) });
    expect(svc.of('00001')!.level).toBe(4);
    // A second step the same day changes nothing.
    expect(svc.step(vnOnePm(DAY0 + 7) + 60 * MIN)).toEqual([]);
    // Rain of 6 mm at 00001's gauge: it resets; 00002 takes the same gauge (the nearest) and resets too.
    const changed = day(8, 30, 40, 6);
    expect(changed.map((c) => [c.code, c.p, c.dryDays, c.level])).toEqual([
      ['00001', 0, 0, 1],
      ['00002', 0, 0, 1],
    ]);
    // Then dry again: V after enough days.
    for (let d = 9; d < 25; d++) day(d, 33, 30);
    expect(svc.of('00002')!.level).toBe(5);
  });

  it('skips a day with no 13:00 reading instead of guessing, and keeps bounded memory per station', () => {
    const { svc, day } = setup();
    day(0, 30, 40);
    const p0 = svc.of('00001')!.p;
    // Day 1: readings only at 11:00 (outside the window).
    svc.onAir(1, vnOnePm(DAY0 + 1) - 120 * MIN, { temperature: 30, relativeHumidity: 40 });
    expect(svc.step(vnOnePm(DAY0 + 1) + 31 * MIN).find((c) => c.code === '00001')).toBeUndefined();
    expect(svc.of('00001')!.p).toBe(p0);
    // The 13:00 reading arrives late (history after a restart): the next call takes the day's step.
    svc.onAir(1, vnOnePm(DAY0 + 1), { temperature: 30, relativeHumidity: 40 });
    expect(svc.step(vnOnePm(DAY0 + 1) + 90 * MIN).map((c) => c.code)).toEqual(['00001']);
    expect(svc.of('00001')).toMatchObject({ dryDays: 2, day: expect.any(String) });
    expect(svc.of('00001')!.p).toBeGreaterThan(p0);
    // A day that never gets its reading is skipped once the next day is stepped: P is not guessed.
    svc.onAir(1, vnOnePm(DAY0 + 2) - 120 * MIN, { temperature: 30, relativeHumidity: 40 });
    const p1 = svc.of('00001')!.p;
    day(3, 30, 40);
    expect(svc.of('00001')!.dryDays).toBe(3);
    expect(svc.of('00001')!.p).toBeLessThan(p1 + 2 * 30 * saturationDeficitHpa(30, 40) - 1);
    // A month of readings: each station keeps 3 days of 13:00 observations at most.
    for (let d = 4; d < 34; d++) day(d, 30, 40);
    const noon = (svc as unknown as { noon: Map<number, Map<number, unknown>> }).noon;
    for (const days of noon.values()) expect(days.size).toBeLessThanOrEqual(3);
  });
});

describe('fire danger alarms (rule fire-danger)', () => {
  it('raises at IV, steps up at V, and clears below IV', () => {
    const h = makeHarness(defaultRules());
    const f = (level: 1 | 2 | 3 | 4 | 5, k: number) => h.at(T0 + k * 86_400_000, fireSignal({ code: '00001', level, p: 0, dryDays: k, day: null }, T0 + k * 86_400_000));
    f(3, 0);
    expect(h.changes).toEqual([]);
    f(4, 1);
    f(5, 2);
    f(3, 3);
    expect(h.changes.map((c) => [c.change, c.alarm.severity, c.alarm.title])).toEqual([
      ['raised', 'major', 'Cấp dự báo cháy rừng IV: nguy hiểm'],
      ['updated', 'critical', 'Cấp dự báo cháy rừng V: cực kỳ nguy hiểm'],
      ['cleared', 'critical', 'Cấp dự báo cháy rừng V: cực kỳ nguy hiểm'],
    ]);
  });
});
