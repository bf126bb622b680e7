import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../shared/random';
import { HOUR_MS, LongHourly } from './longHourly';
import { forecastHours, localHour } from './tomorrowModel';

// 2026-03-01 00:00 Asia/Ho_Chi_Minh.
const T0 = Date.UTC(2026, 1, 28, 17);
const H0 = T0 / HOUR_MS;
/** A known diurnal profile by local hour: a morning and an evening peak (traffic, cooking), clean afternoons. */
const PROFILE = Array.from({ length: 24 }, (_, k) => 12 * Math.exp(-((k - 8) ** 2) / 4) + 18 * Math.exp(-((k - 20) ** 2) / 6) - 6 * Math.exp(-((k - 14) ** 2) / 8));
const centred = (() => {
  const m = PROFILE.reduce((a, b) => a + b, 0) / 24;
  return PROFILE.map((p) => p - m);
})();

function series(days: number, level: (h: number) => number, noise = 1.5, seed = 7): LongHourly {
  const rnd = createRandom(seed);
  const s = new LongHourly();
  for (let h = H0; h < H0 + days * 24; h++) {
    // Four readings an hour, as a station reporting every 15 minutes.
    for (let q = 0; q < 4; q++) {
      const v = level(h) + centred[localHour(h)]! + (rnd.next() - 0.5) * 2 * noise;
      s.add(h * HOUR_MS + q * 15 * 60_000, { pm25: v, pm10: 1.8 * v });
    }
  }
  return s;
}

describe('forecastHours (persistence + diurnal profile + trend)', () => {
  it('recovers a known diurnal profile and forecasts it for the next 24 hours', () => {
    const s = series(14, () => 40);
    const issue = H0 + 14 * 24;
    const f = forecastHours((h) => s.mean(h, 'pm25', issue), issue, issue + 24)!;
    expect(f.profileDays).toBe(14);
    for (let k = 0; k < 24; k++) expect(Math.abs(f.profile[k]! - centred[k]!)).toBeLessThan(0.6);
    expect(f.level).toBeCloseTo(40, 0);
    expect(Math.abs(f.trendPerHour)).toBeLessThan(0.05);
    for (let j = 0; j < 24; j++) expect(Math.abs(f.values[j]! - (40 + centred[localHour(issue + j)]!))).toBeLessThan(1.5);
  });

  it('carries a rising level on (the trend), damped', () => {
    // +0.1 µg/m³ an hour: 2.4 a day.
    const s = series(10, (h) => 30 + 0.1 * (h - H0), 0.5);
    const issue = H0 + 10 * 24;
    const f = forecastHours((h) => s.mean(h, 'pm25', issue), issue, issue + 24)!;
    expect(f.trendPerHour).toBeGreaterThan(0.08);
    expect(f.trendPerHour).toBeLessThan(0.12);
    const flat = forecastHours((h) => s.mean(h, 'pm25', issue), issue, issue + 24, { windowDays: 14, minProfileDays: 2, minRecentHours: 12, maxStaleHours: 3, trendDamping: 0 })!;
    // With the trend the next day is above the last day's mean; without it, at it.
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(f.values)).toBeGreaterThan(mean(flat.values) + 0.5);
  });

  it('uses a flat profile with fewer than two full days, and gives up without recent hours', () => {
    const s = series(1.5, () => 40);
    const issue = H0 + 36;
    const f = forecastHours((h) => s.mean(h, 'pm25', issue), issue, issue + 24)!;
    expect(f.profileDays).toBe(0);
    expect(f.profile.every((p) => p === 0)).toBe(true);
    // Six hours after the last reading: too old to forecast from.
    expect(forecastHours((h) => s.mean(h, 'pm25', issue + 6), issue + 6, issue + 30)).toBeUndefined();
  });

  it('has no look-ahead: a poisoned future (later hours, the hour being filled) leaves the forecast unchanged', () => {
    const s = series(7, () => 35);
    const issue = H0 + 7 * 24 + 5;
    const before = forecastHours((h) => s.mean(h, 'pm25', issue), issue, issue + 40)!;
    // Readings stamped in the issue hour and after it, as a replay fed in bulk would have them in the ring.
    for (let h = issue; h < issue + 30; h++) s.add(h * HOUR_MS + 60_000, { pm25: 900, pm10: 900 });
    s.setMean(issue + 3, 'pm25', 1000, 60);
    const after = forecastHours((h) => s.mean(h, 'pm25', issue), issue, issue + 40)!;
    expect(after).toEqual(before);
    // The reader itself hides them: the poison is there for a later issue hour.
    expect(s.mean(issue + 1, 'pm25', issue + 5)).toBeGreaterThan(800);
  });
});
