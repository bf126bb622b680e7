import { describe, expect, it } from 'vitest';
import { createRandom, uniform } from '../../../shared/random';
import { SampleSeries } from './series';

describe('SampleSeries', () => {
  it('sums a window as a loop over its samples would, through late samples, repeats and drops', () => {
    const r = createRandom(3);
    const s = new SampleSeries();
    const ref = new Map<number, number>();
    const brute = (from: number, to: number, asOf: number) => {
      let sum = 0;
      for (const [t, v] of ref) if (t > from && t <= Math.min(to, asOf)) sum += v;
      return sum;
    };
    for (let k = 0; k < 3000; k++) {
      // Mostly in order, some late, some repeating a time already there.
      const t = k % 7 === 0 ? Math.floor(uniform(r, 0, k)) * 10 : k * 10;
      const v = Math.round(uniform(r, 0, 5) * 10) / 10;
      s.add(t, v);
      ref.set(t, v);
      if (k % 500 === 499) {
        const cut = (k - 300) * 10;
        s.dropBefore(cut);
        for (const t0 of [...ref.keys()]) if (t0 < cut) ref.delete(t0);
      }
      if (k % 50 === 0) {
        const from = Math.floor(uniform(r, 0, k * 10));
        const to = from + Math.floor(uniform(r, 0, 2000));
        expect(s.sumIn(from, to, to - 30)).toBeCloseTo(brute(from, to, to - 30), 6);
      }
    }
    expect(s.length).toBe(ref.size);
  });
});
