import { describe, expect, it } from 'vitest';
import {
  RISK_LEVELS,
  combineRiskLevels,
  flashFloodRiskLevel,
  highestRiskLevel,
  riskLevelInfo,
  type FlashFloodRiskInput,
} from './disasterRisk';
import {
  FLASH_FLOOD_RISK_TABLE,
  RISK_ZONES,
  SUSCEPTIBILITIES,
  inInterval,
  riskZoneOfCommune,
  type RiskZone,
  type Susceptibility,
} from './disasterRiskTable';

const level = (zone: RiskZone, susceptibility: Susceptibility, rain24hMm: number, antecedentRainDays: number) =>
  flashFloodRiskLevel({ zone, susceptibility, rain24hMm, antecedentRainDays });

/**
 * Điều 46 re-read by hand into a matrix, independent of the table: per zone and susceptibility, the level for
 * A = 100–200 mm after 1–2 days, B = over 200–400 mm after more than 2 days, C = over 400 mm after more than 2.
 */
const MATRIX: Record<RiskZone, Record<Susceptibility, [number, number, number]>> = {
  1: { low: [1, 1, 2], medium: [1, 2, 2], high: [2, 3, 3], very_high: [3, 3, 3] },
  2: { low: [0, 1, 2], medium: [1, 2, 2], high: [2, 3, 3], very_high: [3, 3, 3] },
  3: { low: [0, 0, 1], medium: [0, 1, 2], high: [1, 2, 2], very_high: [2, 3, 3] },
  4: { low: [0, 0, 0], medium: [0, 0, 1], high: [1, 1, 2], very_high: [1, 2, 2] },
};

/** The oracle: the bands written as plain comparisons, then the matrix. */
function expected(zone: RiskZone, s: Susceptibility, rain: number, days: number): number {
  const [a, b, c] = MATRIX[zone][s];
  if (rain >= 100 && rain <= 200 && days >= 1 && days <= 2) return a;
  if (rain > 200 && rain <= 400 && days > 2) return b;
  if (rain > 400 && days > 2) return c;
  return 0;
}

describe('Điều 46 straight from the text', () => {
  it('STANDARDS.md §7 example: cấp 1 at 100–200 mm after 1–2 days, low or medium area of khu vực 1', () => {
    for (const s of ['low', 'medium'] as const) {
      for (const rain of [100, 150, 200]) {
        for (const days of [1, 2]) expect(level(1, s, rain, days)).toBe(1);
      }
    }
  });

  it('is 0 below 100 mm whatever the area and earlier rain', () => {
    for (const zone of RISK_ZONES) {
      for (const s of SUSCEPTIBILITIES) {
        for (const days of [0, 1, 2, 3, 10]) {
          expect(level(zone, s, 0, days)).toBe(0);
          expect(level(zone, s, 99.9, days)).toBe(0);
        }
      }
    }
  });

  it('gives the levels the clauses name', () => {
    expect(level(2, 'very_high', 150, 2)).toBe(3); // 3a
    expect(level(3, 'very_high', 150, 1)).toBe(2); // 2a
    expect(level(3, 'high', 100, 1)).toBe(1); // 1a
    expect(level(4, 'very_high', 200, 2)).toBe(1); // 1a "cao đến rất cao … khu vực 4"
    expect(level(1, 'medium', 200.1, 3)).toBe(2); // 2b
    expect(level(4, 'high', 400, 3)).toBe(1); // 1b
    expect(level(4, 'high', 400.1, 3)).toBe(2); // 2c
    expect(level(3, 'low', 401, 3)).toBe(1); // 1c
    expect(level(3, 'medium', 500, 4)).toBe(2); // 2c "trung bình hoặc cao … khu vực 3"
    expect(level(1, 'high', 600, 5)).toBe(3); // 3c
  });

  it('gives 0 where the article names no case', () => {
    expect(level(2, 'low', 150, 1)).toBe(0); // 1a names khu vực 2 only for "trung bình"
    expect(level(3, 'low', 400, 3)).toBe(0); // 1b names khu vực 3 only for "trung bình"
    expect(level(4, 'low', 1000, 5)).toBe(0); // no clause names a low area of khu vực 4
    expect(level(1, 'very_high', 150, 3)).toBe(0); // 100–200 mm is paired only with 1–2 days
    expect(level(1, 'very_high', 250, 2)).toBe(0); // over 200 mm is paired only with more than 2 days
    expect(level(1, 'very_high', 150, 0.5)).toBe(0); // less than a day of earlier rain
  });
});

