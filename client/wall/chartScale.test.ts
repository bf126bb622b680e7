import { describe, expect, it } from 'vitest';
import { niceCeil, robustAxisMax } from './chartScale';

describe('robustAxisMax', () => {
  it('leaves the axis alone for an ordinary series', () => {
    expect(robustAxisMax(Array.from({ length: 300 }, (_, k) => 30 + (k % 7)))).toBeNull();
    expect(robustAxisMax([1, 2, 3])).toBeNull();
  });

  it('fits the axis to the bulk when a short burst towers over it', () => {
    const values = Array.from({ length: 300 }, (_, k) => 30 + (k % 7));
    values[10] = 5500;
    values[11] = 5200;
    const top = robustAxisMax(values);
    expect(top).not.toBeNull();
    expect(top!).toBeGreaterThanOrEqual(36);
    expect(top!).toBeLessThan(200);
  });

  it('still sees the bulk when the burst fills a tenth of a short window', () => {
    const values = Array.from({ length: 50 }, (_, k) => (k < 6 ? 5000 + k : 35 + (k % 5)));
    const top = robustAxisMax(values);
    expect(top).not.toBeNull();
    expect(top!).toBeLessThan(200);
  });

  it('keeps the whole series when the rate simply doubled', () => {
    expect(robustAxisMax(Array.from({ length: 100 }, (_, k) => (k < 50 ? 30 : 60)))).toBeNull();
  });
});

describe('niceCeil', () => {
  it('rounds up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceCeil(57.6)).toBe(100);
    expect(niceCeil(41)).toBe(50);
    expect(niceCeil(21)).toBe(25);
    expect(niceCeil(0.3)).toBe(0.5);
    expect(niceCeil(0)).toBe(1);
  });
});
