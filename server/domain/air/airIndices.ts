/** Hourly and daily VN_AQI of one station from its hourly means (shared/vnAqi.ts does the maths). */
import type { AirDerived } from '../../../shared/environment';
import { dailyVnAqi, hourlyVnAqi } from '../../../shared/vnAqi';
import { HOUR_MS, type HourlyMeans } from './hourlyMeans';

/**
 * Completeness for the daily index: a 24-hour mean needs 18 of its hours, an 8-hour O3 mean
 * 6 of 8 (the 75 % rule common in air-quality practice; QĐ 1459 is silent).
 */
export const DAILY_MIN_HOURS = 18;
export const O3_8H_MIN_HOURS = 6;

function meanOf(xs: (number | null)[], min: number): number | null {
  let s = 0;
  let n = 0;
  for (const x of xs) {
    if (x === null) continue;
    s += x;
    n++;
  }
  return n >= min ? s / n : null;
}

function maxOf(xs: (number | null)[]): number | null {
  let m: number | null = null;
  for (const x of xs) if (x !== null && (m === null || x > m)) m = x;
  return m;
}

export function airIndices(means: HourlyMeans, now: number): AirDerived {
  const hour = Math.floor(now / HOUR_MS);
  // The 1-hour gases: the current hour while it fills, else the previous one.
  const latest = (p: 'o3' | 'co' | 'so2' | 'no2') => means.mean(hour, p) ?? means.mean(hour - 1, p);
  const hourly = hourlyVnAqi({
    pm25: means.series('pm25', hour, 12),
    pm10: means.series('pm10', hour, 12),
    o3: latest('o3'),
    co: latest('co'),
    so2: latest('so2'),
    no2: latest('no2'),
  });
  // Daily: the 24 complete hours before the current one.
  const day = (p: 'pm25' | 'pm10' | 'o3' | 'co' | 'so2' | 'no2') => means.series(p, hour - 1, 24);
  const o3 = day('o3');
  let o3Max8h: number | null = null;
  for (let k = 0; k + 8 <= o3.length; k++) {
    const m = meanOf(o3.slice(k, k + 8), O3_8H_MIN_HOURS);
    if (m !== null && (o3Max8h === null || m > o3Max8h)) o3Max8h = m;
  }
  const daily = dailyVnAqi({
    pm25: meanOf(day('pm25'), DAILY_MIN_HOURS),
    pm10: meanOf(day('pm10'), DAILY_MIN_HOURS),
    o3Max1h: maxOf(o3),
    o3Max8h,
    coMax1h: maxOf(day('co')),
    so2Max1h: maxOf(day('so2')),
    no2Max1h: maxOf(day('no2')),
  });
  return {
    kind: 'air',
    aqi: hourly.aqi,
    band: hourly.band,
    dominant: hourly.dominant,
    subIndices: hourly.subIndices,
    dailyAqi: daily.aqi,
    dailyBand: daily.band,
  };
}
