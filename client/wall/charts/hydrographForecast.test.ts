import { describe, expect, it } from 'vitest';
import type { HydroForecast } from '../../../shared/forecast';
import { forecastNote, forecastSeries } from './Hydrograph';

const H = 3_600_000;
const T = Date.parse('2026-11-23T14:00:00+07:00');

function forecast(over: Partial<HydroForecast> = {}): HydroForecast {
  return {
    i: 3,
    issuedAt: T,
    level: 4.2,
    leads: [1, 2, 3].map((h) => ({ h, at: T + h * H, level: 4.2 + 0.3 * h, low: 4.1 + 0.25 * h, high: 4.3 + 0.4 * h })),
    skill: [
      { h: 1, mae: 0.05, n: 30 },
      { h: 3, mae: 0.124, n: 20 },
    ],
    ...over,
  };
}

describe('the forecast on the hydrograph', () => {
  it('draws the line from the level at issue and the band as its lower edge plus its height', () => {
    const s = forecastSeries(forecast());
    expect(s.line).toEqual([
      [T, 4.2],
      [T + H, 4.5],
      [T + 2 * H, 4.8],
      [T + 3 * H, expect.closeTo(5.1, 9)],
    ]);
    expect(s.low[0]).toEqual([T, 4.2]);
    expect(s.band[0]).toEqual([T, 0]);
    expect(s.band[3]![1]).toBeCloseTo(5.5 - 4.85, 9);
    expect(s.learning).toBe(false);
  });

  it('has no band before the model has verified forecasts, and nothing without a forecast', () => {
    const s = forecastSeries(forecast({ leads: [{ h: 1, at: T + H, level: 4.3, warmingUp: true }] }));
    expect(s.line).toHaveLength(2);
    expect(s.band).toEqual([]);
    expect(s.learning).toBe(true);
    expect(forecastSeries(undefined)).toEqual({ line: [], low: [], band: [], learning: false });
  });

  it('says when it was made and its recent error at 3 hours, or that it is still learning', () => {
    expect(forecastNote(forecast())).toBe('Dự báo lúc 14:00 · sai số 6 giờ qua ±12 cm (3 giờ tới)');
    expect(forecastNote(forecast({ skill: [{ h: 1, mae: null, n: 0 }] }))).toBe('Dự báo lúc 14:00 · chưa đủ dự báo đã kiểm chứng để tính sai số');
    expect(forecastNote(forecast({ leads: [{ h: 1, at: T + H, level: 4.3, warmingUp: true }] }))).toContain('mô hình đang học');
    expect(forecastNote(undefined)).toBe('');
  });
});

describe('the forecast time to the next level', () => {
  it('is the first learned lead at or above the next BĐ, and none once at BĐ III or while learning', async () => {
    const { forecastCrossing } = await import('../pages/HydroPage');
    const f = forecast();
    expect(forecastCrossing(f, [4, 4.7, 6], 1)).toEqual({ stage: 2, at: T + 2 * H, h: 2 });
    expect(forecastCrossing(f, [4, 4.7, 6], 3)).toBeNull();
    expect(forecastCrossing(f, [4, 4.7, 9], 2)).toBeNull();
    expect(forecastCrossing(forecast({ leads: [{ h: 1, at: T + H, level: 9, warmingUp: true }] }), [4, 5, 6], 1)).toBeNull();
  });
});
