/**
 * Short-lead river-level forecasts (1–6 h) per gauge: a data-based ARX model of the level change over each
 * lead time, one per (gauge, lead), updated by recursive least squares with forgetting (rls.ts) as each
 * forecast is verified: ARX with recursive updating (Young; Romanowicz, Young & Beven, Water Resources
 * Research 2006, doi:10.1029/2005WR004373). Theirs is a data-based mechanistic transfer-function model with
 * an adaptive gain; this is its simpler regression form, one direct model per lead time, built on Vietnam's
 * short-lead practice of corresponding levels upstream → downstream (STANDARDS.md §6).
 *
 *   Δĥ(t, τ) = θ_τᵀ x(t, τ)          ĥ(t+τ) = h(t) + Δĥ(t, τ)        (x: features.ts)
 *   at t+τ:  y = h(t+τ) − h(t) verified, θ_τ updated with (x(t, τ), y), residual h(t+τ) − ĥ(t+τ) kept
 *   interval: ĥ(t+τ) + empirical quantiles of the last N residuals of lead τ (interval.ts)
 *
 * Pure: samples go in with their timestamps, `step(now)` is the only thing that moves time, and nothing
 * stamped after `now` is read (no look-ahead, even when later samples are already buffered).
 */
import { features, featureNames, HOUR_MS, RAIN_WINDOWS_H, type FeatureVector, type GaugeBasin } from './features';
import { ResidualWindow } from './interval';
import { RainForecasts } from './rainForecasts';
import { createRls, DEFAULT_RLS, type Rls } from './rls';
import { SampleSeries } from './series';

export interface ForecastConfig {
  /** Lead times in hours. */
  leadsH: readonly number[];
  /** RLS forgetting factor; memory ≈ 1/(1 − λ) verified forecasts per lead. */
  lambda: number;
  delta: number;
  maxVariance: number;
  /** A level older than this at the instant asked for is a gap, not a value. */
  maxSampleAgeMs: number;
  /** Central share of residuals the interval covers, e.g. 0.9. */
  coverage: number;
  /** How many recent verified residuals per lead the interval is taken from. */
  residualWindow: number;
  /** No interval before this many residuals: a quantile of five numbers is not an interval. */
  minResiduals: number;
  /**
   * A forecast issued by a model that has learnt from fewer pairs than this is marked `warmingUp`, and its
   * residual is not kept: the untrained model's errors would widen the interval long after it has learnt.
   */
  warmupPairs: number;
  /**
   * Forecasts are issued at most this often (steps in between only verify and learn): the pipeline may
   * step every tick, and six leads' pending forecasts must stay a few hundred, not a few hundred thousand.
   */
  issueEveryMs: number;
  /**
   * A lead's forecast change is held within `clipFactor` × the largest change it has verified, plus
   * `clipMarginM`: a linear model asked about rain it has never seen (the first storm after dry weeks) would
   * otherwise extrapolate tens of metres. The change it may forecast grows with what it learns.
   */
  clipFactor: number;
  clipMarginM: number;
  /**
   * Beside the regression, each lead keeps a damped-trend forecast (the last hour's change carried on, shrinking by
   * `trendDamping` each hour) and the last hour's mean, and the exponentially weighted squared error of each over
   * about `skillMemory` verified forecasts; the issued change is their mean weighted by the inverse of those
   * errors (`combineWeights`). A regression that has only ever seen dry weather weighs little on the first
   * storm's rise, and regains its weight once it has learnt. Choosing the one best candidate instead lost to
   * persistence at the quiet highland gauges, where no candidate is best at every moment (README, River forecasts).
   */
  trendDamping: number;
  skillMemory: number;
  /**
   * The candidates are scored apart for a calm river and an active one: an issue is active when the basin's rain
   * over the last 6 h and its forecast rain over the next 6 h together reach `activeRainMm`, or the river moved
   * at least `activeChangeM` in the last hour. On a calm river the last hour's mean weighs most; with one score
   * for both it still did as a storm began, and on a flood's falling limb (where the last hour's mean is above
   * the river, a rise that is not coming).
   */
  activeRainMm: number;
  activeChangeM: number;
  /** A candidate whose recent squared error is more than this many times the best one's gets no weight. */
  combineTrim: number;
}

export const DEFAULT_FORECAST_CONFIG: ForecastConfig = {
  leadsH: [1, 2, 3, 4, 5, 6],
  ...DEFAULT_RLS,
  maxSampleAgeMs: 20 * 60_000,
  coverage: 0.9,
  residualWindow: 200,
  minResiduals: 30,
  warmupPairs: 50,
  issueEveryMs: 10 * 60_000,
  clipFactor: 2,
  clipMarginM: 0.5,
  trendDamping: 0.85,
  skillMemory: 60,
  activeRainMm: 5,
  activeChangeM: 0.05,
  combineTrim: 2,
};

