/**
 * Honest scores for forecasts of one lead time (STANDARDS.md §6). Water levels are so autocorrelated that
 * NSE alone flatters any model, so the persistence index (Kitanidis & Bras 1980) sits beside it: PI > 0 is
 * better than "the level stays as it is". The Vietnamese criterion (Circular 42/2017/TT-BTNMT) rates the
 * forecast change over τ against the spread of the observed change over τ.
 *
 * A score that is undefined for the data (no records, a constant observation) is null, never NaN or ±∞.
 */

export interface ForecastRecord {
  /** Observed level at the issue time: the persistence forecast. */
  base: number;
  /** Forecast level at issue time + τ. */
  forecast: number;
  /** Observed level at issue time + τ. */
  observed: number;
}

export type Tt42Rating = 'good' | 'passes' | 'passes-weakly' | 'fails';

export interface Tt42Config {
  /** Allowable error S = factor · σΔ. */
  allowableFactor: number;
  /** Upper bounds of S_method/σΔ for each rating, ascending. */
  ratioBands: { good: number; passes: number; passesWeakly: number };
  /** False until someone has checked the circular's table (STANDARDS.md §6 ⚠): the UI must say so. */
  verified: boolean;
  source: string;
}

export const TT42_DEFAULT: Tt42Config = {
  allowableFactor: 0.674,
  ratioBands: { good: 0.4, passes: 0.6, passesWeakly: 0.8 },
  verified: false,
  source: 'Circular 42/2017/TT-BTNMT as summarised in STANDARDS.md §6; bands not checked against the circular',
};

export interface Tt42Score {
  /** σΔ: standard deviation of the observed change over τ (n − 1 in the denominator). */
  sigmaDelta: number;
  /**
   * Where σΔ came from. Art. 11 of the circular (as quoted by secondary sources; ⚠ check the text) takes it
   * from the last 10 years of observations (at least 30 values); until the IOC has such a record, the
   * evaluation period's own changes stand in, and the score says so.
   */
  sigmaFrom: 'given' | 'evaluation-period';
  /** Allowable error S = 0.674·σΔ. */
  allowable: number;
  /** Share of forecasts whose error is within S, 0–1. */
  shareWithin: number;
  /** S_method/σΔ, S_method = √(Σe²/(n − 1)): the method's error against the natural spread of the change. */
  ratio: number | null;
  rating: Tt42Rating | null;
  verified: boolean;
}

export interface SkillScores {
  n: number;
  rmse: number | null;
  mae: number | null;
  /** Mean of forecast − observed: positive means the model over-forecasts. */
  bias: number | null;
  nse: number | null;
  persistenceIndex: number | null;
  tt42: Tt42Score | null;
}

const finite = (r: ForecastRecord): boolean => Number.isFinite(r.base) && Number.isFinite(r.forecast) && Number.isFinite(r.observed);
const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const sse = (xs: readonly number[]): number => xs.reduce((s, x) => s + x * x, 0);
const ratioOrNull = (num: number, den: number): number | null => (den > 0 ? num / den : null);

export function rmse(rs: readonly ForecastRecord[]): number | null {
  return rs.length === 0 ? null : Math.sqrt(sse(rs.map((r) => r.forecast - r.observed)) / rs.length);
}

export function mae(rs: readonly ForecastRecord[]): number | null {
  return rs.length === 0 ? null : mean(rs.map((r) => Math.abs(r.forecast - r.observed)));
}

export function bias(rs: readonly ForecastRecord[]): number | null {
  return rs.length === 0 ? null : mean(rs.map((r) => r.forecast - r.observed));
}

/** Nash–Sutcliffe efficiency: 1 − SSE / Σ(observed − mean observed)². */
export function nse(rs: readonly ForecastRecord[]): number | null {
  if (rs.length === 0) return null;
  const m = mean(rs.map((r) => r.observed));
  const q = ratioOrNull(sse(rs.map((r) => r.forecast - r.observed)), sse(rs.map((r) => r.observed - m)));
  return q === null ? null : 1 - q;
}

/** Persistence index: 1 − SSE / SSE(persistence), persistence forecasting the level at issue time. */
export function persistenceIndex(rs: readonly ForecastRecord[]): number | null {
  if (rs.length === 0) return null;
  const q = ratioOrNull(sse(rs.map((r) => r.forecast - r.observed)), sse(rs.map((r) => r.observed - r.base)));
  return q === null ? null : 1 - q;
}

export function tt42Rating(ratio: number, bands: Tt42Config['ratioBands']): Tt42Rating {
  if (ratio <= bands.good) return 'good';
  if (ratio <= bands.passes) return 'passes';
  if (ratio <= bands.passesWeakly) return 'passes-weakly';
  return 'fails';
}

/** Sample standard deviation (n − 1) of the observed changes: σΔ from a record of (base, observed). */
export function sigmaOfChange(rs: readonly Pick<ForecastRecord, 'base' | 'observed'>[]): number | null {
  if (rs.length < 2) return null;
  const deltas = rs.map((r) => r.observed - r.base);
  const md = mean(deltas);
  return Math.sqrt(sse(deltas.map((d) => d - md)) / (rs.length - 1));
}

/**
 * The Circular 42 scores; null with fewer than two records. `givenSigma` is σΔ from a long record of
 * observations (sigmaOfChange over years of data); without it the evaluation period's σΔ is used.
 */
export function tt42(rs: readonly ForecastRecord[], cfg: Tt42Config = TT42_DEFAULT, givenSigma?: number): Tt42Score | null {
  const n = rs.length;
  if (n < 2) return null;
  const useGiven = givenSigma !== undefined && Number.isFinite(givenSigma) && givenSigma >= 0;
  const sigmaDelta = useGiven ? givenSigma : (sigmaOfChange(rs) as number);
  const allowable = cfg.allowableFactor * sigmaDelta;
  const errors = rs.map((r) => r.forecast - r.observed);
  // A float hair over S (0.1 + 0.2) must not turn a pass into a miss.
  const within = errors.filter((e) => Math.abs(e) <= allowable + 1e-12).length;
  const ratio = ratioOrNull(Math.sqrt(sse(errors) / (n - 1)), sigmaDelta);
  return {
    sigmaDelta,
    sigmaFrom: useGiven ? 'given' : 'evaluation-period',
    allowable,
    shareWithin: within / n,
    ratio,
    rating: ratio === null ? null : tt42Rating(ratio, cfg.ratioBands),
    verified: cfg.verified,
  };
}

/** Every score for the records of one gauge and one lead time; non-finite records are left out. */
export function skill(records: readonly ForecastRecord[], cfg: Tt42Config = TT42_DEFAULT, givenSigma?: number): SkillScores {
  const rs = records.filter(finite);
  return {
    n: rs.length,
    rmse: rmse(rs),
    mae: mae(rs),
    bias: bias(rs),
    nse: nse(rs),
    persistenceIndex: persistenceIndex(rs),
    tt42: tt42(rs, cfg, givenSigma),
  };
}
