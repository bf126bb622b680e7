/**
 * Forest fire danger (cấp dự báo cháy rừng I–V) from the Nesterov-type index of Quyết định 127/2000/QĐ-BNN-KL
 * (STANDARDS.md §8): P accumulates, day after day without enough rain, the 13:00 temperature times the 13:00
 * saturation deficit, and returns to zero on a day with rain at or above the reset amount. The five levels
 * are bands of P. Since Nghị định 156/2018 each province sets its own bands (Huế's run from 0–5,000 to above
 * 20,000), so the bands and the reset amount are province data (province.json `fireDanger`). Pure.
 */

export type FireLevel = 1 | 2 | 3 | 4 | 5;

export const FIRE_LEVEL_NAMES: Readonly<Record<FireLevel, { roman: string; vi: string }>> = {
  1: { roman: 'I', vi: 'thấp' },
  2: { roman: 'II', vi: 'trung bình' },
  3: { roman: 'III', vi: 'cao' },
  4: { roman: 'IV', vi: 'nguy hiểm' },
  5: { roman: 'V', vi: 'cực kỳ nguy hiểm' },
};

export interface FireDangerRule {
  /** Upper bounds of levels I–IV (P ≤ bands[0] is I, …, P > bands[3] is V), rising. */
  bands: readonly [number, number, number, number];
  /** A day with at least this much rain (mm, the 24 h to 13:00) sets P back to 0. */
  resetRainMm: number;
}

/**
 * The classic bands and reset, as a secondary study gives them for QĐ 127/2000 (STANDARDS.md §8: I < 1,000;
 * II 1,001–2,500; III 2,501–5,000; IV 5,001–10,000; V > 10,000; reset on ≥ 5 mm). ⚠ Not read from the
 * decision itself.
 */
export const CLASSIC_FIRE_RULE: FireDangerRule = { bands: [1000, 2500, 5000, 10000], resetRainMm: 5 };

/** Saturation vapour pressure over water, hPa (Magnus, WMO-No. 8 coefficients), for T in °C. */
export function saturationVapourPressureHpa(tC: number): number {
  return 6.112 * Math.exp((17.62 * tC) / (243.12 + tC));
}

/** The saturation deficit d = E(T) − e at T °C and relative humidity RH %, hPa (never below 0). */
export function saturationDeficitHpa(tC: number, rhPct: number): number {
  const rh = Math.min(100, Math.max(0, rhPct));
  return saturationVapourPressureHpa(tC) * (1 - rh / 100);
}

export interface NesterovDay {
  /** Air temperature at 13:00, °C. */
  t13: number;
  /** Relative humidity at 13:00, %. */
  rh13: number;
  /** Rain in the 24 h to 13:00, mm. */
  rainMm: number;
}

/**
 * P after one more day: 0 on a day with rain ≥ resetRainMm, else the day before's P plus T13 × d13 (a
 * negative temperature adds nothing). Inputs must be finite.
 */
export function nesterovNext(prevP: number, day: NesterovDay, rule: FireDangerRule = CLASSIC_FIRE_RULE): number {
  const { t13, rh13, rainMm } = day;
  if (![prevP, t13, rh13, rainMm].every(Number.isFinite)) throw new RangeError('nesterovNext: inputs must be finite numbers');
  if (rainMm >= rule.resetRainMm) return 0;
  return Math.max(0, prevP) + Math.max(0, t13) * saturationDeficitHpa(t13, rh13);
}

/** The level of P: I up to bands[0] inclusive, …, V above bands[3]. */
export function fireDangerLevel(p: number, rule: FireDangerRule = CLASSIC_FIRE_RULE): FireLevel {
  const [a, b, c, d] = rule.bands;
  if (p <= a) return 1;
  if (p <= b) return 2;
  if (p <= c) return 3;
  if (p <= d) return 4;
  return 5;
}

/** One commune's fire danger now. */
export interface CommuneFire {
  code: string;
  level: FireLevel;
  /** The index P, rounded. */
  p: number;
  /** Days since P was last reset by rain (or since the server started counting). */
  dryDays: number;
  /** The VN calendar day (YYYY-MM-DD) of the last step; null before the first. */
  day: string | null;
}

export interface FireSnapshot {
  communes: CommuneFire[];
  rule: FireDangerRule;
  /** Where the province's bands come from, and whether they were checked against the province's decision. */
  source: string;
  verified: boolean;
}

/** Fire danger alarms from this level (IV, nguy hiểm). */
export const FIRE_ALARM_MIN_LEVEL = 4;
