/**
 * Time-ordered sample buffers with reads bounded by an instant: every read takes `asOf` and never sees a
 * sample stamped after it, so a forecast issued at t is computed from what was known at t even when later
 * samples (a backfill, a replay fed in bulk) are already in the buffer.
 */

export interface Sample {
  ts: number;
  value: number;
}

export class SampleSeries {
  private readonly ts: number[] = [];
  private readonly values: number[] = [];
  /** Running sums: cum[i] = values[0] + … + values[i] as added (kept across drops), so a window's sum is two lookups. */
  private readonly cum: number[] = [];

  get length(): number {
    return this.ts.length;
  }

  /** Adds a sample in time order (a late one is inserted in place; a repeat of a timestamp replaces it). */
  add(ts: number, value: number): void {
    if (!Number.isFinite(ts)) return;
    let i = this.ts.length;
    while (i > 0 && (this.ts[i - 1] as number) > ts) i--;
    if (i > 0 && this.ts[i - 1] === ts) {
      this.values[i - 1] = value;
      this.resum(i - 1);
      return;
    }
    this.ts.splice(i, 0, ts);
    this.values.splice(i, 0, value);
    this.cum.splice(i, 0, 0);
    this.resum(i);
  }

  /** Recomputes the running sums from index i (only the last one, for a sample added in order). */
  private resum(i: number): void {
    let s = i > 0 ? (this.cum[i - 1] as number) : 0;
    for (let k = i; k < this.values.length; k++) this.cum[k] = s += this.values[k] as number;
  }

  /**
   * Drops samples older than `ts`, in batches (at least 64, or an eighth of the series): a step drops a sample or
   * two, and moving every array for each would cost more than the reads. Reads are bounded by time, so the few
   * older samples left are never read where they should not be.
   */
  dropBefore(ts: number): void {
    const n = this.lastAtOrBefore(ts - 1) + 1;
    if (n < Math.max(64, this.ts.length >> 3) && n < this.ts.length) return;
    if (n > 0) {
      this.ts.splice(0, n);
      this.values.splice(0, n);
      this.cum.splice(0, n);
    }
  }

  /** Index of the last sample stamped at or before `t`, or −1. */
  private lastAtOrBefore(t: number): number {
    let lo = 0;
    let hi = this.ts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.ts[mid] as number) <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /**
   * The value at `t` as known at `asOf`: the latest sample at or before min(t, asOf), if it is at most
   * `maxAgeMs` older than t; otherwise undefined (a gap is a missing feature, not a stale one).
   */
  valueAt(t: number, asOf: number, maxAgeMs: number): number | undefined {
    const at = Math.min(t, asOf);
    const i = this.lastAtOrBefore(at);
    if (i < 0 || t - (this.ts[i] as number) > maxAgeMs) return undefined;
    return this.values[i];
  }

  /**
   * Sum of the values stamped in (from, to], to clipped at asOf: rain gauges report the millimetres since
   * their previous report, so a sample at ts covers the time before it.
   */
  sumIn(from: number, to: number, asOf: number): number {
    const end = this.lastAtOrBefore(Math.min(to, asOf));
    const before = this.lastAtOrBefore(from);
    if (end <= before) return 0;
    // The sum up to `before` (or up to just before the first sample kept).
    const base = before >= 0 ? (this.cum[before] as number) : (this.cum[0] as number) - (this.values[0] as number);
    return (this.cum[end] as number) - base;
  }

  /** Mean of the values stamped in (from, to], to clipped at asOf; undefined when there is none. */
  meanIn(from: number, to: number, asOf: number): number | undefined {
    const end = this.lastAtOrBefore(Math.min(to, asOf));
    let s = 0;
    let n = 0;
    for (let i = end; i >= 0 && (this.ts[i] as number) > from; i--, n++) s += this.values[i] as number;
    return n > 0 ? s / n : undefined;
  }

  /** The time of the newest sample at or before asOf, or undefined. */
  latestTs(asOf: number): number | undefined {
    const i = this.lastAtOrBefore(asOf);
    return i < 0 ? undefined : this.ts[i];
  }
}
