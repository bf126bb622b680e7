/**
 * One river gauge's hydrograph: 10-minute means over the last 24 hours, as the server's snapshot
 * sends them, continued from the live levels in the device patches. Bounded twice over: by time
 * (nothing older than 24 h before the newest point) and by count (a full day of buckets plus one).
 */
import { HYDRO_BUCKET_MS, HYDRO_WINDOW_MS, type SeriesPoint } from '../../shared/environment';

export { HYDRO_BUCKET_MS, HYDRO_WINDOW_MS };
export const HYDRO_MAX_POINTS = HYDRO_WINDOW_MS / HYDRO_BUCKET_MS + 1;

export class HydroSeries {
  /** Bumped on every change: a chart redraws only the gauges whose rev moved. */
  rev = 0;
  private ts: number[] = [];
  private mean: number[] = [];
  /** Readings behind the newest bucket's mean (the snapshot's buckets count as one). */
  private lastCount = 0;

  get size(): number {
    return this.ts.length;
  }

  /** Replaces the series with a snapshot's points (oldest first). */
  reset(points: readonly SeriesPoint[]): void {
    this.ts = [];
    this.mean = [];
    this.lastCount = 0;
    this.rev++;
    for (const [t, v] of points) {
      if (!Number.isFinite(t) || !Number.isFinite(v)) continue;
      const b = bucketOf(t);
      if (this.ts.length > 0 && b <= this.ts[this.ts.length - 1]!) continue;
      this.ts.push(b);
      this.mean.push(v);
      this.lastCount = 1;
    }
    this.trim();
  }

  /**
   * Adds a live level. A reading in the newest bucket updates its mean, a newer one opens a bucket,
   * an older one is ignored (the snapshot already holds it). Returns whether the series changed.
   */
  add(ts: number, level: number): boolean {
    if (!Number.isFinite(ts) || !Number.isFinite(level)) return false;
    const b = bucketOf(ts);
    const n = this.ts.length;
    const last = n > 0 ? this.ts[n - 1]! : -Infinity;
    if (b < last) return false;
    if (b === last) {
      const prev = this.mean[n - 1]!;
      const next = (prev * this.lastCount + level) / (this.lastCount + 1);
      this.lastCount += 1;
      this.mean[n - 1] = next;
      if (next === prev) return false;
      this.rev++;
      return true;
    }
    this.ts.push(b);
    this.mean.push(level);
    this.lastCount = 1;
    this.trim();
    this.rev++;
    return true;
  }

  /** Oldest first, ready for a time axis (a new array each call). */
  points(): SeriesPoint[] {
    return this.ts.map((t, k) => [t, this.mean[k]!]);
  }

  latest(): SeriesPoint | null {
    const n = this.ts.length;
    return n === 0 ? null : [this.ts[n - 1]!, this.mean[n - 1]!];
  }

  private trim(): void {
    const n = this.ts.length;
    if (n === 0) return;
    const cutoff = this.ts[n - 1]! - HYDRO_WINDOW_MS;
    let drop = 0;
    while (drop < n && (this.ts[drop]! < cutoff || n - drop > HYDRO_MAX_POINTS)) drop++;
    if (drop > 0) {
      this.ts.splice(0, drop);
      this.mean.splice(0, drop);
    }
  }
}

function bucketOf(ts: number): number {
  return Math.floor(ts / HYDRO_BUCKET_MS) * HYDRO_BUCKET_MS;
}
