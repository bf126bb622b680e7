import { describe, expect, it } from 'vitest';
import { localDayStart, tomorrowStart } from '../../../shared/airForecast';
import { HOUR_MS } from './longHourly';
import { localHour } from './tomorrowModel';
import { dailyPmAqi, DEFAULT_TOMORROW_CONFIG, TomorrowService } from './tomorrowService';

// 2026-03-01 00:00 Asia/Ho_Chi_Minh.
const T0 = Date.UTC(2026, 1, 28, 17);
const DAY = 24 * HOUR_MS;
const wave = (t: number): number => 10 * Math.sin((2 * Math.PI * localHour(Math.floor(t / HOUR_MS))) / 24);

/** Feeds readings every 15 minutes of [from, to) and steps the service at each; returns the last changed list. */
function run(svc: TomorrowService, pm25: (t: number) => number, from: number, to: number, id = 'a'): string[] {
  let changed: string[] = [];
  for (let t = from; t < to; t += 15 * 60_000) {
    svc.addReading(id, t, { pm25: pm25(t), pm10: 2 * pm25(t) });
    const c = svc.step(t);
    if (c.length > 0) changed = c;
  }
  return changed;
}

describe('dailyPmAqi: the band of a forecast day (QĐ 1459: PM from 24-hour means)', () => {
  it('takes the higher PM sub-index, rounded half-up, and its band', () => {
    expect(dailyPmAqi(25, null)).toEqual({ aqi: 50, band: 1 });
    // PM2.5 25.3 → 50.6 → 51: Trung bình.
    expect(dailyPmAqi(25.3, 30)).toEqual({ aqi: 51, band: 2 });
    // PM2.5 50 → 100; PM10 100 → 75: the PM2.5 part.
    expect(dailyPmAqi(50, 100)).toEqual({ aqi: 100, band: 2 });
    expect(dailyPmAqi(60, 40)).toEqual({ aqi: 117, band: 3 });
    // PM10 alone, 351 µg/m³ → 201.4: Rất xấu.
    expect(dailyPmAqi(null, 351)).toEqual({ aqi: 201, band: 5 });
    expect(dailyPmAqi(160, null)).toEqual({ aqi: 210, band: 5 });
    expect(dailyPmAqi(null, null)).toBeNull();
  });
});

