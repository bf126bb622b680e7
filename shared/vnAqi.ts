/**
 * VN_AQI as defined by Quyết định 1459/QĐ-TCMT (12/11/2019); see shared/STANDARDS.md §1.
 * Pure: the caller supplies hourly / daily means (µg/m³ for every pollutant, CO included);
 * turning raw readings into those means is the caller's job.
 *
 * Rounding decision (the regulation only shows "NowCast ≈ 20.3 → 41"):
 * - `nowCast` and `subIndex` return exact, unrounded values, so callers can chart and re-aggregate them;
 * - `hourlyVnAqi` / `dailyVnAqi` report every sub-index rounded half-up to an integer, the same rounding as
 *   the AQI. Rounding is monotone, so the AQI is always equal to the largest reported sub-index and an
 *   operator never sees an AQI that disagrees with the sub-indices shown beside it.
 * - `dominant` is chosen on the unrounded values (ties: the order of POLLUTANTS, PM2.5 first), so two
 *   pollutants that round to the same integer still have a well-defined dominant one.
 */

export const POLLUTANTS = ['pm25', 'pm10', 'o3', 'co', 'so2', 'no2'] as const;
export type Pollutant = (typeof POLLUTANTS)[number];

/** Columns of the breakpoint table; O3 has two (1-hour and 8-hour means). */
export type AqiColumn = 'o3_1h' | 'o3_8h' | 'co' | 'so2' | 'no2' | 'pm10' | 'pm25';

export type AqiBandNumber = 1 | 2 | 3 | 4 | 5 | 6;

/** Index values Iᵢ at each breakpoint row. */
export const VN_AQI_INDEX_LEVELS = [0, 50, 100, 150, 200, 300, 400, 500] as const;

/**
 * Breakpoints BPᵢ (µg/m³) per column, row-aligned with VN_AQI_INDEX_LEVELS. The O3 8-hour column stops at
 * 400 µg/m³ (index 300): above it the decision has no 8-hour breakpoint and the 8-hour part is skipped.
 */
export const VN_AQI_BREAKPOINTS: Readonly<Record<AqiColumn, readonly number[]>> = {
  o3_1h: [0, 160, 200, 300, 400, 800, 1000, 1200],
  o3_8h: [0, 100, 120, 170, 210, 400],
  co: [0, 10000, 30000, 45000, 60000, 90000, 120000, 150000],
  so2: [0, 125, 350, 550, 800, 1600, 2100, 2630],
  no2: [0, 100, 200, 700, 1200, 2350, 3100, 3850],
  pm10: [0, 50, 150, 250, 350, 420, 500, 600],
  pm25: [0, 25, 50, 80, 150, 250, 350, 500],
};

export interface AqiBandInfo {
  band: AqiBandNumber;
  /** Inclusive integer AQI range of the band. */
  min: number;
  max: number;
  /** Official Vietnamese name. */
  name: string;
  /** Official colour. */
  rgb: readonly [number, number, number];
  hex: string;
  /** Text colour with WCAG contrast ≥ 4.5 on `hex` (checked in the tests). */
  textHex: string;
}

export const AQI_BANDS: readonly AqiBandInfo[] = [
  { band: 1, min: 0, max: 50, name: 'Tốt', rgb: [0, 228, 0], hex: '#00e400', textHex: '#000000' },
  { band: 2, min: 51, max: 100, name: 'Trung bình', rgb: [255, 255, 0], hex: '#ffff00', textHex: '#000000' },
  { band: 3, min: 101, max: 150, name: 'Kém', rgb: [255, 126, 0], hex: '#ff7e00', textHex: '#000000' },
  // Black, not white: white on pure red is only 4.0:1, black reaches 5.25:1.
  { band: 4, min: 151, max: 200, name: 'Xấu', rgb: [255, 0, 0], hex: '#ff0000', textHex: '#000000' },
  { band: 5, min: 201, max: 300, name: 'Rất xấu', rgb: [143, 63, 151], hex: '#8f3f97', textHex: '#ffffff' },
  { band: 6, min: 301, max: 500, name: 'Nguy hại', rgb: [126, 0, 35], hex: '#7e0023', textHex: '#ffffff' },
];

/**
 * Half-up rounding to an integer. Going through 6 decimals first removes binary noise such as
 * 51.499999999999986 (O3 161.2 µg/m³, exactly 51.5) that plain Math.round would send the wrong way.
 */
export function roundHalfUp(x: number): number {
  return Math.floor(Number(x.toFixed(6)) + 0.5);
}

function usable(c: number | null | undefined): c is number {
  // Negative or non-finite means a broken reading, not clean air: treat it as missing rather than guess.
  return typeof c === 'number' && Number.isFinite(c) && c >= 0;
}

/**
 * Exact (unrounded) sub-index of concentration `c` in a column, by linear interpolation inside its segment.
 * At or above the top breakpoint: 500 (the decision is silent; capped). Null for a missing/invalid value and
 * for an O3 8-hour mean above 400 µg/m³, which has no breakpoint.
 */
