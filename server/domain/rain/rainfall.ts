/**
 * Rain accumulations and the Vietnamese rain categories (STANDARDS.md §3).
 *
 * A gauge reports the precipitation that fell since its previous report, so a sample at `ts` covers
 * (previous ts, ts]. A window "the last h hours" is therefore (now − h, now]: a sample stamped exactly
 * now − h fell before the window and is left out; one stamped now is in.
 */

export interface RainSample {
  ts: number;
  /** Millimetres since the previous report. */
  mm: number;
}

export interface RainAccumulations {
  h1: number;
  h3: number;
  h24: number;
  /**
   * True when the ring had to drop a sample that belongs to the 24 h window (the gauge reports faster than
   * the bound allows), so h24 is an under-count.
   */
  truncated24h: boolean;
}

const HOUR_MS = 3_600_000;

/**
 * Default bound of the ring: one report a minute for 24 hours (gauges report every 1–10 minutes, often on
 * change only). Faster gauges lose their oldest samples first and h24 says so via `truncated24h`.
 */
export const RAIN_RING_CAPACITY = 24 * 60;

// Sums of 0.1 mm tips accumulate binary noise (0.1 + 0.2); trim it so band edges compare as written.
const clean = (x: number): number => Number(x.toFixed(6));

function validSample(s: RainSample): boolean {
  return Number.isFinite(s.ts) && Number.isFinite(s.mm) && s.mm >= 0;
}

/** Accumulations over (now − 1 h, now], (now − 3 h, now], (now − 24 h, now] of any set of samples. */
export function rainAccumulations(samples: Iterable<RainSample>, now: number): Omit<RainAccumulations, 'truncated24h'> {
  let h1 = 0;
  let h3 = 0;
  let h24 = 0;
  for (const s of samples) {
    if (!validSample(s) || s.ts > now) continue;
    const age = now - s.ts;
    if (age < 24 * HOUR_MS) h24 += s.mm;
    if (age < 3 * HOUR_MS) h3 += s.mm;
    if (age < HOUR_MS) h1 += s.mm;
  }
  return { h1: clean(h1), h3: clean(h3), h24: clean(h24) };
}

/** Fixed-capacity ring of one gauge's samples in time order; the oldest is overwritten when full. */
export class RainRing {
  readonly capacity: number;
  private readonly buf: RainSample[] = [];
  private start = 0;
  private newestTs = -Infinity;
  private lastEvictedTs = -Infinity;

  constructor(capacity = RAIN_RING_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer`);
    this.capacity = capacity;
  }

  get size(): number {
    return this.buf.length;
  }

  /**
   * Adds a sample; false (and nothing stored) when it is invalid or not newer than the newest one. A
   * re-sent or late report cannot be placed without double counting or re-sorting, and the fleet sends each
   * gauge's reports (backfill included) in order.
   */
  push(sample: RainSample): boolean {
    if (!validSample(sample) || sample.ts <= this.newestTs) return false;
    const copy = { ts: sample.ts, mm: sample.mm };
    if (this.buf.length < this.capacity) {
      this.buf.push(copy);
    } else {
      this.lastEvictedTs = this.buf[this.start]!.ts;
      this.buf[this.start] = copy;
      this.start = (this.start + 1) % this.capacity;
    }
    this.newestTs = sample.ts;
    return true;
  }

  /** Samples oldest first (a copy). */
  samples(): RainSample[] {
    return [...this.buf.slice(this.start), ...this.buf.slice(0, this.start)].map((s) => ({ ...s }));
  }

  accumulations(now: number): RainAccumulations {
    return {
      ...rainAccumulations(this.buf, now),
      truncated24h: now - this.lastEvictedTs < 24 * HOUR_MS,
    };
  }
}

export type RainCategory = 'mưa vừa' | 'mưa to' | 'mưa rất to';

/**
 * Bands as written use whole millimetres (24 h: 16–50, 51–100, > 100; 12 h: 8–25, 26–50, > 50) while gauges
 * measure tenths. We treat them as contiguous: a band written "X–Y" covers (X − 1, Y], so 50.5 mm in 24 h is
 * mưa to and 15.5 mm is mưa vừa. Below the first band there is no category here (null).
 * Each entry: the category starts strictly above `above`.
 */
export const RAIN_BANDS_24H: readonly { category: RainCategory; above: number }[] = [
  { category: 'mưa rất to', above: 100 },
  { category: 'mưa to', above: 50 },
  { category: 'mưa vừa', above: 15 },
];

export const RAIN_BANDS_12H: readonly { category: RainCategory; above: number }[] = [
  { category: 'mưa rất to', above: 50 },
  { category: 'mưa to', above: 25 },
  { category: 'mưa vừa', above: 7 },
];

function categorize(bands: readonly { category: RainCategory; above: number }[], mm: number): RainCategory | null {
  if (!Number.isFinite(mm)) return null;
  const v = clean(mm);
  for (const b of bands) if (v > b.above) return b.category;
  return null;
}

/** Category of a 24-hour accumulation. */
export function rainCategory24h(mm: number): RainCategory | null {
  return categorize(RAIN_BANDS_24H, mm);
}

/** Category of a 12-hour accumulation. */
export function rainCategory12h(mm: number): RainCategory | null {
  return categorize(RAIN_BANDS_12H, mm);
}
