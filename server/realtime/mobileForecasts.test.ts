import { describe, expect, it } from 'vitest';
import type { AirTomorrow } from '../../shared/airForecast';
import type { HydroDerived } from '../../shared/environment';
import type { HydroForecast } from '../../shared/forecast';
import { mobileAirTomorrow, mobileRiversAhead } from './mobileForecasts';

const HOUR = 3_600_000;
const T = Date.UTC(2026, 10, 23, 4);
const DAY0 = Date.UTC(2026, 10, 23, 17);

const air = (i: number, aqi: number, band: AirTomorrow['band'], over: Partial<AirTomorrow> = {}): AirTomorrow => ({
  i,
  issuedAt: T,
  day: DAY0,
  pm25: null,
  pm10: null,
  aqi,
  band,
  skill: { n: 10, maeAqi: 5, bandHit: 0.8 },
  ...over,
});

function forecast(i: number, levels: number[], warm = false): HydroForecast {
  return { i, issuedAt: T, level: levels[0]!, leads: levels.map((level, k) => ({ h: k + 1, at: T + (k + 1) * HOUR, level, ...(warm ? { warmingUp: true as const } : {}) })), skill: [] };
}
const hydro = (level: number, stage: HydroDerived['stage']): HydroDerived => ({ kind: 'hydro', level, stage, bd: [3, 4, 5], rateCmH: null, nextLevelInMs: null });

describe("the phone's forecast summaries", () => {
  it("counts tomorrow's bands, names the worst, pools the skill, and leaves out a station's forecast of an older day", () => {
    const s = mobileAirTomorrow([
      air(1, 40, 1),
      air(2, 120, 3, { bandLow: 2, bandHigh: 3, skill: { n: 30, maeAqi: 9, bandHit: 0.6 } }),
      air(3, 70, 2),
      air(4, 180, 4, { day: DAY0 - 24 * HOUR }),
    ])!;
    expect(s.day).toBe(DAY0);
    expect(s.bands).toEqual([1, 1, 1, 0, 0, 0]);
    expect(s.worst.map((w) => w.i)).toEqual([2, 3, 1]);
    expect(s.worst[0]).toEqual({ i: 2, aqi: 120, band: 3, bandLow: 2, bandHigh: 3 });
    expect(s.skill).toEqual({ n: 50, maeAqi: 7.4, bandHit: 0.68 });
    expect(mobileAirTomorrow([air(1, 40, 1)], (i) => i !== 1)).toBeUndefined();
  });

  it('lists the gauges whose forecast reaches their next level, soonest first, skipping leads still learning', () => {
    const derived = new Map<number, HydroDerived>([
      [1, hydro(3.5, 1)],
      [2, hydro(2.5, 0)],
      [3, hydro(4.2, 2)],
      [4, hydro(2.9, 0)],
      [5, hydro(5.5, 3)],
    ]);
    const list = mobileRiversAhead(
      [
        forecast(1, [3.6, 3.8, 3.9, 4.1]), // BĐ II at 4 h
        forecast(2, [2.8, 3.1]), // BĐ I at 2 h
        forecast(3, [4.3, 4.4]), // never BĐ III
        forecast(4, [3.5, 3.6], true), // learning: never listed
        forecast(5, [5.6]), // already at BĐ III
      ],
      (i) => derived.get(i),
    );
    expect(list.map((r) => [r.i, r.next, r.h])).toEqual([
      [2, 1, 2],
      [1, 2, 4],
    ]);
    expect(list[1]).toEqual({ i: 1, level: 3.5, stage: 1, next: 2, at: T + 4 * HOUR, h: 4, issuedAt: T });
  });
});