export function subIndex(column: AqiColumn, c: number | null | undefined): number | null {
  if (!usable(c)) return null;
  const bp = VN_AQI_BREAKPOINTS[column];
  const top = bp[bp.length - 1]!;
  if (c > top && column === 'o3_8h') return null;
  if (c >= top && column !== 'o3_8h') return 500;
  for (let i = 0; i < bp.length - 1; i++) {
    const lo = bp[i]!;
    const hi = bp[i + 1]!;
    if (c <= hi) {
      const iLo = VN_AQI_INDEX_LEVELS[i]!;
      const iHi = VN_AQI_INDEX_LEVELS[i + 1]!;
      return ((iHi - iLo) / (hi - lo)) * (c - lo) + iLo;
    }
  }
  return null; // unreachable: c ≤ top here, and the loop covers [0, top]
}

/** Band of an AQI; the value is rounded half-up first so 50.4 is Tốt and 50.5 is Trung bình. */
export function aqiBand(aqi: number | null | undefined): AqiBandNumber | null {
  if (!usable(aqi)) return null;
  const a = roundHalfUp(aqi);
  for (const b of AQI_BANDS) if (a <= b.max) return b.band;
  return 6; // only reachable above 500, which sub-indices never produce
}

/**
 * NowCast over hourly means, newest first (c1 = current hour); only the first 12 are used.
 * A missing hour (null) keeps its position: it has weight 0 but later hours keep their exponent.
 * Null unless at least 2 of c1..c3 are present. Unrounded.
 */
export function nowCast(valuesNewestFirst: readonly (number | null | undefined)[]): number | null {
  const c = valuesNewestFirst.slice(0, 12);
  const recent = c.slice(0, 3).filter(usable).length;
  if (recent < 2) return null;
  const present = c.filter(usable);
  const cMax = Math.max(...present);
  if (cMax === 0) return 0; // w* would be 0/0; every available hour is zero
  const wStar = Math.min(...present) / cMax;
  const w = wStar <= 0.5 ? 0.5 : wStar;
  let num = 0;
  let den = 0;
  c.forEach((ci, i) => {
    if (!usable(ci)) return;
    const weight = w ** i;
    num += weight * ci;
    den += weight;
  });
  return num / den;
}

export interface VnAqiResult {
  /** Integer AQI, or null when neither PM2.5 nor PM10 has a sub-index. */
  aqi: number | null;
  band: AqiBandNumber | null;
  /** Pollutant with the highest sub-index; null whenever aqi is null. */
  dominant: Pollutant | null;
  /** Integer sub-indices (rounded half-up); null when that pollutant has no data. */
  subIndices: Record<Pollutant, number | null>;
}

export interface HourlyVnAqiInput {
  /** Hourly means, newest first, null = missing hour; up to 12 used (NowCast). */
  pm25?: readonly (number | null)[];
  pm10?: readonly (number | null)[];
  /** 1-hour means of the current hour. */
  o3?: number | null;
  co?: number | null;
  so2?: number | null;
  no2?: number | null;
}

export interface DailyVnAqiInput {
  /** 24-hour means. */
  pm25?: number | null;
  pm10?: number | null;
  /** The day's highest 1-hour mean and highest rolling 8-hour mean. */
  o3Max1h?: number | null;
  o3Max8h?: number | null;
  coMax1h?: number | null;
  so2Max1h?: number | null;
  no2Max1h?: number | null;
}

function combine(raw: Record<Pollutant, number | null>): VnAqiResult {
  const subIndices = {} as Record<Pollutant, number | null>;
  let dominant: Pollutant | null = null;
  let best = -Infinity;
  for (const p of POLLUTANTS) {
    const v = raw[p];
    subIndices[p] = v === null ? null : roundHalfUp(v);
    if (v !== null && v > best) {
      best = v;
      dominant = p;
    }
  }
  if (raw.pm25 === null && raw.pm10 === null) {
    return { aqi: null, band: null, dominant: null, subIndices };
  }
  const aqi = roundHalfUp(best);
  return { aqi, band: aqiBand(aqi), dominant, subIndices };
}

function maxOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/** Hourly VN_AQI: NowCast for PM, 1-hour means (O3 1h column) for the gases. */
export function hourlyVnAqi(input: HourlyVnAqiInput): VnAqiResult {
  return combine({
    pm25: subIndex('pm25', nowCast(input.pm25 ?? [])),
    pm10: subIndex('pm10', nowCast(input.pm10 ?? [])),
    o3: subIndex('o3_1h', input.o3),
    co: subIndex('co', input.co),
    so2: subIndex('so2', input.so2),
    no2: subIndex('no2', input.no2),
  });
}

/**
 * Daily VN_AQI: PM from 24-hour means, gases from the day's highest 1-hour mean; O3 is the higher of its
 * 1-hour and 8-hour sub-indices, the 8-hour one skipped above 400 µg/m³ (subIndex returns null there).
 */
export function dailyVnAqi(input: DailyVnAqiInput): VnAqiResult {
  return combine({
    pm25: subIndex('pm25', input.pm25),
    pm10: subIndex('pm10', input.pm10),
    o3: maxOrNull(subIndex('o3_1h', input.o3Max1h), subIndex('o3_8h', input.o3Max8h)),
    co: subIndex('co', input.coMax1h),
    so2: subIndex('so2', input.so2Max1h),
    no2: subIndex('no2', input.no2Max1h),
  });
}