export interface LeadForecast {
  leadH: number;
  validAt: number;
  /** Forecast level at validAt, metres. */
  level: number;
  /** Forecast change over the lead, metres. */
  change: number;
  /** Prediction interval for the level; absent until enough forecasts of this lead have been verified. */
  lower?: number;
  upper?: number;
  /** How many verified pairs the model of this lead has learnt from. */
  trainedOn: number;
  /** Fewer than `warmupPairs`: show it, if at all, as a model still learning. */
  warmingUp: boolean;
  /** The model's change was beyond what it has learnt and was held at the limit (clipFactor). */
  clipped?: true;
  /**
   * The share of each candidate in the issued change (they sum to 1): the regression, the damped trend and the
   * last hour's mean level (a quiet river whose readings are mostly noise), each weighted by the inverse of its
   * recent squared error; the trend alone until they have been scored.
   */
  weights: Readonly<Record<ForecastMethod, number>>;
}

export interface GaugeForecast {
  gaugeId: string;
  issuedAt: number;
  level: number;
  leads: LeadForecast[];
  /** Upstream gauges that could not be read at issue time (their term was left out). */
  missing: string[];
}

/** A forecast met by its observation: a record for the skill scores (skill.ts ForecastRecord). */
export interface VerifiedForecast {
  gaugeId: string;
  leadH: number;
  issuedAt: number;
  /** Observed level at issue time (the persistence forecast). */
  base: number;
  forecast: number;
  observed: number;
  warmingUp: boolean;
  /** Every candidate's level and the regime it was issued in (to see which would have done better). */
  candidates: Readonly<Record<ForecastMethod, number>>;
  regime: Regime;
}

export interface StepResult {
  /** Forecasts issued at this step (empty between issue times). */
  forecasts: GaugeForecast[];
  /** Earlier forecasts whose lead time ended by this step and whose observation was there. */
  verified: VerifiedForecast[];
}

export type ForecastMethod = 'model' | 'trend' | 'mean';
const METHODS: readonly ForecastMethod[] = ['model', 'trend', 'mean'];

interface Pending {
  issuedAt: number;
  fv: FeatureVector;
  predicted: number;
  /** Every candidate's level, scored at verification whichever was issued. */
  candidates: Record<ForecastMethod, number>;
  warmingUp: boolean;
  regime: Regime;
}

export type Regime = 'calm' | 'active';

interface LeadModel {
  leadH: number;
  /** Largest |change| over this lead among the verified pairs, metres. */
  maxAbsChange: number;
  /** Exponentially weighted squared errors of the candidates per regime (NaN before its first verification). */
  mse: Record<Regime, Record<ForecastMethod, number>>;
  rls: Rls;
  residuals: ResidualWindow;
  pending: Pending[];
}

interface GaugeModel {
  basin: GaugeBasin;
  leads: LeadModel[];
}

export interface Forecaster {
  addLevel(gaugeId: string, ts: number, level: number): void;
  addRain(gaugeId: string, ts: number, mm: number): void;
  /** A rain gauge's point rain forecast: issued at `issuedAt`, `mm[k]` in its (k+1)-th step of `stepMs`. */
  addRainForecast(gaugeId: string, issuedAt: number, stepMs: number, mm: readonly number[]): void;
  /** Verifies what has come due, learns from it, and issues forecasts at `now` (non-decreasing). */
  step(now: number): StepResult;
  /** The fitted coefficients of one model with their feature names, for explanation and tests. */
  coefficients(gaugeId: string, leadH: number): { name: string; value: number }[] | undefined;
}

