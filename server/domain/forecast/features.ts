/**
 * The regressors of one (gauge, lead time τ) model at issue time t. Only samples stamped at or before t
 * are read (SampleSeries bounds every read by `asOf = t`).
 *
 *   x = [1, ΔH₁, ΔH₃, D, ΔU₁ … ΔUₘ, R₁, R₃, R₆, F₁, F₃, F₆, s·ΔU₁ … s·ΔUₘ, s·R₁ … s·F₆]
 *   ΔH₁ = h(t) − h(t−1h), ΔH₃ = h(t) − h(t−3h)         own level trend
 *   D = h(t) − mean of h over (t−1h, t]                  the last reading's departure from the hour (noise)
 *   ΔUᵤ = u(t+τ−Lᵤ) − u(t−Lᵤ),  Lᵤ = max(Tᵤ, τ)         upstream change over τ, travel time Tᵤ ahead
 *   R_k = mean over the basin's rain gauges of the rain in (t−k h, t]
 *   F_k = mean over the basin's rain gauges of the rain forecast for (t, t+k h], from each gauge's latest
 *         rain forecast issued at or before t (rainForecasts.ts); 0 where none is known
 *
 *   s = h(t) − h_ref                                     the gauge's state: its level above the first one seen
 *
 * The products s·ΔU and s·R let the gain of rain and of the upstream wave change with the river's state: a
 * river's level rises less for the same flow the higher it already is (its rating curve flattens).
 *
 * F is the rain that has not fallen yet: without it, a gauge whose catchment answers within 2–3 h can only be
 * warned once most of the storm's rain is down. Where no service publishes rain forecasts F is 0 and its
 * coefficients stay 0 (RLS does not move a coefficient whose regressor is always 0), so the model is the
 * one without them.
 *
 * ΔUᵤ is "mực nước tương ứng" in change form: with Tᵤ ≥ τ, the upstream change that reaches the gauge
 * between t and t+τ has already been measured. With Tᵤ < τ part of it has not happened yet, so the window
 * slides back to the last τ hours, which is the most recent the data can say.
 */
import type { BasinGauge } from '../../../shared/basins';
import type { RainForecasts } from './rainForecasts';
import type { SampleSeries } from './series';

export const HOUR_MS = 3_600_000;
export const RAIN_WINDOWS_H = [1, 3, 6] as const;
/** Windows ahead of the issue time over which the forecast rain is summed. */
export const RAIN_FORECAST_WINDOWS_H = [1, 3, 6] as const;
/** A rain forecast older than this at the issue time is not read (services issue every 1–6 h). */
export const RAIN_FORECAST_MAX_AGE_MS = 6 * HOUR_MS;

/** What the model needs of a basins.json entry (shared/basins.ts); tests build it by hand. */
export interface GaugeBasin extends Pick<BasinGauge, 'gaugeId' | 'rainGauges'> {
  /** Upstream gauges with the approximate travel time of a change from there to here, hours. */
  upstream: readonly Pick<BasinGauge['upstream'][number], 'id' | 'travelH'>[];
}

export interface SeriesSource {
  level(id: string): SampleSeries | undefined;
  rain(id: string): SampleSeries | undefined;
  rainForecast(id: string): RainForecasts | undefined;
}

export interface FeatureVector {
  x: number[];
  /** This gauge's level at t. */
  level: number;
  /** The basin's rain over the last 6 h plus its forecast rain over the next 6 h, mm: how wet the weather is. */
  rainMm: number;
  /** Upstream gauges whose change could not be read (gap, offline): their term is 0 and the pair not learnt. */
  missing: string[];
}

export function featureNames(basin: GaugeBasin): string[] {
  const inputs = [
    ...basin.upstream.map((u) => `dU:${u.id}`),
    ...RAIN_WINDOWS_H.map((h) => `rain${h}h`),
    ...RAIN_FORECAST_WINDOWS_H.map((h) => `rainNext${h}h`),
  ];
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

  const rainAhead = RAIN_FORECAST_WINDOWS_H.map((h) => {
    let sum = 0;
    let n = 0;
    for (const id of basin.rainGauges) {
      const v = src.rainForecast(id)?.sumIn(t, t + h * HOUR_MS, t, RAIN_FORECAST_MAX_AGE_MS);
      if (v === undefined) continue;
      sum += v;
      n++;
    }
    return n > 0 ? sum / n : 0;
  });

  const inputs = [...upstream, ...rain, ...rainAhead];
  const state = h0 - refLevel;
  const rainMm = (rain[RAIN_WINDOWS_H.indexOf(6)] ?? 0) + (rainAhead[RAIN_FORECAST_WINDOWS_H.indexOf(6)] ?? 0);
  return { x: [1, h0 - h1, h0 - h3, h0 - hourMean, ...inputs, ...inputs.map((v) => state * v)], level: h0, rainMm, missing };
}
