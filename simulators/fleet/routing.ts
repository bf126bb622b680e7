/**
 * Muskingum routing (McCarthy 1938; Chow, Maidment & Mays, Applied Hydrology §8.4): how a flood wave
 * measured at an upstream gauge arrives at the next gauge down, later and flatter. A reach stores
 *   S = K·(X·I + (1 − X)·O)
 * (K: travel time, X: weight of the inflow in the storage, 0 for a reservoir, about 0.2 for natural rivers),
 * and over a step Δt the outflow is
 *   O₂ = C₀·I₂ + C₁·I₁ + C₂·O₁,   C₀ + C₁ + C₂ = 1,
 * so what goes in comes out (the volume is kept), its centroid K later.
 *
 * The coefficients stay non-negative only when 2·K·X ≤ Δt ≤ 2·K·(1 − X): a long reach on a short step is
 * split into N sub-reaches of K/N each (the usual practice), which still lags the wave by K in all.
 *
 * The simulator's models are functions of time (signals.ts), not of the reports before: routing is applied as
 * the convolution with the reach's unit response (`muskingumKernel`), which is the same linear recursion
 * started from rest, so a report at t depends on t alone.
 */

export interface Reach {
  /** Travel time, hours. */
  kH: number;
  /** Storage weight of the inflow, in [0, 0.5). */
  x: number;
}

export interface MuskingumCoefficients {
  c0: number;
  c1: number;
  c2: number;
  /** Sub-reaches the reach is split into so that no coefficient is negative. */
  subReaches: number;
}

export function muskingumCoefficients(reach: Reach, dtH: number): MuskingumCoefficients {
  const { kH, x } = reach;
  if (!(kH > 0) || !(x >= 0 && x < 0.5) || !(dtH > 0)) throw new Error(`muskingum: K ${kH} h, X ${x}, Δt ${dtH} h out of range`);
  const subReaches = Math.max(1, Math.ceil((2 * kH * x) / dtH - 1e-9));
  const k = kH / subReaches;
  const d = k * (1 - x) + dtH / 2;
  const c0 = (dtH / 2 - k * x) / d;
  const c1 = (dtH / 2 + k * x) / d;
  const c2 = (k * (1 - x) - dtH / 2) / d;
  if (c2 < -1e-12) throw new Error(`muskingum: K ${kH} h is too short for a step of ${dtH} h`);
  return { c0, c1, c2, subReaches };
}

/**
 * Routes an inflow series (one value per step of `dtH` hours) through the reach. Each sub-reach starts in
 * steady state with the first inflow (the river was flowing before the series began).
 */
export function muskingumRoute(inflow: readonly number[], reach: Reach, dtH: number): number[] {
  const { c0, c1, c2, subReaches } = muskingumCoefficients(reach, dtH);
  let series = [...inflow];
  for (let s = 0; s < subReaches; s++) {
    const out = new Array<number>(series.length);
    let prevIn = series[0] ?? 0;
    let prevOut = prevIn;
    for (let n = 0; n < series.length; n++) {
      const i = series[n] ?? 0;
      const o = n === 0 ? prevOut : c0 * i + c1 * prevIn + c2 * prevOut;
      out[n] = o;
      prevIn = i;
      prevOut = o;
    }
    series = out;
  }
  return series;
}

/**
 * The reach's unit response on a step of `dtH`: outflow (per step) of a unit volume entering in step 0, from
 * rest, cut where all but `tolerance` of the volume has come out and scaled to sum to exactly 1.
 * `routed[n] = Σⱼ kernel[j] · inflow[n − j]`.
 */
export function muskingumKernel(reach: Reach, dtH: number, tolerance = 1e-4): number[] {
  const { c0, c1, c2, subReaches } = muskingumCoefficients(reach, dtH);
  // Long enough for the wave's tail: several times the travel time, at least a day.
  const n = Math.ceil(Math.max(24, 6 * reach.kH) / dtH);
  let series: number[] = Array.from({ length: n }, (_, i) => (i === 0 ? 1 : 0));
  for (let s = 0; s < subReaches; s++) {
    const out = new Array<number>(n);
    let prevIn = 0;
    let prevOut = 0;
    for (let i = 0; i < n; i++) {
      const v = series[i] ?? 0;
      const o = c0 * v + c1 * prevIn + c2 * prevOut;
      out[i] = o;
      prevIn = v;
      prevOut = o;
    }
    series = out;
  }
  let cum = 0;
  let end = n;
  for (let i = 0; i < n; i++) {
    cum += series[i] ?? 0;
    if (cum >= 1 - tolerance) {
      end = i + 1;
      break;
    }
  }
  const kernel = series.slice(0, end);
  const total = kernel.reduce((a, b) => a + b, 0);
  return kernel.map((v) => v / total);
}

/** Storage weight of the simulated reaches: a natural channel with some floodplain storage. */
export const REACH_X = 0.2;
