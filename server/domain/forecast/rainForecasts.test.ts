import { describe, expect, it } from 'vitest';
import { MAX_RAIN_FORECAST_ISSUES, RainForecasts } from './rainForecasts';

const H = 3_600_000;
const T = Date.UTC(2026, 9, 20);

describe('RainForecasts', () => {
  it('sums the latest issue known at asOf over a window, prorating partial steps, nothing beyond its last step', () => {
    const f = new RainForecasts();
    f.add({ issuedAt: T, stepMs: H, mm: [2, 4, 6] });
    expect(f.sumIn(T, T + H, T, 6 * H)).toBe(2);
    expect(f.sumIn(T + H / 2, T + 2 * H, T + H / 2, 6 * H)).toBe(1 + 4);
    // Beyond the third step the forecast says nothing: counted as no rain.
    expect(f.sumIn(T, T + 6 * H, T, 6 * H)).toBe(12);
  });

  it('never reads an issue made after asOf, even when it is already here', () => {
    const f = new RainForecasts();
    f.add({ issuedAt: T, stepMs: H, mm: [1, 1, 1] });
    f.add({ issuedAt: T + H, stepMs: H, mm: [50, 50, 50] });
    expect(f.sumIn(T + H / 2, T + H / 2 + H, T + H / 2, 6 * H)).toBe(1);
    expect(f.sumIn(T + H, T + 2 * H, T + H, 6 * H)).toBe(50);
    expect(f.sumIn(T - H, T, T - 1, 6 * H)).toBeUndefined();
  });

  it('does not read an issue older than maxAgeMs', () => {
    const f = new RainForecasts();
    f.add({ issuedAt: T, stepMs: H, mm: [3, 3, 3, 3, 3, 3, 3, 3] });
    expect(f.sumIn(T + 6 * H, T + 7 * H, T + 6 * H, 6 * H)).toBe(3);
    expect(f.sumIn(T + 6 * H + 1, T + 7 * H, T + 6 * H + 1, 6 * H)).toBeUndefined();
  });

  it('keeps issues in time order, replaces a repeat of an issue time, and refuses a bad one', () => {
    const f = new RainForecasts();
    f.add({ issuedAt: T + H, stepMs: H, mm: [5] });
    f.add({ issuedAt: T, stepMs: H, mm: [1] });
    f.add({ issuedAt: T + H, stepMs: H, mm: [7] });
    f.add({ issuedAt: T + 2 * H, stepMs: H, mm: [-1] });
    f.add({ issuedAt: T + 2 * H, stepMs: 0, mm: [1] });
    f.add({ issuedAt: T + 2 * H, stepMs: H, mm: [] });
    expect(f.size).toBe(2);
    expect(f.latest(T + H, H)?.mm).toEqual([7]);
    expect(f.latest(T + H - 1, H)?.mm).toEqual([1]);
  });

  it('is bounded: beyond its cap the oldest issues go, and dropBefore keeps the newest one made by then', () => {
    const f = new RainForecasts();
    for (let k = 0; k < 3 * MAX_RAIN_FORECAST_ISSUES; k++) f.add({ issuedAt: T + k * H, stepMs: H, mm: [k] });
    expect(f.size).toBe(MAX_RAIN_FORECAST_ISSUES);
    const newest = T + (3 * MAX_RAIN_FORECAST_ISSUES - 1) * H;
    expect(f.latest(newest, H)?.mm).toEqual([3 * MAX_RAIN_FORECAST_ISSUES - 1]);
    f.dropBefore(newest - H / 2);
    expect(f.size).toBe(2);
    expect(f.latest(newest - H / 2, H)?.mm).toEqual([3 * MAX_RAIN_FORECAST_ISSUES - 2]);
  });
});
