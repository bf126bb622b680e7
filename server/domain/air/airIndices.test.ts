import { describe, expect, it } from 'vitest';
import { HourlyMeans, HOURS_KEPT } from './hourlyMeans';
import { airIndices } from './airIndices';
import { hourlyVnAqi } from '../../../shared/vnAqi';

const H = 3_600_000;
const BASE = Date.UTC(2026, 10, 20, 0, 0, 0);

describe('HourlyMeans', () => {
  it('averages readings of any cadence per hour', () => {
    const m = new HourlyMeans();
    const now = BASE + 10 * H + 30 * 60_000;
    for (let s = 0; s < 60; s++) m.add(BASE + 9 * H + s * 60_000, { pm25: s < 30 ? 10 : 30 }, now);
    m.add(BASE + 10 * H + 1000, { pm25: 50, o3: 100 }, now);
    m.add(BASE + 10 * H + 2000, { pm25: 70 }, now);
    expect(m.mean(BASE / H + 9, 'pm25')).toBe(20);
    expect(m.mean(BASE / H + 10, 'pm25')).toBe(60);
    expect(m.mean(BASE / H + 10, 'o3')).toBe(100);
    expect(m.mean(BASE / H + 10, 'co')).toBeNull();
  });

  it('keeps a fixed ring of hours: older readings are refused, reused slots are reset', () => {
    const m = new HourlyMeans();
    const now = BASE + 100 * H;
    expect(m.add(now - HOURS_KEPT * H, { pm25: 1 }, now)).toBe(false);
    expect(m.add(now - (HOURS_KEPT - 1) * H, { pm25: 1 }, now)).toBe(true);
    const old = now - (HOURS_KEPT - 1) * H;
    const later = old + HOURS_KEPT * H; // the same ring slot, 26 hours on
    m.add(later, { pm25: 9 }, later);
    // The old hour's sums must not leak into the new one, and the old hour is gone.
    expect(m.mean(Math.floor(later / H), 'pm25')).toBe(9);
    expect(m.mean(Math.floor(old / H), 'pm25')).toBeNull();
  });
});

describe('airIndices', () => {
  it('gives the decision worked example: NowCast of 12 hourly PM2.5 means → sub-index 41', () => {
    // STANDARDS.md §1: 09:00..20:00 oldest first; c1 = the 20:00 hour.
    const series = [26.9, 24.7, 20.5, 23.5, 19.5, 16.5, 19.0, 16.5, 20.3, 22.4, 19.6, 20.6];
    const m = new HourlyMeans();
    const hour0 = BASE / H + 9;
    const now = (hour0 + 11) * H + 59 * 60_000;
    series.forEach((v, k) => m.add((hour0 + k) * H + 60_000, { pm25: v }, now));
    const d = airIndices(m, now);
    expect(d.subIndices.pm25).toBe(41);
    expect(d.aqi).toBe(41);
    expect(d.band).toBe(1);
    expect(d.dominant).toBe('pm25');
    expect(d.dailyAqi).toBeNull(); // 12 hours are not a day
  });

  it('computes the daily index over the last 24 complete hours once 18 of them exist', () => {
    const m = new HourlyMeans();
    const now = BASE + 30 * H + 10 * 60_000;
    for (let h = 6; h < 30; h++) m.add(BASE + h * H, { pm25: 60, pm10: 100 }, now);
    const d = airIndices(m, now);
    // PM2.5 24 h mean 60 → 100 + (150-100)/(80-50)·(60-50) = 116.67 → 117; PM10 100 → 75.
    expect(d.dailyAqi).toBe(117);
    expect(d.dailyBand).toBe(3);
    // Hourly: constant 60 → NowCast 60 → 117 as well.
    expect(d.aqi).toBe(hourlyVnAqi({ pm25: [60, 60, 60], pm10: [100, 100, 100] }).aqi);
  });

  it('reports no AQI without PM even when gases exist', () => {
    const m = new HourlyMeans();
    const now = BASE + 5 * H;
    m.add(now - 1000, { o3: 250, no2: 50 }, now);
    const d = airIndices(m, now);
    expect(d.aqi).toBeNull();
    expect(d.subIndices.o3).not.toBeNull();
  });
});
