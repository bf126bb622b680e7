import { describe, expect, it } from 'vitest';
import {
  AQI_BANDS,
  VN_AQI_BREAKPOINTS,
  VN_AQI_INDEX_LEVELS,
  aqiBand,
  dailyVnAqi,
  hourlyVnAqi,
  nowCast,
  roundHalfUp,
  subIndex,
  type AqiColumn,
} from './vnAqi';

describe('worked example of QĐ 1459 (STANDARDS.md §1)', () => {
  // 09:00..20:00 oldest first; NowCast wants newest first.
  const oldestFirst = [26.9, 24.7, 20.5, 23.5, 19.5, 16.5, 19.0, 16.5, 20.3, 22.4, 19.6, 20.6];
  const newestFirst = [...oldestFirst].reverse();

  it('gives NowCast ≈ 20.3 µg/m³', () => {
    // w* = 16.5 / 26.9 = 0.6134 > ½ so w = w*; Σ wⁱ·cᵢ / Σ wⁱ = 20.2658 (computed to 4 decimals).
    const nc = nowCast(newestFirst);
    expect(nc).toBeCloseTo(20.2658, 4);
    expect(Math.round(nc! * 10) / 10).toBe(20.3);
  });

  it('gives PM2.5 sub-index and AQI 41, Tốt', () => {
    // 50/25 · 20.2658 = 40.53 → 41
    const r = hourlyVnAqi({ pm25: newestFirst });
    expect(r).toEqual({
      aqi: 41,
      band: 1,
      dominant: 'pm25',
      subIndices: { pm25: 41, pm10: null, o3: null, co: null, so2: null, no2: null },
    });
  });
});

describe('subIndex', () => {
  const columns = Object.keys(VN_AQI_BREAKPOINTS) as AqiColumn[];

  it('hits every breakpoint exactly and is continuous from both sides', () => {
    for (const col of columns) {
      const bp = VN_AQI_BREAKPOINTS[col];
      bp.forEach((c, i) => {
        const level = VN_AQI_INDEX_LEVELS[i]!;
        expect(subIndex(col, c), `${col} @ ${c}`).toBeCloseTo(level, 9);
        if (i > 0) expect(subIndex(col, c - 1e-6)!, `${col} below ${c}`).toBeCloseTo(level, 3);
        if (i > 0) expect(subIndex(col, c - 1e-6)!).toBeLessThan(level);
        if (i < bp.length - 1) expect(subIndex(col, c + 1e-6)!).toBeGreaterThan(level);
      });
    }
  });

  it('interpolates linearly inside a segment (hand-computed)', () => {
    expect(subIndex('pm25', 49.9)).toBeCloseTo(99.8, 9); // 50 + 50/25 · 24.9
    expect(subIndex('pm25', 50.1)).toBeCloseTo(100.1667, 4); // 100 + 50/30 · 0.1
    expect(subIndex('pm10', 100)).toBeCloseTo(75, 9); // 50 + 50/100 · 50
    expect(subIndex('o3_1h', 180)).toBeCloseTo(75, 9); // 50 + 50/40 · 20
    expect(subIndex('o3_8h', 130)).toBeCloseTo(110, 9); // 100 + 50/50 · 10
    expect(subIndex('no2', 150)).toBeCloseTo(75, 9); // 50 + 50/100 · 50
    expect(subIndex('so2', 237.5)).toBeCloseTo(75, 9); // 50 + 50/225 · 112.5
  });

  it('is 500 at and above the top breakpoint', () => {
    expect(subIndex('pm25', 500)).toBe(500);
    expect(subIndex('pm25', 800)).toBe(500);
    expect(subIndex('pm10', 601)).toBe(500);
    expect(subIndex('o3_1h', 1500)).toBe(500);
    expect(subIndex('co', 200000)).toBe(500);
    expect(subIndex('so2', 2630)).toBe(500);
    expect(subIndex('no2', 1e6)).toBe(500);
  });

  it('has no O3 8-hour value above 400 µg/m³, and 300 at exactly 400', () => {
    expect(subIndex('o3_8h', 400)).toBeCloseTo(300, 9);
    expect(subIndex('o3_8h', 400.1)).toBeNull();
  });

  it('treats missing, negative and non-finite readings as absent', () => {
    expect(subIndex('pm25', null)).toBeNull();
    expect(subIndex('pm25', undefined)).toBeNull();
    expect(subIndex('pm25', -1)).toBeNull();
    expect(subIndex('pm25', Number.NaN)).toBeNull();
    expect(subIndex('pm25', Infinity)).toBeNull();
    expect(subIndex('pm25', 0)).toBe(0);
  });
});

