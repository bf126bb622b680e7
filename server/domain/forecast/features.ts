/**
 * The regressors of one (gauge, lead time τ) model at issue time t. Only samples stamped at or before t
 * are read (SampleSeries bounds every read by `asOf = t`).
 *
 *   x = [1, ΔH₁, ΔH₃, D, ΔU₁ … ΔUₘ, R₁, R₃, R₆, s·ΔU₁ … s·ΔUₘ, s·R₁, s·R₃, s·R₆]
 *   ΔH₁ = h(t) − h(t−1h), ΔH₃ = h(t) − h(t−3h)         own level trend
 *   D = h(t) − mean of h over (t−1h, t]                  the last reading's departure from the hour (noise)
 *   ΔUᵤ = u(t+τ−Lᵤ) − u(t−Lᵤ),  Lᵤ = max(Tᵤ, τ)         upstream change over τ, travel time Tᵤ ahead
 *   R_k = mean over the basin's rain gauges of the rain in (t−k h, t]
 *
 *   s = h(t) − h_ref                                     the gauge's state: its level above the first one seen
 *
 * The products s·ΔU and s·R let the gain of rain and of the upstream wave change with the river's state: a
 * river's level rises less for the same flow the higher it already is (its rating curve flattens).
 *
 * ΔUᵤ is "mực nước tương ứng" in change form: with Tᵤ ≥ τ, the upstream change that reaches the gauge
 * between t and t+τ has already been measured. With Tᵤ < τ part of it has not happened yet, so the window
 * slides back to the last τ hours, which is the most recent the data can say.
 */
import type { BasinGauge } from '../../../shared/basins';
import type { SampleSeries } from './series';

export const HOUR_MS = 3_600_000;
export const RAIN_WINDOWS_H = [1, 3, 6] as const;

/** What the model needs of a basins.json entry (shared/basins.ts); tests build it by hand. */
export interface GaugeBasin extends Pick<BasinGauge, 'gaugeId' | 'rainGauges'> {
  /** Upstream gauges with the approximate travel time of a change from there to here, hours. */
  upstream: readonly Pick<BasinGauge['upstream'][number], 'id' | 'travelH'>[];
}

export interface SeriesSource {
  level(id: string): SampleSeries | undefined;
  rain(id: string): SampleSeries | undefined;
}

export interface FeatureVector {
  x: number[];
  /** This gauge's level at t. */
  level: number;
  /** Upstream gauges whose change could not be read (gap, offline): their term is 0 and the pair not learnt. */
  missing: string[];
}

export function featureNames(basin: GaugeBasin): string[] {
  const inputs = [...basin.upstream.map((u) => `dU:${u.id}`), ...RAIN_WINDOWS_H.map((h) => `rain${h}h`)];
  return ['intercept', 'dH1h', 'dH3h', 'dev1h', ...inputs, ...inputs.map((n) => `state×${n}`)];
}

/** The regressors at issue time t, or undefined when this gauge's own recent levels are not known. */
export function features(
  basin: GaugeBasin,
  leadH: number,
  t: number,
  src: SeriesSource,
  maxAgeMs: number,
  /** The gauge's reference level (the first it reported); the state s is measured from it. */
  refLevel: number,
): FeatureVector | undefined {
  const own = src.level(basin.gaugeId);
  if (!own) return undefined;
  const h0 = own.valueAt(t, t, maxAgeMs);
  const h1 = own.valueAt(t - HOUR_MS, t, maxAgeMs);
  const h3 = own.valueAt(t - 3 * HOUR_MS, t, maxAgeMs);
  const hourMean = own.meanIn(t - HOUR_MS, t, t);
  if (h0 === undefined || h1 === undefined || h3 === undefined || hourMean === undefined) return undefined;

  const missing: string[] = [];
  const upstream = basin.upstream.map((u) => {
    const lagMs = Math.max(u.travelH, leadH) * HOUR_MS;
    const series = src.level(u.id);
    const end = series?.valueAt(t + leadH * HOUR_MS - lagMs, t, maxAgeMs);
    const start = series?.valueAt(t - lagMs, t, maxAgeMs);
    if (end === undefined || start === undefined) {
      missing.push(u.id);
      return 0;
    }
    return end - start;
  });

  const rain = RAIN_WINDOWS_H.map((h) => {
    if (basin.rainGauges.length === 0) return 0;
    let sum = 0;
    for (const id of basin.rainGauges) sum += src.rain(id)?.sumIn(t - h * HOUR_MS, t, t) ?? 0;
    return sum / basin.rainGauges.length;
  });

  const inputs = [...upstream, ...rain];
  const state = h0 - refLevel;
  return { x: [1, h0 - h1, h0 - h3, h0 - hourMean, ...inputs, ...inputs.map((v) => state * v)], level: h0, missing };
}
