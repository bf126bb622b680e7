/**
 * Deterministic, stateless helpers for time-driven signals: lattice hashing, smooth value noise and
 * Vietnam-time calendar helpers. A value at time t depends only on (seed, t), never on call order,
 * so a device that misses reports or a replay from another start still sees the same weather.
 */
import { gaussian, type RandomSource } from '../../shared/random';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Asia/Ho_Chi_Minh has no daylight saving: a fixed UTC+7. */
const VN_OFFSET_MS = 7 * HOUR_MS;

export { HOUR_MS, DAY_MS };

/** Hash of (seed, integer lattice point) to [0, 1). Handles lattice indices beyond 32 bits. */
export function hash01(seed: number, i: number): number {
  const lo = i >>> 0;
  const hi = Math.floor(i / 4294967296) >>> 0;
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ lo, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ hi, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x27d4eb2d);
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

/** Derives an independent sub-seed (for another noise channel) from a seed and a small tag. */
export function subSeed(seed: number, tag: number): number {
  return Math.floor(hash01(seed, tag * 7919 + 17) * 4294967296) >>> 0;
}

function smooth(f: number): number {
  return f * f * (3 - 2 * f);
}

/** 1-D value noise in [0, 1], continuous with a continuous derivative; one lattice step per unit of x. */
export function valueNoise(seed: number, x: number): number {
  const i = Math.floor(x);
  const a = hash01(seed, i);
  const b = hash01(seed, i + 1);
  return a + (b - a) * smooth(x - i);
}

/** Sum of octaves of value noise, normalised to [0, 1]. */
export function fractalNoise(seed: number, x: number, octaves = 3): number {
  let sum = 0;
  let norm = 0;
  let amp = 1;
  let freq = 1;
  for (let o = 0; o < octaves; o++) {
    sum += amp * valueNoise(subSeed(seed, o + 1), x * freq);
    norm += amp;
    amp *= 0.5;
    freq *= 2.03;
  }
  return sum / norm;
}

/** Gaussian bump centred on `centre` hours, circular over a 24 h day. */
export function hourBump(hour: number, centre: number, width: number): number {
  let d = Math.abs(hour - centre);
  if (d > 12) d = 24 - d;
  return Math.exp(-0.5 * (d / width) ** 2);
}

/** Gaussian bump over the day of the year, circular over 365 days. */
export function dayOfYearBump(doy: number, centre: number, width: number): number {
  let d = Math.abs(doy - centre);
  if (d > 182.5) d = 365 - d;
  return Math.exp(-0.5 * (d / width) ** 2);
}

/** Hour of the day in Vietnam time, fractional, in [0, 24). */
export function vnHour(t: number): number {
  const ms = (((t + VN_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS;
  return ms / HOUR_MS;
}

/** Day of the week in Vietnam time: 0 = Sunday … 6 = Saturday. */
export function vnWeekday(t: number): number {
  const days = Math.floor((t + VN_OFFSET_MS) / DAY_MS);
  return (((days + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/**
 * Day of the year in Vietnam time, fractional, in [0, 365.2425). Uses the mean Gregorian year rather than
 * the calendar (within a day of it), which is plenty for seasonal curves and avoids a Date per call.
 */
export function vnDayOfYear(t: number): number {
  const days = (t + VN_OFFSET_MS) / DAY_MS;
  return ((days % 365.2425) + 365.2425) % 365.2425;
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

export function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

/** Poisson sample (Knuth for small means, normal approximation above). */
export function poisson(r: RandomSource, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(gaussian(r, mean, Math.sqrt(mean))));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = r.next();
  while (p > limit) {
    k++;
    p *= r.next();
  }
  return k;
}

/** A 32-bit seed drawn from a random source, to key stateless noise channels per device. */
export function drawSeed(r: RandomSource): number {
  return Math.floor(r.next() * 4294967296) >>> 0;
}
