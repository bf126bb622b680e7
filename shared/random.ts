/**
 * Seeded random source (mulberry32) for the fleet generator and simulators: the same seed
 * gives the same sequence on every machine. Domain code takes a RandomSource, never Math.random.
 */
export interface RandomSource {
  /** Uniform in [0, 1). */
  next(): number;
}

export function createRandom(seed: number): RandomSource {
  let a = seed >>> 0;
  return {
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** Stable 32-bit hash of a string (FNV-1a), to derive per-device seeds from ids. */
export function hashSeed(s: string, base = 0): number {
  let h = (0x811c9dc5 ^ base) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function uniform(r: RandomSource, min: number, max: number): number {
  return min + (max - min) * r.next();
}

/** Standard normal by Box-Muller. */
export function gaussian(r: RandomSource, mean = 0, sd = 1): number {
  const u = 1 - r.next();
  const v = r.next();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function pick<T>(r: RandomSource, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[Math.floor(r.next() * items.length)]!;
}
