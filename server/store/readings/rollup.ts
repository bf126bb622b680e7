/**
 * Rollup accumulation in memory for one batch (the SQLite engine; PostgreSQL groups in SQL). Only rows the raw
 * insert actually wrote are added, so a duplicate never counts twice in a mean or a rain total.
 */
import { floorTo } from './common';

export interface RollupAgg {
  bucket: number;
  sensor: number;
  metric: number;
  n: number;
  vsum: number;
  vmin: number;
  vmax: number;
  firstTs: number;
  lastTs: number;
  /** Value at lastTs: what a snapshot at the end of this bucket shows. */
  last: number;
}

export class RollupBatch {
  private readonly aggs = new Map<string, RollupAgg>();
  constructor(readonly bucketMs: number) {}

  add(sensor: number, metric: number, ts: number, value: number): void {
    const bucket = floorTo(ts, this.bucketMs);
    const key = `${bucket}:${sensor}:${metric}`;
    const a = this.aggs.get(key);
    if (a === undefined) {
      this.aggs.set(key, {
        bucket,
        sensor,
        metric,
        n: 1,
        vsum: value,
        vmin: value,
        vmax: value,
        firstTs: ts,
        lastTs: ts,
        last: value,
      });
      return;
    }
    a.n += 1;
    a.vsum += value;
    if (value < a.vmin) a.vmin = value;
    if (value > a.vmax) a.vmax = value;
    if (ts < a.firstTs) a.firstTs = ts;
    if (ts > a.lastTs) {
      a.lastTs = ts;
      a.last = value;
    }
  }

  values(): IterableIterator<RollupAgg> {
    return this.aggs.values();
  }
}