describe('TomorrowService', () => {
  it("issues once an hour a forecast of tomorrow's band (the local day after now) from the forecast 24-hour means", () => {
    const svc = new TomorrowService(['a', 'b'], (id) => (id === 'a' ? 3 : 9));
    // 60 µg/m³ PM2.5 with a diurnal wave: its 24-hour mean is 60 → AQI 117, Kém.
    run(svc, (t) => 60 + wave(t), T0, T0 + 3 * DAY + 10 * HOUR_MS);
    const w = svc.tomorrowOf('a')!;
    expect(w.i).toBe(3);
    // Issued on the hour, for the next local day.
    expect(w.issuedAt).toBe(T0 + 3 * DAY + 9 * HOUR_MS);
    expect(w.day).toBe(T0 + 4 * DAY);
    expect(w.day).toBe(tomorrowStart(w.issuedAt));
    expect(localDayStart(w.day + 5 * HOUR_MS)).toBe(w.day);
    expect(w.pm25!).toBeCloseTo(60, 0);
    expect(w.pm10!).toBeCloseTo(120, 0);
    expect(w.aqi).toBeGreaterThanOrEqual(115);
    expect(w.aqi).toBeLessThanOrEqual(119);
    expect(w.band).toBe(3);
    // Station b never reported: no forecast.
    expect(svc.tomorrowOf('b')).toBeUndefined();
    expect(svc.all().map((x) => x.i)).toEqual([3]);
    // Between the hours nothing is issued for a station that has its forecast.
    expect(svc.step(T0 + 3 * DAY + 10 * HOUR_MS + 60_000)).toEqual(['a']);
    expect(svc.step(T0 + 3 * DAY + 10 * HOUR_MS + 120_000)).toEqual([]);
    expect(svc.step(T0 + 3 * DAY + 10 * HOUR_MS + 30 * 60_000)).toEqual([]);
  });

  it("tries a station without a forecast every 10 minutes: a backfill's history need not wait for the hour", () => {
    const svc = new TomorrowService(['a', 'b'], (id) => (id === 'a' ? 0 : 1));
    const t = T0 + 3 * DAY + 5 * 60_000;
    run(svc, (x) => 40 + wave(x), T0, t, 'a');
    // b's day of history arrives at once (a backfill), stamped before now.
    for (let x = t - DAY; x < t; x += 15 * 60_000) svc.addReading('b', x, { pm25: 40, pm10: 80 });
    expect(svc.step(t + 60_000)).toEqual([]);
    const w = svc.step(t + 10 * 60_000);
    expect(w).toEqual(['b']);
    expect(svc.tomorrowOf('b')!.issuedAt).toBe(t + 10 * 60_000);
    expect(svc.tomorrowOf('a')!.issuedAt).toBe(T0 + 3 * DAY);
  });

  it('verifies each forecast day once it has ended: skill, then an interval from the residuals', () => {
    const svc = new TomorrowService(['a'], () => 0);
    run(svc, (t) => 30 + wave(t), T0, T0 + 3 * DAY);
    // Day 2 was forecast from the afternoon of day 1 (12 hours of means needed), before any profile: those 12
    // forecasts are verified, too few for an interval.
    const early = svc.tomorrowOf('a')!;
    expect(early.skill.n).toBe(12);
    expect(early.skill.maeAqi!).toBeGreaterThan(3);
    expect(early.aqiLow).toBeUndefined();
    run(svc, (t) => 30 + wave(t), T0 + 3 * DAY, T0 + 10 * DAY + HOUR_MS);
    const w = svc.tomorrowOf('a')!;
    // The days that ended in the last 7 days (4–10), each forecast by the 24 issues of the day before.
    expect(w.skill.n).toBe(7 * 24);
    expect(w.skill.maeAqi!).toBeLessThan(3);
    expect(w.skill.bandHit).toBe(1);
    expect(w.aqiLow!).toBeLessThanOrEqual(w.aqi);
    expect(w.aqiHigh!).toBeGreaterThanOrEqual(w.aqi);
    expect(w.aqiHigh! - w.aqiLow!).toBeLessThan(8);
    expect(w.bandLow).toBe(2);
    expect(w.bandHigh).toBe(2);

    // A dirtier day than forecast: the miss shows in the skill.
    run(svc, (t) => (t >= T0 + 11 * DAY ? 90 : 30) + wave(t), T0 + 10 * DAY + HOUR_MS, T0 + 12 * DAY + HOUR_MS);
    const after = svc.tomorrowOf('a')!;
    expect(after.skill.maeAqi!).toBeGreaterThan(w.skill.maeAqi! + 10);
    expect(after.skill.bandHit!).toBeLessThan(1);
  });

  it('has no look-ahead: readings stamped after now, already in the buffer, leave the forecast unchanged', () => {
    const make = () => new TomorrowService(['a'], () => 0);
    const clean = make();
    const poisoned = make();
    const end = T0 + 4 * DAY + 7 * HOUR_MS;
    run(clean, (t) => 40 + wave(t), T0, end);
    // The same past, plus a future of 500 µg/m³ that arrived early (a replay fed in bulk), fed before each step.
    for (let t = end; t < end + DAY; t += 10 * 60_000) poisoned.addReading('a', t, { pm25: 500, pm10: 600 });
    run(poisoned, (t) => 40 + wave(t), T0, end);
    expect(poisoned.tomorrowOf('a')).toEqual(clean.tomorrowOf('a'));
  });

  it('holds bounded memory however long it runs', () => {
    const svc = new TomorrowService(['a', 'b'], () => 0);
    const cfg = DEFAULT_TOMORROW_CONFIG;
    for (let t = T0; t < T0 + 40 * DAY; t += HOUR_MS) {
      svc.addReading('a', t, { pm25: 30 + wave(t), pm10: 50 });
      // b's readings stop after 5 days: its pending forecasts cannot be verified and must not pile up.
      if (t < T0 + 5 * DAY) svc.addReading('b', t, { pm25: 30, pm10: 50 });
      svc.step(t);
    }
    for (const s of svc.sizes()) {
      expect(s.pending).toBeLessThanOrEqual(cfg.maxPending);
      expect(s.verified).toBeLessThanOrEqual(cfg.maxVerified);
      expect(s.residuals).toBeLessThanOrEqual(2 * cfg.residualWindow);
    }
    const [a] = svc.sizes();
    // a's forecasts wait at most two days for their day to end.
    expect(a!.pending).toBeLessThanOrEqual(48);
    expect(a!.verified).toBe(cfg.maxVerified);
  });
});
