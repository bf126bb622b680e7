/**
 * A bounded ring of one station's readings, for its 24 h charts and the river's rate of rise.
 * Columns of numbers, allocated once (one per value name, on first sight): a full ring weighs
 * what an empty one does, so memory does not creep up as the rings fill (issue 7's memory run
 * filled them in minutes), and no object per reading is kept for the collector to walk.
 */
import type { SeriesPoint } from '../../../shared/environment';

/** 24 h of one-minute reports, with room for backfill that arrives beside live readings. */
export const HISTORY_CAP = 1600;
/** Value names per station: the contract's schemas have at most 8; anything past this is not kept. */
export const HISTORY_MAX_KEYS = 16;

export class StationHistory {
  private readonly ts: Float64Array;
  private readonly columns = new Map<string, Float64Array>();
  private next = 0;
  private n = 0;

  constructor(readonly capacity = HISTORY_CAP) {
    this.ts = new Float64Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  push(ts: number, values: Record<string, number>): void {
    const at = this.next;
    this.ts[at] = ts;
    for (const col of this.columns.values()) col[at] = NaN;
    for (const name in values) {
      let col = this.columns.get(name);
      if (col === undefined) {
        if (this.columns.size >= HISTORY_MAX_KEYS) continue;
        col = new Float64Array(this.capacity).fill(NaN);
        this.columns.set(name, col);
      }
      col[at] = values[name]!;
    }
    this.next = (at + 1) % this.capacity;
    if (this.n < this.capacity) this.n++;
  }

  /** The value names seen in the ring. */
  keys(): string[] {
    const out: string[] = [];
    for (const [name, col] of this.columns) {
      for (let k = 0; k < this.n; k++) {
        if (!Number.isNaN(col[k])) {
          out.push(name);
          break;
        }
      }
    }
    return out;
  }

  /** Points of `key` with ts in [from, to], in time order (backfill may have arrived late). */
  series(key: string, from: number, to = Infinity): SeriesPoint[] {
    const out: SeriesPoint[] = [];
    const col = this.columns.get(key);
    if (col === undefined) return out;
    for (let k = 0; k < this.n; k++) {
      const t = this.ts[k]!;
      const v = col[k]!;
      if (t >= from && t <= to && !Number.isNaN(v)) out.push([t, v]);
    }
    return out.sort((a, b) => a[0] - b[0]);
  }

  /** The newest point of `key` with ts in [from, to] (one pass, no copy), or undefined. */
  latest(key: string, from: number, to = Infinity): SeriesPoint | undefined {
    const col = this.columns.get(key);
    if (col === undefined) return undefined;
    let best: SeriesPoint | undefined;
    for (let k = 0; k < this.n; k++) {
      const t = this.ts[k]!;
      const v = col[k]!;
      if (t >= from && t <= to && !Number.isNaN(v) && (best === undefined || t >= best[0])) best = [t, v];
    }
    return best;
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
