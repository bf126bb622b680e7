/** A bounded ring of one station's readings, for its 24 h charts and the river's rate of rise. */
import type { SeriesPoint } from '../../../shared/environment';

/** 24 h of one-minute reports, with room for backfill that arrives beside live readings. */
export const HISTORY_CAP = 1600;

export class StationHistory {
  private readonly ts: Float64Array;
  private readonly vals: (Record<string, number> | undefined)[];
  private next = 0;
  private n = 0;

  constructor(readonly capacity = HISTORY_CAP) {
    this.ts = new Float64Array(capacity);
    this.vals = new Array<Record<string, number> | undefined>(capacity);
  }

  get size(): number {
    return this.n;
  }

  push(ts: number, values: Record<string, number>): void {
    this.ts[this.next] = ts;
    this.vals[this.next] = values;
    this.next = (this.next + 1) % this.capacity;
    if (this.n < this.capacity) this.n++;
  }

  /** The value names seen in the ring. */
  keys(): string[] {
    const out = new Set<string>();
    for (let k = 0; k < this.n; k++) for (const name in this.vals[k]) out.add(name);
    return [...out];
  }

  /** Points of `key` with ts in [from, to], in time order (backfill may have arrived late). */
  series(key: string, from: number, to = Infinity): SeriesPoint[] {
    const out: SeriesPoint[] = [];
    for (let k = 0; k < this.n; k++) {
      const t = this.ts[k]!;
      const v = this.vals[k]?.[key];
      if (t >= from && t <= to && typeof v === 'number') out.push([t, v]);
    }
    return out.sort((a, b) => a[0] - b[0]);
  }

  /** Means per bucket of `bucketMs` (for compact charts). */
  downsample(key: string, from: number, to: number, bucketMs: number): SeriesPoint[] {
    const sums = new Map<number, [number, number]>();
    for (const [t, v] of this.series(key, from, to)) {
      const b = Math.floor(t / bucketMs) * bucketMs;
      const s = sums.get(b);
      if (s) {
        s[0] += v;
        s[1]++;
      } else {
        sums.set(b, [v, 1]);
      }
    }
    return [...sums.entries()].sort((a, b) => a[0] - b[0]).map(([b, [s, n]]) => [b, Math.round((s / n) * 1000) / 1000]);
  }
}
