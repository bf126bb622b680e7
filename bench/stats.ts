/**
 * Pure helpers of the benchmark: percentiles, run summaries, slopes, the "sustained" decision
 * and the latency join. No I/O, no clocks: the parts pass samples in.
 */

/** Nearest-rank percentile (p in [0, 100]) of unsorted values; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((Math.min(100, Math.max(0, p)) / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)]!;
}

/** Median, min and max of the runs of one figure, and how many runs it has. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/** Median of an even count is the mean of the two middle values. NaN (no figure) is left out; Infinity is kept. */
export function summarize(values: readonly number[]): Summary {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return { median: NaN, min: NaN, max: NaN, runs: 0 };
  const mid = v.length >> 1;
  const median = v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
  return { median, min: v[0]!, max: v.at(-1)!, runs: v.length };
}

/** Least-squares slope of y over x (units of y per unit of x); 0 with fewer than two points. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return 0;
  let sx = 0;
  let sy = 0;
  for (let k = 0; k < n; k++) {
    sx += xs[k]!;
    sy += ys[k]!;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (let k = 0; k < n; k++) {
    const dx = xs[k]! - mx;
    num += dx * (ys[k]! - my);
    den += dx * dx;
  }
  return den === 0 ? 0 : num / den;
}

/** A latency histogram with 1 ms buckets up to `maxMs` and one overflow bucket: bounded memory. */
export class Histogram {
  private readonly counts: Uint32Array;
  private n = 0;
  private overflow = 0;
  private maxSeen = -Infinity;

  constructor(readonly maxMs = 60_000) {
    this.counts = new Uint32Array(maxMs + 1);
  }

  add(ms: number): void {
    const b = Math.max(0, Math.round(ms));
    if (b > this.maxMs) this.overflow++;
    else this.counts[b]!++;
    this.n++;
    if (ms > this.maxSeen) this.maxSeen = ms;
  }

  get count(): number {
    return this.n;
  }

  get max(): number {
    return this.n === 0 ? NaN : this.maxSeen;
  }

  /** Nearest rank, like `percentile`; Infinity when the rank falls in the overflow bucket. */
  percentile(p: number): number {
    if (this.n === 0) return NaN;
    const rank = Math.max(1, Math.ceil((Math.min(100, Math.max(0, p)) / 100) * this.n));
    let seen = 0;
    for (let b = 0; b <= this.maxMs; b++) {
      seen += this.counts[b]!;
      if (seen >= rank) return b;
    }
    return Infinity;
  }
}

/** One sample of a load step, taken about once a second. */
export interface LoadSample {
  /** Seconds since the step started. */
  t: number;
  /** Messages the publisher has sent since the step started. */
  published: number;
  /**
   * When the publisher counted `published`, seconds since the step started on its own clock: its count arrives
   * every 250 ms, so at `t` it is up to 250 ms old. The achieved rate is taken over these instants when given.
   */
  publishedT?: number;
  /** Messages the consumer (bare subscriber or server) has taken since the step started. */
  consumed: number;
  /** Resident memory of the consumer process, bytes. */
  rss: number;
}

export interface SustainOptions {
  /** Seconds at the start of the step left out (connections warming up, JIT). */
  warmupSec: number;
  /** The publisher must reach this fraction of the target, else the step says nothing about the consumer. */
  minAchieved: number;
  /** The consumer must take at least this fraction of what was published over the window. */
  minConsumed: number;
  /** The backlog (published - consumed) may grow by at most this fraction of the rate per second. */
  maxBacklogGrowth: number;
  /** ... and be at most this many seconds of traffic at the end. */
  maxBacklogSec: number;
  /** Consumer RSS may grow at most this fast (MB/min) over the window... */
  maxRssSlopeMBPerMin: number;
  /** ...judged only over windows at least this long: a short one sees the heap warming up. */
  rssMinWindowSec: number;
}

export const DEFAULT_SUSTAIN: SustainOptions = {
  warmupSec: 2,
  minAchieved: 0.95,
  minConsumed: 0.97,
  maxBacklogGrowth: 0.02,
  maxBacklogSec: 1,
  maxRssSlopeMBPerMin: 60,
  rssMinWindowSec: 20,
};

export interface SustainVerdict {
  sustained: boolean;
  /** True when the publisher, not the consumer, failed to reach the target. */
  publisherLimited: boolean;
  achievedRate: number;
  consumedRate: number;
  /** Messages per second by which the backlog grew (least squares over the window). */
  backlogSlope: number;
  /** Backlog at the last sample, messages. */
  backlogEnd: number;
  rssSlopeMBPerMin: number;
  reasons: string[];
}

const MB = 1024 * 1024;

/**
 * Whether a consumer kept up with `target` msg/s over the samples: the publisher reached the
 * rate, the consumer took what was published, the backlog did not grow and memory did not climb.
 */
