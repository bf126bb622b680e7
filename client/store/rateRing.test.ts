import { describe, expect, it } from 'vitest';
import { RateRing } from './rateRing';

describe('RateRing', () => {
  it('defaults to ten minutes of one-second samples', () => {
    expect(new RateRing().capacity).toBe(600);
  });

  it('never holds more than its capacity, keeping the newest samples in order', () => {
    const ring = new RateRing(600);
    for (let s = 0; s < 2000; s++) ring.push(s, s * 2);
    expect(ring.size).toBe(600);
    const pts = ring.toPoints();
    expect(pts).toHaveLength(600);
    expect(pts[0]).toEqual([1400_000, 2800]);
    expect(pts[599]).toEqual([1999_000, 3998]);
    for (let k = 1; k < pts.length; k++) expect(pts[k]![0]).toBeGreaterThan(pts[k - 1]![0]);
  });

  it('replaces a repeated second and ignores older ones', () => {
    const ring = new RateRing(4);
    expect(ring.push(10, 1)).toBe(true);
    expect(ring.push(10, 1)).toBe(false);
    expect(ring.push(10, 5)).toBe(true);
    expect(ring.push(9, 7)).toBe(false);
    expect(ring.toPoints()).toEqual([[10_000, 5]]);
  });

  it('pushAll of a long history keeps only the tail', () => {
    const ring = new RateRing(3);
    ring.pushAll([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
      [5, 5],
    ]);
    expect(ring.toPoints()).toEqual([
      [3000, 3],
      [4000, 4],
      [5000, 5],
    ]);
  });

  it('rejects a nonsensical capacity', () => {
    expect(() => new RateRing(0)).toThrow();
  });
});

describe('withGaps', () => {
  it('breaks the line after a silence longer than two seconds and nowhere else', async () => {
    const { withGaps } = await import('./rateRing');
    expect(
      withGaps([
        [1_000, 5],
        [2_000, 6],
        [4_000, 7],
        [40_000, 8],
      ]),
    ).toEqual([
      [1_000, 5],
      [2_000, 6],
      [4_000, 7],
      [5_000, null],
      [40_000, 8],
    ]);
    expect(withGaps([])).toEqual([]);
  });
});
