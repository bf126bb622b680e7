import { describe, expect, it } from 'vitest';
import { alarmStage, riseRateCmPerHour, timeToNextLevelMs, type AlarmLevels, type LevelSample } from './riverLevel';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2025, 9, 28, 0, 0, 0); // a real epoch time, to exercise precision
// Trà Khúc @ Trà Khúc (STANDARDS.md §3), as a test fixture only
const traKhuc = (): AlarmLevels => ({ bd1: 3.5, bd2: 5.0, bd3: 6.5 });
const sample = (minutes: number, level: number): LevelSample => ({ ts: T0 + minutes * MIN, level });

describe('alarmStage', () => {
  it('crosses each level exactly once on a rising river, at the threshold itself', () => {
    const cfg = traKhuc();
    const transitions: [number, number][] = [];
    let prev = -1;
    for (let cm = 300; cm <= 700; cm += 10) {
      const level = cm / 100;
      const stage = alarmStage(level, cfg);
      if (stage !== prev) transitions.push([level, stage]);
      prev = stage;
    }
    expect(transitions).toEqual([
      [3, 0],
      [3.5, 1],
      [5, 2],
      [6.5, 3],
    ]);
  });

  it('stays below a level until it is reached', () => {
    const cfg = traKhuc();
    expect(alarmStage(3.49, cfg)).toBe(0);
    expect(alarmStage(4.99, cfg)).toBe(1);
    expect(alarmStage(6.49, cfg)).toBe(2);
    expect(alarmStage(9, cfg)).toBe(3);
  });

  it('refuses levels that do not increase', () => {
    expect(() => alarmStage(1, { bd1: 3, bd2: 3, bd3: 4 })).toThrow(RangeError);
  });
});

describe('riseRateCmPerHour', () => {
  it('is the slope of a steady rise', () => {
    // +5 cm every 10 min = 30 cm/h
    const series = [0, 10, 20, 30, 40, 50, 60].map((m) => sample(m, 3 + (m / 10) * 0.05));
    expect(riseRateCmPerHour(series, T0 + HOUR)).toBeCloseTo(30, 6);
  });

  it('uses the least-squares slope, not first/last', () => {
    // t = 0, 20, 40, 60 min, levels 3.0, 3.1, 3.3, 3.3: t̄ = 30, l̄ = 3.175
    // Σ dt·dl = (−30)(−0.175) + (−10)(−0.075) + 10·0.125 + 30·0.125 = 11; Σ dt² = 2000
    // slope = 0.0055 m/min = 33 cm/h (first/last would give 30)
    const series = [sample(0, 3.0), sample(20, 3.1), sample(40, 3.3), sample(60, 3.3)];
    expect(riseRateCmPerHour(series, T0 + HOUR)).toBeCloseTo(33, 6);
  });

  it('is negative when falling and ignores order', () => {
    const series = [sample(60, 4.0), sample(0, 4.2), sample(30, 4.1)];
    expect(riseRateCmPerHour(series, T0 + HOUR)).toBeCloseTo(-20, 6);
  });

  it('only looks at the last hour and ignores the future', () => {
    // an old flood peak and a future (clock-skewed) reading must not count
    const series = [sample(-30, 9), sample(0, 3.0), sample(60, 3.3), sample(90, 0)];
    expect(riseRateCmPerHour(series, T0 + HOUR)).toBeCloseTo(30, 6);
  });

  it('is null without ≥ 2 samples spanning ≥ 30 min', () => {
    const now = T0 + HOUR;
    expect(riseRateCmPerHour([], now)).toBeNull();
    expect(riseRateCmPerHour([sample(60, 3)], now)).toBeNull();
    expect(riseRateCmPerHour([sample(31, 3), sample(60, 3.2)], now)).toBeNull(); // 29 min
    expect(riseRateCmPerHour([sample(30, 3), sample(60, 3.2)], now)).toBeCloseTo(40, 6); // 30 min
  });
});

describe('timeToNextLevelMs', () => {
  it('is the time to the next level at the current rate', () => {
    const cfg = traKhuc();
    expect(timeToNextLevelMs(4.0, 25, cfg)).toBeCloseTo(4 * HOUR, 3); // 100 cm to BĐ II at 25 cm/h
    expect(timeToNextLevelMs(2.0, 50, cfg)).toBeCloseTo(3 * HOUR, 3); // 150 cm to BĐ I
    expect(timeToNextLevelMs(3.5, 25, cfg)).toBeCloseTo(6 * HOUR, 3); // at BĐ I: next is BĐ II
    expect(timeToNextLevelMs(6.0, 20, cfg)).toBeCloseTo(2.5 * HOUR, 3); // 50 cm to BĐ III at 20 cm/h
  });

  it('is null when steady, falling, unknown, or at/above BĐ III', () => {
    const cfg = traKhuc();
    expect(timeToNextLevelMs(4, 0, cfg)).toBeNull();
    expect(timeToNextLevelMs(4, -10, cfg)).toBeNull();
    expect(timeToNextLevelMs(4, null, cfg)).toBeNull();
    expect(timeToNextLevelMs(6.5, 30, cfg)).toBeNull();
    expect(timeToNextLevelMs(7, 30, cfg)).toBeNull();
  });
});
