/**
 * The y-axis top of the rate chart. A start-up backfill can push thousands of messages a second
 * for a few seconds while the live feed runs at tens: scaled to the burst, the live line would be
 * flat for the next ten minutes. When a few samples tower over the rest, the axis is fitted to
 * the bulk and the burst is clipped (and reported as a peak beside the chart).
 */
export function robustAxisMax(values: readonly number[]): number | null {
  if (values.length < 10) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const max = sorted[sorted.length - 1]!;
  // The upper quartile stands for the ordinary rate even when a burst fills a fifth of the window.
  const p75 = Math.max(sorted[Math.floor(0.75 * (sorted.length - 1))]!, 1);
  if (max <= p75 * 8) return null;
  return niceCeil(p75 * 2.5);
}

/** 1, 2, 2.5, 5 × 10^n at or above x. */
export function niceCeil(x: number): number {
  if (x <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}
