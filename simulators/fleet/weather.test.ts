import { describe, expect, it } from 'vitest';
import { PROVINCES } from '../registry/catalog';
import { createWeather } from './weather';

const HOUR = 3_600_000;
/** Hour h (Vietnam) of a date, epoch ms. */
const vn = (y: number, m: number, d: number, h: number) => Date.UTC(y, m - 1, d, h - 7);
const place = { lon: 103.92, lat: 21.33 };
const sonLa = PROVINCES['son-la']!.climate;
const lowland = { rainPeakDayOfYear: sonLa.rainPeakDayOfYear, rainSeasonHalfWidthDays: sonLa.rainSeasonHalfWidthDays };

/** Mean of f over `days` days at hour h from the given date, on rainless hours only. */
function meanAt(w: ReturnType<typeof createWeather>, f: (t: number) => number, m: number, d0: number, h: number, days = 20): number {
  let sum = 0;
  let n = 0;
  for (let d = 0; d < days; d++) {
    const t = vn(2027, m, d0, h) + d * 24 * HOUR;
    if (w.rainRate(t) > 0) continue;
    sum += f(t);
    n++;
  }
  return sum / n;
}

describe("Sơn La's climate (province.json `climate`): a plateau's normal day", () => {
  const withClimate = createWeather(7, place, 11, undefined, sonLa);
  const without = createWeather(7, place, 11, undefined, lowland);

  it('is cooler than the lowland formula, foggy at dawn in January, hot and dry in the afternoons of March–April', () => {
    // Cooler: the same hour, the same weather, 2.5 °C less outside the dry afternoons.
    expect(meanAt(withClimate, withClimate.temperature, 7, 1, 3) - meanAt(without, without.temperature, 7, 1, 3)).toBeCloseTo(-2.5, 1);
    // Dawn fog in January: humidity at 06:00 near saturation, well above the same place without it.
    const fogRh = meanAt(withClimate, withClimate.relativeHumidity, 1, 5, 6);
    expect(fogRh).toBeGreaterThan(95);
    expect(fogRh - meanAt(without, without.relativeHumidity, 1, 5, 6)).toBeGreaterThan(8);
    // Early April afternoons: hotter and drier than without the foehn.
    const pmT = meanAt(withClimate, withClimate.temperature, 4, 1, 14);
    const pmRh = meanAt(withClimate, withClimate.relativeHumidity, 4, 1, 14);
    expect(pmT - (meanAt(without, without.temperature, 4, 1, 14) - 2.5)).toBeGreaterThan(2);
    expect(meanAt(without, without.relativeHumidity, 4, 1, 14) - pmRh).toBeGreaterThan(10);
    // No fog in the hot season's afternoons, no foehn in the rains.
    expect(meanAt(withClimate, withClimate.relativeHumidity, 8, 1, 14)).toBeGreaterThan(pmRh);
  });

  it('changes nothing where a province gives none of it', () => {
    for (const t of [vn(2027, 1, 5, 6), vn(2027, 4, 1, 14), vn(2027, 7, 10, 3)]) {
      const a = createWeather(7, place, 11, undefined, lowland);
      const b = createWeather(7, place, 11, undefined, { ...lowland, tempOffsetC: 0 });
      expect(a.temperature(t)).toBe(b.temperature(t));
      expect(a.relativeHumidity(t)).toBe(b.relativeHumidity(t));
    }
  });
});