export function judgeSustained(samples: readonly LoadSample[], target: number, opts: SustainOptions = DEFAULT_SUSTAIN): SustainVerdict {
  const w = samples.filter((s) => s.t >= opts.warmupSec);
  const reasons: string[] = [];
  if (w.length < 3) {
    return { sustained: false, publisherLimited: false, achievedRate: NaN, consumedRate: NaN, backlogSlope: NaN, backlogEnd: NaN, rssSlopeMBPerMin: NaN, reasons: ['fewer than 3 samples in the window'] };
  }
  const first = w[0]!;
  const last = w.at(-1)!;
  const dt = last.t - first.t;
  // Over the publisher's own instants: a count 250 ms older at the end than at the start made a publisher that
  // sent every message look 6 % short over a 4 s window (2026-12-08: every "publisher short" ingest step, 0 skipped).
  const pubDt = first.publishedT !== undefined && last.publishedT !== undefined ? last.publishedT - first.publishedT : dt;
  const achievedRate = (last.published - first.published) / (pubDt > 0 ? pubDt : dt);
  const consumedRate = (last.consumed - first.consumed) / dt;
  const ts = w.map((s) => s.t);
  const backlogSlope = slope(ts, w.map((s) => s.published - s.consumed));
  const backlogEnd = last.published - last.consumed;
  const rssSlopeMBPerMin = (slope(ts, w.map((s) => s.rss)) / MB) * 60;

  const publisherLimited = achievedRate < opts.minAchieved * target;
  if (publisherLimited) reasons.push(`publisher reached ${Math.round(achievedRate)} of ${target} msg/s`);
  if (consumedRate < opts.minConsumed * achievedRate) {
    reasons.push(`consumed ${Math.round(consumedRate)} of ${Math.round(achievedRate)} msg/s published`);
  }
  if (backlogSlope > opts.maxBacklogGrowth * Math.max(target, 1)) reasons.push(`backlog grew ${Math.round(backlogSlope)} msg/s`);
  if (backlogEnd > opts.maxBacklogSec * Math.max(target, 1)) reasons.push(`backlog ${Math.round(backlogEnd)} msgs at the end`);
  if (dt >= opts.rssMinWindowSec && rssSlopeMBPerMin > opts.maxRssSlopeMBPerMin) reasons.push(`RSS grew ${rssSlopeMBPerMin.toFixed(0)} MB/min`);
  return { sustained: reasons.length === 0, publisherLimited, achievedRate, consumedRate, backlogSlope, backlogEnd, rssSlopeMBPerMin, reasons };
}

/**
 * The next rate to try while searching for the highest sustained one: grow by `up` until a step
 * fails, shrink by `down` until one passes, then bisect (geometric mean) until the bounds are
 * within `resolution`. Returns null when the search is done; `lo` is then the answer (0: none).
 */
export interface RateSearch {
  lo: number;
  hi: number | null;
  next: number | null;
}

export function nextRate(s: RateSearch, tried: number, passed: boolean, up = 1.2, down = 0.8, resolution = 1.1, floor = 500): RateSearch {
  const lo = passed ? Math.max(s.lo, tried) : s.lo;
  const hi = passed ? s.hi : s.hi === null ? tried : Math.min(s.hi, tried);
  let next: number | null;
  if (hi === null) next = tried * up;
  else if (lo === 0) next = tried * down >= floor ? tried * down : null;
  else next = hi / lo > resolution ? Math.sqrt(lo * hi) : null;
  return { lo, hi, next: next === null ? null : roundRate(next) };
}

/** Rates are rounded to 2 significant digits (for readable tables). */
export function roundRate(r: number): number {
  if (r <= 0) return 0;
  const mag = 10 ** Math.max(0, Math.floor(Math.log10(r)) - 1);
  return Math.round(r / mag) * mag;
}

/**
 * Publish-to-client latency: for each published reading (device, ts), the first delta that
 * holds that device at that ts or newer, received at `recv`. Per device, published ts ascend
 * and so do received patches. Readings never delivered are counted, not guessed.
 */
export function joinLatencies(
  published: ReadonlyMap<number, readonly number[]>,
  received: ReadonlyMap<number, readonly (readonly [ts: number, recv: number])[]>,
  into: Histogram,
): { matched: number; undelivered: number } {
  let matched = 0;
  let undelivered = 0;
  for (const [dev, tss] of published) {
    const got = received.get(dev) ?? [];
    let k = 0;
    for (const ts of tss) {
      while (k < got.length && got[k]![0] < ts) k++;
      if (k === got.length) {
        undelivered++;
        continue;
      }
      into.add(got[k]![1] - ts);
      matched++;
    }
  }
  return { matched, undelivered };
}

/** CPU time (utime + stime, in clock ticks) from the text of /proc/<pid>/stat. */
export function cpuTicksFromStat(stat: string): number {
  // The command name may hold spaces and parentheses: fields are counted after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); utime and stime are fields 14 and 15.
  return Number(rest[11]) + Number(rest[12]);
}

/** Busy share of one core, in percent, between two readings of CPU ticks. */
export function cpuPercent(ticksBefore: number, ticksAfter: number, seconds: number, ticksPerSec = 100): number {
  if (seconds <= 0) return NaN;
  return ((ticksAfter - ticksBefore) / ticksPerSec / seconds) * 100;
}
