/**
 * Hourly PM forecast of one station up to the end of tomorrow: persistence of the recent level, a diurnal
 * profile, and the recent trend, on the station's own hourly means (a classical decomposition; the
 * persistence and diurnal-cycle baselines of operational PM forecasting, e.g. the "persistence" and
 * "climatology" references of air-quality forecast verification).
 *
 *   P[k]   diurnal profile, k = local hour (Asia/Ho_Chi_Minh): the mean, over the days of the window with at
 *          least MIN_DAY_HOURS means, of an hour's departure from its day's mean; centred on zero
 *   y(h)   = c(h) − P[k(h)]                                  the deseasonalised series
 *   μ      mean of y over the last 24 h;  β = (μ − μ of the 24 h before) / 24  (the trend, per hour)
 *   φ      lag-1 autocorrelation of y's departures from their day's mean (clamped to [0, 0.98])
 *   ĉ(h)   = max(0, μ + β·Σⱼ₌₁ⁿ ψʲ + φ^τ·(y(hL) − μ) + P[k(h)])
 *          hL the last hour with a mean, τ = h − hL, n = h − (c − 12) hours from the middle of μ's day,
 *          ψ the trend's damping per hour
 *
 * Pure: the reader only returns hours that ended before the issue hour (longHourly.ts), so no later value
 * can reach a forecast.
 */
import { VN_UTC_OFFSET_MS } from '../../../shared/airForecast';

const HOURS_PER_DAY = 24;
const OFFSET_H = VN_UTC_OFFSET_MS / 3_600_000;
/** A day counts for the profile when this many of its hours have means (DAILY_MIN_HOURS of the daily index). */
export const MIN_DAY_HOURS = 18;

export interface TomorrowModelConfig {
  /** Days of hourly means the profile is taken from. */
  windowDays: number;
  /** Days with MIN_DAY_HOURS needed before the profile is used (fewer: a flat profile). */
  minProfileDays: number;
  /** Means needed in the last 24 h to forecast at all. */
  minRecentHours: number;
  /** The newest mean may be at most this many hours before the issue hour. */
  maxStaleHours: number;
  /** Damping per hour of the trend (0: no trend, 1: carried on undamped). */
  trendDamping: number;
}

export const DEFAULT_TOMORROW_MODEL: TomorrowModelConfig = {
  windowDays: 14,
  minProfileDays: 2,
  minRecentHours: 12,
  maxStaleHours: 3,
  trendDamping: 0.95,
};

/** The hourly means of one pollutant as known at the issue hour: null for missing (and for any later hour). */
export type HourReader = (hour: number) => number | null;

export interface HourlyForecast {
  /** Hour index (epoch ms / 1 h) of the first forecast hour: the issue hour, the one being filled. */
  fromHour: number;
  /** Forecast means of hours fromHour, fromHour + 1, …, µg/m³. */
  values: number[];
  /** The profile used, by local hour 0–23 (zeros when flat). */
  profile: number[];
  /** How many days the profile was taken from (0: flat). */
  profileDays: number;
  level: number;
  trendPerHour: number;
  phi: number;
}

export const localHour = (hour: number): number => (((hour + OFFSET_H) % HOURS_PER_DAY) + HOURS_PER_DAY) % HOURS_PER_DAY;
const localDay = (hour: number): number => Math.floor((hour + OFFSET_H) / HOURS_PER_DAY);

/**
 * Forecasts the means of hours [issueHour, untilHour) from the means before issueHour; undefined when the
 * recent hours are too few or too old to forecast from.
 */
export function forecastHours(read: HourReader, issueHour: number, untilHour: number, cfg: TomorrowModelConfig = DEFAULT_TOMORROW_MODEL): HourlyForecast | undefined {
  const first = issueHour - cfg.windowDays * HOURS_PER_DAY;
  const v: (number | null)[] = [];
  for (let h = first; h < issueHour; h++) {
    const x = read(h);
    v.push(x !== null && Number.isFinite(x) ? x : null);
  }
  const at = (h: number): number | null => (h < first || h >= issueHour ? null : v[h - first]!);

  // Profile: each full-enough local day's departures from its own mean, averaged per local hour.
  const days = new Map<number, number[]>();
  for (let h = first; h < issueHour; h++) {
    if (at(h) === null) continue;
    const d = localDay(h);
    let list = days.get(d);
    if (!list) days.set(d, (list = []));
    list.push(h);
  }
  const depSum = new Array<number>(HOURS_PER_DAY).fill(0);
  const depN = new Array<number>(HOURS_PER_DAY).fill(0);
  const dayMean = new Map<number, number>();
  for (const [d, hours] of days) {
    if (hours.length < MIN_DAY_HOURS) continue;
    const m = hours.reduce((s, h) => s + at(h)!, 0) / hours.length;
    dayMean.set(d, m);
    for (const h of hours) {
      depSum[localHour(h)]! += at(h)! - m;
      depN[localHour(h)]!++;
    }
  }
  const profileDays = dayMean.size >= cfg.minProfileDays ? dayMean.size : 0;
  let profile = depSum.map((s, k) => (profileDays > 0 && depN[k]! > 0 ? s / depN[k]! : 0));
  const centre = profile.reduce((a, b) => a + b, 0) / HOURS_PER_DAY;
  profile = profile.map((p) => p - centre);

  const y = (h: number): number | null => {
    const c = at(h);
    return c === null ? null : c - profile[localHour(h)]!;
  };
  const meanY = (from: number, to: number): { m: number; n: number } => {
    let s = 0;
    let n = 0;
    for (let h = from; h < to; h++) {
      const x = y(h);
      if (x === null) continue;
      s += x;
      n++;
    }
    return { m: n > 0 ? s / n : Number.NaN, n };
  };
  const recent = meanY(issueHour - 24, issueHour);
  if (recent.n < cfg.minRecentHours) return undefined;
  let last = issueHour - 1;
  while (last >= issueHour - cfg.maxStaleHours && y(last) === null) last--;
  if (last < issueHour - cfg.maxStaleHours) return undefined;
  const yLast = y(last)!;
  const before = meanY(issueHour - 48, issueHour - 24);
  const trendPerHour = before.n >= cfg.minRecentHours ? (recent.m - before.m) / 24 : 0;

  // φ from consecutive departures inside the profile's days (the day's mean removed, so slow changes of level
  // from one day to the next do not pass for persistence).
  let num = 0;
  let den = 0;
  for (let h = first; h + 1 < issueHour; h++) {
    const d = localDay(h);
    const m = dayMean.get(d);
    if (m === undefined || localDay(h + 1) !== d) continue;
    const a = y(h);
    const b = y(h + 1);
    if (a === null || b === null) continue;
    num += (a - m) * (b - m);
    den += (a - m) * (a - m);
  }
  const phi = den > 0 ? Math.min(0.98, Math.max(0, num / den)) : 0.8;

  const values: number[] = [];
  // μ is the mean of the 24 hours before the issue hour: its middle is 12 hours back.
  let trendSum = 0;
  let psi = 1;
  for (let k = 0; k < 12; k++) {
    psi *= cfg.trendDamping;
    trendSum += psi;
  }
  for (let h = issueHour; h < untilHour; h++) {
    psi *= cfg.trendDamping;
    trendSum += psi;
    const tau = h - last;
    const yHat = recent.m + trendPerHour * trendSum + phi ** tau * (yLast - recent.m);
    values.push(Math.max(0, yHat + profile[localHour(h)]!));
  }
  return { fromHour: issueHour, values, profile, profileDays, level: recent.m, trendPerHour, phi };
}