describe('the table', () => {
  it('cites khoản = level and an điểm for every row', () => {
    for (const row of FLASH_FLOOD_RISK_TABLE) {
      expect(row.source).toBe(`QĐ 18/2021/QĐ-TTg, Điều 46, khoản ${row.level}, điểm ${row.source.slice(-1)}`);
      expect(row.source).toMatch(/điểm [abc]$/);
      expect(row.text).toContain(`khu vực ${row.zone}`);
    }
  });

  it('has 29 rows and no two rows cover the same case', () => {
    expect(FLASH_FLOOD_RISK_TABLE).toHaveLength(29);
    const seen = new Set<string>();
    for (const row of FLASH_FLOOD_RISK_TABLE) {
      for (const s of row.susceptibility) {
        const key = `${row.zone}/${s}/${row.rain24h.min}/${row.antecedentRainDays.min}`;
        expect(seen.has(key), key).toBe(false);
        seen.add(key);
      }
    }
  });

  it('agrees with the hand-read matrix for every zone, class and band', () => {
    const probes = [
      [150, 1.5],
      [300, 3],
      [500, 3],
    ] as const;
    for (const zone of RISK_ZONES) {
      for (const s of SUSCEPTIBILITIES) {
        probes.forEach(([rain, days], band) => {
          expect(level(zone, s, rain, days), `zone ${zone} ${s} band ${band}`).toBe(MATRIX[zone][s][band]);
        });
      }
    }
  });
});

describe('every row at its edges', () => {
  const DELTA = 0.1;
  /** A value surely inside an interval, away from its edges. */
  const inside = (min: number, max: number | null) => (max === null ? min + 1 : (min + max) / 2);

  for (const row of FLASH_FLOOD_RISK_TABLE) {
    const { rain24h: r, antecedentRainDays: d } = row;
    const rainEdges = [r.min - DELTA, r.min, r.min + DELTA];
    if (r.max !== null) rainEdges.push(r.max - DELTA, r.max, r.max + DELTA);
    const dayEdges = [d.min - DELTA, d.min, d.min + DELTA];
    if (d.max !== null) dayEdges.push(d.max - DELTA, d.max, d.max + DELTA);
    const days = inside(d.min, d.max);
    const rain = inside(r.min, r.max);

    for (const s of row.susceptibility) {
      it(`${row.source}, khu vực ${row.zone}, ${s}`, () => {
        expect(level(row.zone, s, rain, days)).toBe(row.level);
        for (const x of rainEdges) {
          const got = level(row.zone, s, x, days);
          expect(got, `rain ${x}`).toBe(expected(row.zone, s, x, days));
          if (inInterval(x, r)) expect(got, `rain ${x}`).toBe(row.level);
        }
        for (const x of dayEdges) {
          const got = level(row.zone, s, rain, x);
          expect(got, `days ${x}`).toBe(expected(row.zone, s, rain, x));
          if (inInterval(x, d)) expect(got, `days ${x}`).toBe(row.level);
        }
      });
    }
  }

  it('takes the bounds as written: 100 and 200 in, 200 out of the next band, 400 in, over 400 in the last', () => {
    expect(level(1, 'low', 100, 1)).toBe(1);
    expect(level(1, 'low', 200, 2)).toBe(1);
    expect(level(1, 'low', 200, 3)).toBe(0);
    expect(level(1, 'low', 400, 3)).toBe(1);
    expect(level(1, 'low', 400.001, 3)).toBe(2);
    expect(level(1, 'low', 200, 2.001)).toBe(0);
    expect(level(1, 'low', 100, 0.999)).toBe(0);
  });
});

