/**
 * Prediction intervals from the residuals (observed − forecast) of the last N verified forecasts of one lead
 * time: empirical quantiles, no normality assumed. Flood residuals are skewed (a model lags the rise), so
 * ±z·σ would be too wide on one side and too narrow on the other.
 */

export class ResidualWindow {
  private readonly ring: number[] = [];
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
      this.ring[this.next] = residual;
      this.next = (this.next + 1) % this.capacity;
    }
  }

  /** The central interval of the residuals holding `coverage` of them: [lower, upper] offsets. */
  bounds(coverage: number): { lower: number; upper: number } | undefined {
    if (this.ring.length === 0) return undefined;
    const sorted = [...this.ring].sort((a, b) => a - b);
    const tail = (1 - coverage) / 2;
    return { lower: quantile(sorted, tail), upper: quantile(sorted, 1 - tail) };
  }
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