export function createForecaster(basins: readonly GaugeBasin[], cfg: ForecastConfig = DEFAULT_FORECAST_CONFIG): Forecaster {
  const levels = new Map<string, SampleSeries>();
  const rains = new Map<string, SampleSeries>();
  const series = (m: Map<string, SampleSeries>, id: string): SampleSeries => {
    let s = m.get(id);
    if (!s) m.set(id, (s = new SampleSeries()));
    return s;
  };
  const rainForecasts = new Map<string, RainForecasts>();
  const src = { level: (id: string) => levels.get(id), rain: (id: string) => rains.get(id), rainForecast: (id: string) => rainForecasts.get(id) };
  // Each gauge's earliest level: the origin of its state term (features.ts). Fixed once seen (unless an older
  // sample turns up), so the model's products keep their meaning as it learns; never later than any step
  // that issues, since a forecast needs the gauge's level 3 h back.
  const refLevels = new Map<string, { ts: number; level: number }>();

  const models: GaugeModel[] = basins.map((basin) => ({
    basin,
    leads: cfg.leadsH.map((leadH) => ({
      leadH,
      maxAbsChange: 0,
      mse: { calm: { model: Number.NaN, trend: Number.NaN, mean: Number.NaN }, active: { model: Number.NaN, trend: Number.NaN, mean: Number.NaN } },
      rls: createRls({ size: featureNames(basin).length, lambda: cfg.lambda, delta: cfg.delta, maxVariance: cfg.maxVariance }),
      residuals: new ResidualWindow(cfg.residualWindow),
      pending: [],
    })),
  }));

  // Keep what the oldest feature or verification may read: the longest upstream lag and the rain window.
  const maxLeadH = Math.max(0, ...cfg.leadsH);
  const maxTravelH = Math.max(0, ...basins.flatMap((b) => b.upstream.map((u) => u.travelH)));
  const retentionMs = (Math.max(maxTravelH, maxLeadH, ...RAIN_WINDOWS_H, 3) + maxLeadH) * HOUR_MS + 2 * cfg.maxSampleAgeMs;

  let lastStep = Number.NEGATIVE_INFINITY;
  let lastIssue = Number.NEGATIVE_INFINITY;

  function verify(gm: GaugeModel, lm: LeadModel, now: number, out: VerifiedForecast[]): void {
    const own = levels.get(gm.basin.gaugeId);
    const leadMs = lm.leadH * HOUR_MS;
    while (lm.pending.length > 0 && (lm.pending[0] as Pending).issuedAt + leadMs <= now) {
      const p = lm.pending.shift() as Pending;
      const observed = own?.valueAt(p.issuedAt + leadMs, now, cfg.maxSampleAgeMs);
      if (observed === undefined || !Number.isFinite(observed)) continue;
      out.push({ gaugeId: gm.basin.gaugeId, leadH: lm.leadH, issuedAt: p.issuedAt, base: p.fv.level, forecast: p.predicted, observed, warmingUp: p.warmingUp, candidates: p.candidates, regime: p.regime });
      if (!p.warmingUp) lm.residuals.push(observed - p.predicted);
      lm.maxAbsChange = Math.max(lm.maxAbsChange, Math.abs(observed - p.fv.level));
      const a = 1 / cfg.skillMemory;
      const ew = (prev: number, e: number) => (Number.isNaN(prev) ? e * e : (1 - a) * prev + a * e * e);
      // Scored once the model has learnt (warmupPairs): its untrained errors would weigh against it for
      // `skillMemory` verifications after.
      const mse = lm.mse[p.regime];
      if (!p.warmingUp) for (const m of METHODS) mse[m] = ew(mse[m], observed - p.candidates[m]);
      if (p.fv.missing.length === 0) lm.rls.update(p.fv.x, observed - p.fv.level);
    }
  }

  function issue(gm: GaugeModel, now: number): GaugeForecast | undefined {
    const out: LeadForecast[] = [];
    let level: number | undefined;
    const missing = new Set<string>();
    for (const lm of gm.leads) {
      const ref = refLevels.get(gm.basin.gaugeId);
      const fv = ref === undefined ? undefined : features(gm.basin, lm.leadH, now, src, cfg.maxSampleAgeMs, ref.level);
      if (!fv || !fv.x.every(Number.isFinite) || !Number.isFinite(fv.level)) continue;
      level = fv.level;
      for (const id of fv.missing) missing.add(id);
      const raw = lm.rls.predict(fv.x);
      const limit = cfg.clipFactor * lm.maxAbsChange + cfg.clipMarginM;
      const modelChange = Math.max(-limit, Math.min(limit, raw));
      const trendChange = dampedTrend(fv.x[1] ?? 0, lm.leadH, cfg.trendDamping);
      const warmingUp = lm.rls.updates < cfg.warmupPairs;
      // The hour's mean: the last reading less its departure from the hour (features.ts `dev1h`).
      const changes: Record<ForecastMethod, number> = { model: modelChange, trend: trendChange, mean: -(fv.x[3] ?? 0) };
      // The trend until the candidates have been scored; then each weighted by how right it has recently been.
      const regime: Regime = fv.rainMm >= cfg.activeRainMm || Math.abs(fv.x[1] ?? 0) >= cfg.activeChangeM ? 'active' : 'calm';
      // A regime not scored yet (the first storm) is judged by the other's scores.
      const mse = Number.isNaN(lm.mse[regime].model) ? lm.mse[regime === 'active' ? 'calm' : 'active'] : lm.mse[regime];
      const weights = combineWeights(mse, cfg.combineTrim);
      const change = METHODS.reduce((c, m) => c + weights[m] * changes[m], 0);
      const predicted = fv.level + change;
      const candidates = { model: fv.level + modelChange, trend: fv.level + trendChange, mean: fv.level + changes.mean };
      lm.pending.push({ issuedAt: now, fv, predicted, candidates, warmingUp, regime });
      const lf: LeadForecast = {
        leadH: lm.leadH,
        validAt: now + lm.leadH * HOUR_MS,
        level: predicted,
        change,
        trainedOn: lm.rls.updates,
        warmingUp,
        weights,
      };
      if (weights.model > 0 && modelChange !== raw) lf.clipped = true;
      const b = lm.residuals.size >= cfg.minResiduals ? lm.residuals.bounds(cfg.coverage) : undefined;
      if (b) {
        lf.lower = predicted + b.lower;
        lf.upper = predicted + b.upper;
      }
      out.push(lf);
    }
    if (level === undefined) return undefined;
    return { gaugeId: gm.basin.gaugeId, issuedAt: now, level, leads: out, missing: [...missing].sort() };
  }

  return {
    addLevel: (id, ts, level) => {
      const ref = refLevels.get(id);
      if (Number.isFinite(level) && Number.isFinite(ts) && (!ref || ts < ref.ts)) refLevels.set(id, { ts, level });
      series(levels, id).add(ts, level);
    },
    addRain: (id, ts, mm) => series(rains, id).add(ts, mm),
    addRainForecast: (id, issuedAt, stepMs, mm) => {
      let f = rainForecasts.get(id);
      if (!f) rainForecasts.set(id, (f = new RainForecasts()));
      f.add({ issuedAt, stepMs, mm });
    },
    step(now) {
      if (now < lastStep) throw new Error(`forecaster: step(${now}) before the previous step(${lastStep})`);
      lastStep = now;
      const verified: VerifiedForecast[] = [];
      const forecasts: GaugeForecast[] = [];
      const issuing = now - lastIssue >= cfg.issueEveryMs;
      if (issuing) lastIssue = now;
      for (const gm of models) {
        for (const lm of gm.leads) verify(gm, lm, now, verified);
        const f = issuing ? issue(gm, now) : undefined;
        if (f) forecasts.push(f);
      }
      for (const s of levels.values()) s.dropBefore(now - retentionMs);
      for (const s of rains.values()) s.dropBefore(now - retentionMs);
      // Steps never go back, so an issue older than the newest one made by now is never read again.
      for (const f of rainForecasts.values()) f.dropBefore(now);
      return { forecasts, verified };
    },
    coefficients(gaugeId, leadH) {
      const gm = models.find((m) => m.basin.gaugeId === gaugeId);
      const lm = gm?.leads.find((l) => l.leadH === leadH);
      if (!gm || !lm) return undefined;
      const names = featureNames(gm.basin);
      return lm.rls.theta.map((value, i) => ({ name: names[i] ?? `x${i}`, value }));
    },
  };
}

/**
 * Inverse-MSE weights of the candidates (Bates & Granger 1969, "The combination of forecasts"): each weighs as
 * much as it has recently been right. Before any is scored, the damped trend alone.
 */
export function combineWeights(mse: Readonly<Record<ForecastMethod, number>>, trim: number): Record<ForecastMethod, number> {
  if (METHODS.some((m) => Number.isNaN(mse[m]))) return { model: 0, trend: 1, mean: 0 };
  // A floor so that a candidate with no error yet does not take everything (1 µm² is far below any gauge's noise).
  const best = Math.max(1e-12, Math.min(mse.model, mse.trend, mse.mean));
  const inv = (m: ForecastMethod) => (mse[m] > trim * best ? 0 : 1 / Math.max(mse[m], 1e-12));
  const sum = inv('model') + inv('trend') + inv('mean');
  return { model: inv('model') / sum, trend: inv('trend') / sum, mean: inv('mean') / sum };
}

/** The last hour's change carried on for `leadH` hours, each hour `damping` times the one before. */
export function dampedTrend(dH1h: number, leadH: number, damping: number): number {
  let sum = 0;
  let f = 1;
  for (let k = 1; k <= leadH; k++) {
    f *= damping;
    sum += f;
  }
  return dH1h * sum;
}
