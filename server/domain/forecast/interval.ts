/**
 * Prediction intervals from the residuals (observed − forecast) of the last N verified forecasts of one lead
 * time: empirical quantiles, no normality assumed. Flood residuals are skewed (a model lags the rise), so
 * ±z·σ would be too wide on one side and too narrow on the other.
 */

export class ResidualWindow {
  private readonly ring: number[] = [];
  /** The same residuals in order, kept as they come and go (an interval is asked for at every issue). */
  private readonly sorted: number[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {
    if (!(capacity > 0)) throw new Error('ResidualWindow: capacity must be positive');
  }

  get size(): number {
    return this.ring.length;
  }

  push(residual: number): void {
    if (!Number.isFinite(residual)) return;
    if (this.ring.length < this.capacity) this.ring.push(residual);
    else {
      this.sorted.splice(lowerBound(this.sorted, this.ring[this.next] as number), 1);
      this.ring[this.next] = residual;
      this.next = (this.next + 1) % this.capacity;
    }
    this.sorted.splice(lowerBound(this.sorted, residual), 0, residual);
  }

  /** The central interval of the residuals holding `coverage` of them: [lower, upper] offsets. */
  bounds(coverage: number): { lower: number; upper: number } | undefined {
    if (this.ring.length === 0) return undefined;
    const tail = (1 - coverage) / 2;
    return { lower: quantile(this.sorted, tail), upper: quantile(this.sorted, 1 - tail) };
  }
}

/** The first index of `sorted` whose value is not below `x`. */
function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Quantile of sorted values, linear between order statistics (Hyndman & Fan type 7, R's default). */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}
