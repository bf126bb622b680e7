import { describe, expect, it } from 'vitest';
import { quantile, ResidualWindow } from './interval';

describe('residual intervals', () => {
  it('quantiles interpolate between order statistics (type 7)', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.05)).toBeCloseTo(1.15, 12);
    expect(quantile([1, 2, 3, 4], 1)).toBe(4);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('keeps the last N residuals: the oldest falls out first; non-finite ones are not kept', () => {
    const w = new ResidualWindow(3);
    for (const r of [100, 1, Number.NaN, 2, 3]) w.push(r);
    expect(w.size).toBe(3);
    expect(w.bounds(1)).toEqual({ lower: 1, upper: 3 });
  });

  it('a skewed residual set gives an asymmetric interval', () => {
    const w = new ResidualWindow(100);
    for (let i = 0; i < 100; i++) w.push(i < 90 ? -0.01 : 0.5);
    const b = w.bounds(0.9); // 5 % and 95 % quantiles
    expect(b?.lower).toBeCloseTo(-0.01, 12);
    expect(b?.upper).toBeCloseTo(0.5, 12);
  });
});
