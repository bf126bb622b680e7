import { describe, expect, it } from 'vitest';
import type { AirTomorrow } from '../../shared/airForecast';
import { airTomorrowView, bandRangeText, formatForecastDay, skillText } from './airTomorrow';

// 2026-12-06 00:00 Asia/Ho_Chi_Minh: a Sunday.
const DAY = Date.UTC(2026, 11, 5, 17);
const a = (i: number, aqi: number, band: AirTomorrow['band'], over: Partial<AirTomorrow> = {}): AirTomorrow => ({
  i,
  issuedAt: DAY - 10 * 3_600_000,
  day: DAY,
  pm25: 30,
  pm10: 50,
  aqi,
  band,
  skill: { n: 24, maeAqi: 8, bandHit: 0.75 },
  ...over,
});

describe("tomorrow's air in words", () => {
  it('names the forecast day in Vietnamese, in the province time zone', () => {
    expect(formatForecastDay(DAY)).toBe('Chủ Nhật 06/12');
  });

  it('says the skill, or that there is none yet', () => {
    expect(skillText({ n: 48, maeAqi: 8.6, bandHit: 0.833 })).toBe('sai số ±9 AQI · đúng mức 83 %');
    expect(skillText({ n: 0, maeAqi: null, bandHit: null })).toBe('chưa đủ ngày để đánh giá');
  });

  it('gives the interval in bands only when it spans more than one', () => {
    expect(bandRangeText({ bandLow: 2, bandHigh: 3 })).toBe('Trung bình–Kém');
    expect(bandRangeText({ bandLow: 2, bandHigh: 2 })).toBeNull();
    expect(bandRangeText({})).toBeNull();
  });

  it("keeps the newest day's forecasts, worst first, counts their bands and pools their skill", () => {
    const v = airTomorrowView([
      a(1, 45, 1),
      a(2, 130, 3, { skill: { n: 72, maeAqi: 12, bandHit: 0.5 } }),
      a(3, 80, 2),
      // A station quiet since yesterday: its forecast is for today, not tomorrow.
      a(4, 190, 4, { day: DAY - 24 * 3_600_000 }),
    ]);
    expect(v.day).toBe(DAY);
    expect(v.rows.map((r) => r.i)).toEqual([2, 3, 1]);
    expect(v.bands).toEqual([1, 1, 1, 0, 0, 0]);
    expect(v.skill.n).toBe(120);
    expect(v.skill.maeAqi).toBeCloseTo((72 * 12 + 48 * 8) / 120, 6);
    expect(v.skill.bandHit).toBeCloseTo((72 * 0.5 + 48 * 0.75) / 120, 6);
    expect(airTomorrowView([])).toMatchObject({ day: null, issuedAt: null, rows: [] });
  });
});
