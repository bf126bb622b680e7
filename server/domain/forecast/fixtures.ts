/** Synthetic gauges for the forecaster's tests: known structure, seeded noise, a 10-minute grid. */
import { createRandom, gaussian, uniform } from '../../../shared/random';
import type { Forecaster } from './forecaster';

export const T0 = Date.UTC(2026, 9, 1);
export const STEP_MS = 10 * 60_000;
export const HOUR = 3_600_000;

export interface Sampled {
  level: Map<string, Map<number, number>>;
  rain: Map<string, Map<number, number>>;
}

/** A smooth upstream level: a few incommensurate waves, so its changes are not collinear with its trend. */
export function upstreamLevel(t: number): number {
  const h = (t - T0) / HOUR;
  return 10 + 1.5 * Math.sin(h / 3.1) + 0.8 * Math.sin(h / 1.7 + 1) + 0.4 * Math.sin(h / 0.9 + 2);
}

export interface RoutedOptions {
  days: number;
  travelH: number;
  gain: number;
  noiseSd: number;
  seed: number;
}

/** Downstream = 2 + gain·upstream(t − travel) + noise: corresponding levels, exactly. */
export function routedPair(o: RoutedOptions): Sampled {
  const r = createRandom(o.seed);
  const up = new Map<number, number>();
  const down = new Map<number, number>();
  for (let t = T0; t <= T0 + o.days * 24 * HOUR; t += STEP_MS) {
    up.set(t, upstreamLevel(t));
    down.set(t, 2 + o.gain * upstreamLevel(t - o.travelH * HOUR) + (o.noiseSd > 0 ? gaussian(r, 0, o.noiseSd) : 0));
  }
  return { level: new Map([['up', up], ['down', down]]), rain: new Map() };
}

/**
 * A gauge with no upstream gauge, driven by rain at lead 1 h exactly:
 *   h(t+1h) = h(t) + c + b·(h(t) − h(t−1h)) + a·R₃(t)
 * with R₃ the mean over two rain gauges of the rain in (t−3h, t].
 */
export function rainDriven(c: number, b: number, a: number, days: number, seed: number): Sampled {
  const r = createRandom(seed);
  const g1 = new Map<number, number>();
  const g2 = new Map<number, number>();
  const level = new Map<number, number>();
  const end = T0 + days * 24 * HOUR;
  for (let t = T0; t <= end; t += STEP_MS) {
    g1.set(t, r.next() < 0.3 ? uniform(r, 0, 3) : 0);
    g2.set(t, r.next() < 0.3 ? uniform(r, 0, 3) : 0);
  }
  const r3 = (t: number): number => {
    let s = 0;
    for (let u = t - 3 * HOUR + STEP_MS; u <= t; u += STEP_MS) s += (g1.get(u) ?? 0) + (g2.get(u) ?? 0);
    return s / 2;
  };
  for (let t = T0; t <= end; t += STEP_MS) {
    const prev = level.get(t - HOUR);
    const prev2 = level.get(t - 2 * HOUR);
    level.set(t, prev === undefined || prev2 === undefined ? 5 + uniform(r, 0, 0.1) : prev + c + b * (prev - prev2) + a * r3(t - HOUR));
  }
  return { level: new Map([['g', level]]), rain: new Map([['r1', g1], ['r2', g2]]) };
}

/** Feeds every sample up front (the forecaster must still read none stamped after each step). */
export function feedAll(f: Forecaster, s: Sampled): void {
  for (const [id, m] of s.level) for (const [t, v] of m) f.addLevel(id, t, v);
  for (const [id, m] of s.rain) for (const [t, v] of m) f.addRain(id, t, v);
}