describe('input validation', () => {
  const ok: FlashFloodRiskInput = { zone: 1, susceptibility: 'low', rain24hMm: 150, antecedentRainDays: 1 };
  const bad: Partial<Record<keyof FlashFloodRiskInput, unknown[]>> = {
    zone: [0, 5, 1.5, Number.NaN, -1],
    susceptibility: ['extreme', '', undefined],
    rain24hMm: [-0.1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
    antecedentRainDays: [-1, Number.NaN, Number.POSITIVE_INFINITY],
  };
  for (const [key, values] of Object.entries(bad)) {
    for (const v of values ?? []) {
      it(`refuses ${key} = ${String(v)}`, () => {
        expect(() => flashFloodRiskLevel({ ...ok, [key]: v } as FlashFloodRiskInput)).toThrow(RangeError);
      });
    }
  }

  it('accepts the valid input it was given', () => {
    expect(flashFloodRiskLevel(ok)).toBe(1);
  });
});

describe('the five levels (Điều 4 khoản 3)', () => {
  it('names them and their colours in order', () => {
    expect(RISK_LEVELS.map((l) => [l.level, l.name, l.colourName])).toEqual([
      [1, 'Rủi ro thấp', 'xanh dương nhạt'],
      [2, 'Rủi ro trung bình', 'vàng nhạt'],
      [3, 'Rủi ro lớn', 'da cam'],
      [4, 'Rủi ro rất lớn', 'đỏ'],
      [5, 'Rủi ro ở mức thảm họa', 'tím'],
    ]);
    expect(riskLevelInfo(3).hex).toBe('#ffa500');
  });

  it('keeps hex and RGB the same colour, and text readable (WCAG ≥ 4.5)', () => {
    const lum = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => {
        const c = parseInt(hex.slice(i, i + 2), 16) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      }) as [number, number, number];
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    for (const l of RISK_LEVELS) {
      expect(l.hex).toBe(`#${l.rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`);
      const [hi, lo] = [lum(l.hex), lum(l.textHex)].sort((a, b) => b - a) as [number, number];
      expect((hi + 0.05) / (lo + 0.05), `level ${l.level}`).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe('hazards at once (Điều 4 khoản 4) and areas (Điều 46 khoản 4)', () => {
  it('allows one level more for two or more hazards, two with serious loss, at most 5', () => {
    expect(combineRiskLevels([2])).toEqual({ highest: 2, mayRaiseTo: 2 });
    expect(combineRiskLevels([2, 0])).toEqual({ highest: 2, mayRaiseTo: 2 });
    expect(combineRiskLevels([2, 1])).toEqual({ highest: 2, mayRaiseTo: 3 });
    expect(combineRiskLevels([2, 1], true)).toEqual({ highest: 2, mayRaiseTo: 4 });
    expect(combineRiskLevels([1, 1, 1])).toEqual({ highest: 1, mayRaiseTo: 2 });
    expect(combineRiskLevels([4, 4], true)).toEqual({ highest: 4, mayRaiseTo: 5 });
    expect(combineRiskLevels([5, 3])).toEqual({ highest: 5, mayRaiseTo: 5 });
    expect(combineRiskLevels([])).toEqual({ highest: 0, mayRaiseTo: 0 });
  });

  it('refuses levels outside 0–5', () => {
    expect(() => combineRiskLevels([6, 1])).toThrow(RangeError);
    expect(() => combineRiskLevels([1.5, 1])).toThrow(RangeError);
    expect(() => highestRiskLevel([-1])).toThrow(RangeError);
  });

  it('takes the highest level of an area’s parts', () => {
    expect(highestRiskLevel([1, 3, 2])).toBe(3);
    expect(highestRiskLevel([])).toBe(0);
  });
});

describe('a commune’s zone (riskZones of province.json)', () => {
  const merged = {
    parts: [
      { formerProvince: 'Quảng Ngãi', zone: 2 as const, communeCodePrefixes: ['21'] },
      { formerProvince: 'Kon Tum', zone: 3 as const, communeCodePrefixes: ['23'] },
    ],
    verified: false,
    source: 'test',
  };

  it('gives a merged province each former part’s zone, and none to a code in no part', () => {
    expect(riskZoneOfCommune(merged, '21025')).toBe(2);
    expect(riskZoneOfCommune(merged, '23293')).toBe(3);
    expect(riskZoneOfCommune(merged, '99999')).toBeUndefined();
  });

  it('gives every commune the zone of a one-part province', () => {
    expect(riskZoneOfCommune({ parts: [{ formerProvince: 'Sơn La', zone: 1, communeCodePrefixes: [''] }], verified: false, source: 'test' }, '03646')).toBe(1);
  });
});