describe('rounding half-up', () => {
  it('rounds .5 up, not to even', () => {
    expect(roundHalfUp(0.5)).toBe(1);
    expect(roundHalfUp(2.5)).toBe(3);
    expect(roundHalfUp(40.49)).toBe(40);
  });

  it('survives binary noise at an exact .5', () => {
    // O3 161.2: 50 + 50/40 · 1.2 = 51.5 exactly, but the float is 51.499999999999986.
    expect(subIndex('o3_1h', 161.2)).toBeLessThan(51.5);
    const r = hourlyVnAqi({ pm25: [10, 10], o3: 161.2 });
    expect(r.subIndices.o3).toBe(52);
    expect(r.aqi).toBe(52);
    expect(r.dominant).toBe('o3');
  });

  it('rounds an exact .5 AQI up across a band edge', () => {
    // PM2.5 25.25 → 50 + 2 · 0.25 = 50.5 → 51, Trung bình
    expect(dailyVnAqi({ pm25: 25.25 })).toMatchObject({ aqi: 51, band: 2 });
    // PM2.5 25.2 → 50.4 → 50, Tốt
    expect(dailyVnAqi({ pm25: 25.2 })).toMatchObject({ aqi: 50, band: 1 });
  });
});

describe('bands', () => {
  it('puts every edge on the right side', () => {
    const edges: [number, number][] = [
      [0, 1], [50, 1], [51, 2], [100, 2], [101, 3], [150, 3], [151, 4],
      [200, 4], [201, 5], [300, 5], [301, 6], [500, 6],
    ];
    for (const [aqi, band] of edges) expect(aqiBand(aqi), String(aqi)).toBe(band);
    expect(aqiBand(50.4)).toBe(1);
    expect(aqiBand(50.5)).toBe(2);
    expect(aqiBand(null)).toBeNull();
    expect(aqiBand(-1)).toBeNull();
  });

  it('reaches every band edge from concentrations', () => {
    // PM2.5 24h means → hand-computed AQI
    const cases: [number, number, number][] = [
      [25, 50, 1], // breakpoint
      [25.5, 51, 2], // 50 + 2 · 0.5
      [50, 100, 2],
      [50.6, 101, 3], // 100 + 50/30 · 0.6
      [80, 150, 3],
      [80.7, 151, 4], // 150 + 50/70 · 0.7 = 150.5 → 151
      [150, 200, 4],
      [151, 201, 5], // 200 + 100/100 · 1
      [250, 300, 5],
      [251, 301, 6], // 300 + 100/100 · 1
      [500, 500, 6],
    ];
    for (const [c, aqi, band] of cases) {
      expect(dailyVnAqi({ pm25: c }), `PM2.5 ${c}`).toMatchObject({ aqi, band });
    }
  });

  it('carries the official names and colours, with readable text', () => {
    expect(AQI_BANDS.map((b) => [b.name, ...b.rgb])).toEqual([
      ['Tốt', 0, 228, 0],
      ['Trung bình', 255, 255, 0],
      ['Kém', 255, 126, 0],
      ['Xấu', 255, 0, 0],
      ['Rất xấu', 143, 63, 151],
      ['Nguy hại', 126, 0, 35],
    ]);
    const luminance = (hex: string): number => {
      const ch = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
      const lin = ch.map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * lin[0]! + 0.7152 * lin[1]! + 0.0722 * lin[2]!;
    };
    for (const b of AQI_BANDS) {
      const hex = '#' + b.rgb.map((v) => v.toString(16).padStart(2, '0')).join('');
      expect(b.hex).toBe(hex);
      const [l1, l2] = [luminance(b.hex), luminance(b.textHex)].sort((x, y) => y - x);
      expect((l1! + 0.05) / (l2! + 0.05), b.name).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe('nowCast', () => {
  it('keeps the position of a missing hour', () => {
    // c = 30, –, 10, 20: w* = 10/30 ≤ ½ → w = ½; weights 1, 0, ¼, ⅛
    // (30 + 2.5 + 2.5) / 1.375 = 25.4545 (collapsing the gap would give 22.857)
    expect(nowCast([30, null, 10, 20])).toBeCloseTo(25.4545, 4);
  });

  it('uses w = ½ when w* ≤ ½ and w* otherwise', () => {
    // 20, –, 10: w* = ½ → w = ½; (20 + ¼ · 10) / 1.25 = 18
    expect(nowCast([20, null, 10])).toBeCloseTo(18, 9);
    // 20, 16: w* = 0.8 → w = 0.8; (20 + 0.8 · 16) / 1.8 = 18.2222
    expect(nowCast([20, 16])).toBeCloseTo(18.2222, 4);
  });

  it('needs at least 2 of c1..c3', () => {
    expect(nowCast([])).toBeNull();
    expect(nowCast([20])).toBeNull();
    expect(nowCast([null, null, 30, 30, 30])).toBeNull();
    expect(nowCast([20, null, null, 20, 20])).toBeNull();
    expect(nowCast([null, 40, 20])).toBeCloseTo(33.3333, 4); // (½·40 + ¼·20)/¾
  });

  it('uses only the first 12 hours', () => {
    const values = [...Array<number>(12).fill(10), 1000];
    expect(nowCast(values)).toBeCloseTo(10, 9);
  });

  it('is 0 when every available hour is 0', () => {
    expect(nowCast([0, 0, null])).toBe(0);
  });
});

describe('hourlyVnAqi', () => {
  it('reports no AQI without a PM sub-index, but still reports the gases', () => {
    const r = hourlyVnAqi({ pm25: [null, null, 30], o3: 180 });
    expect(r).toEqual({
      aqi: null,
      band: null,
      dominant: null,
      subIndices: { pm25: null, pm10: null, o3: 75, co: null, so2: null, no2: null },
    });
    expect(hourlyVnAqi({})).toMatchObject({ aqi: null, band: null, dominant: null });
  });

  it('takes CO in µg/m³', () => {
    // 35000 µg/m³ → 100 + 50/15000 · 5000 = 116.67 → 117; a value in mg/m³ (35) would be ~0
    const r = hourlyVnAqi({ pm10: [20, 20], co: 35000 });
    expect(r.subIndices.co).toBe(117);
    expect(r).toMatchObject({ aqi: 117, band: 3, dominant: 'co' });
    expect(hourlyVnAqi({ pm10: [20, 20], co: 35 }).subIndices.co).toBe(0);
  });

  it('uses the 1-hour O3 column only', () => {
    // 130 µg/m³ is 110 on the 8-hour column but 50 · 130/160 = 40.6 → 41 on the 1-hour one
    expect(hourlyVnAqi({ pm25: [1, 1], o3: 130 }).subIndices.o3).toBe(41);
  });

  it('names the dominant pollutant', () => {
    // PM2.5 20 → 40; PM10 100 → 75; NO2 160 → 80; SO2 100 → 40
    const r = hourlyVnAqi({ pm25: [20, 20], pm10: [100, 100], no2: 160, so2: 100 });
    expect(r).toMatchObject({ aqi: 80, band: 2, dominant: 'no2' });
    expect(r.subIndices).toEqual({ pm25: 40, pm10: 75, o3: null, co: null, so2: 40, no2: 80 });
    // exact tie: PM10 100 → 75 and NO2 150 → 75; PM comes first
    expect(hourlyVnAqi({ pm10: [100, 100], no2: 150 }).dominant).toBe('pm10');
  });
});

describe('dailyVnAqi', () => {
  it('differs from hourly: 24h mean instead of NowCast', () => {
    // hourly 100, 20: w* = 0.2 → w = ½; NowCast = (100 + 10)/1.5 = 73.33 → 100 + 50/30 · 23.33 = 138.9 → 139
    expect(hourlyVnAqi({ pm25: [100, 20] }).aqi).toBe(139);
    // daily 24h mean 60 → 100 + 50/30 · 10 = 116.7 → 117
    expect(dailyVnAqi({ pm25: 60 }).aqi).toBe(117);
  });

  it('takes the higher of the O3 1-hour and 8-hour sub-indices', () => {
    // 1h 180 → 75; 8h 130 → 110
    expect(dailyVnAqi({ pm25: 10, o3Max1h: 180, o3Max8h: 130 })).toMatchObject({
      aqi: 110,
      dominant: 'o3',
      subIndices: { o3: 110 },
    });
    // 8h at exactly 400 still counts → 300
    expect(dailyVnAqi({ pm25: 10, o3Max1h: 180, o3Max8h: 400 }).subIndices.o3).toBe(300);
  });

  it('skips the 8-hour O3 part above 400 µg/m³', () => {
    // 1h 500 → 200 + 100/400 · 100 = 225; the 8h 401 would otherwise be > 300
    expect(dailyVnAqi({ pm25: 10, o3Max1h: 500, o3Max8h: 401 }).subIndices.o3).toBe(225);
    expect(dailyVnAqi({ pm25: 10, o3Max8h: 401 }).subIndices.o3).toBeNull();
  });

  it('uses the day maxima of the gases and caps at 500', () => {
    // SO2 237.5 → 75; CO 20000 → 75; NO2 5000 → 500
    const r = dailyVnAqi({ pm10: 40, so2Max1h: 237.5, coMax1h: 20000, no2Max1h: 5000 });
    expect(r.subIndices).toEqual({ pm25: null, pm10: 40, o3: null, co: 75, so2: 75, no2: 500 });
    expect(r).toMatchObject({ aqi: 500, band: 6, dominant: 'no2' });
  });

  it('chooses the dominant pollutant on unrounded values', () => {
    // PM2.5 20.3 → 40.6, PM10 40.8 → 40.8: both shown as 41, PM10 is higher
    const r = dailyVnAqi({ pm25: 20.3, pm10: 40.8 });
    expect(r.subIndices).toMatchObject({ pm25: 41, pm10: 41 });
    expect(r.dominant).toBe('pm10');
  });
});
