import { describe, expect, it } from 'vitest';
import { muskingumCoefficients, muskingumKernel, muskingumRoute } from './routing';

const DT = 0.25;
/** A flood pulse: base flow 2, a triangle rising to 12 over 3 h and falling over 6 h, starting at hour 5. */
function pulse(hours: number): number[] {
  return Array.from({ length: hours / DT }, (_, n) => {
    const h = n * DT - 5;
    return 2 + (h < 0 ? 0 : h < 3 ? (10 * h) / 3 : h < 9 ? 10 * (1 - (h - 3) / 6) : 0);
  });
}
const argmax = (xs: readonly number[]) => xs.reduce((best, v, i) => (v > (xs[best] ?? -Infinity) ? i : best), 0);
const centroidH = (xs: readonly number[], base: number) => {
  let m = 0;
  let w = 0;
  xs.forEach((v, i) => {
    m += (v - base) * i * DT;
    w += v - base;
  });
  return m / w;
};

describe('muskingum', () => {
  it('has coefficients that sum to one and are not negative, splitting a long reach on a short step', () => {
    for (const kH of [1, 2, 6, 10.5]) {
      const c = muskingumCoefficients({ kH, x: 0.2 }, DT);
      expect(c.c0 + c.c1 + c.c2).toBeCloseTo(1, 12);
      expect(Math.min(c.c0, c.c1, c.c2)).toBeGreaterThanOrEqual(-1e-12);
    }
    expect(muskingumCoefficients({ kH: 10.5, x: 0.2 }, DT).subReaches).toBe(17);
    expect(muskingumCoefficients({ kH: 2, x: 0 }, DT).subReaches).toBe(1);
  });

  it('conserves volume over a long run: what flows in flows out', () => {
    const inflow = pulse(120);
    const out = muskingumRoute(inflow, { kH: 7.5, x: 0.2 }, DT);
    const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
    expect(Math.abs(sum(out) - sum(inflow)) / sum(inflow)).toBeLessThan(1e-4);
    // The pulse's own volume (above the base flow), not only the base flow's.
    expect(Math.abs(sum(out.map((v) => v - 2)) - sum(inflow.map((v) => v - 2)))).toBeLessThan(0.05);
  });

  it.each([2, 6, 10.5])('attenuates a pulse and lags it by about K = %s h', (kH) => {
    const inflow = pulse(120);
    const out = muskingumRoute(inflow, { kH, x: 0.2 }, DT);
    expect(Math.max(...out)).toBeLessThan(Math.max(...inflow));
    expect(Math.max(...out)).toBeGreaterThan(2);
    // The centroid moves by K exactly (in steps of Δt); the peak by about K.
    expect(centroidH(out, 2) - centroidH(inflow, 2)).toBeCloseTo(kH, 1);
    const peakLagH = (argmax(out) - argmax(inflow)) * DT;
    expect(peakLagH).toBeGreaterThan(0.6 * kH);
    expect(peakLagH).toBeLessThan(1.3 * kH);
  });

  it('gives the same outflow by recursion and by convolution with its unit response', () => {
    const inflow = pulse(96).map((v) => v - 2);
    const reach = { kH: 6, x: 0.2 };
    const out = muskingumRoute([0, ...inflow], reach, DT).slice(1);
    const kernel = muskingumKernel(reach, DT, 1e-9);
    expect(kernel.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const conv = inflow.map((_, n) => kernel.reduce((s, k, j) => s + k * (inflow[n - j] ?? 0), 0));
    conv.forEach((v, n) => expect(v).toBeCloseTo(out[n]!, 4));
  });

  it('is deterministic: the same input gives the same output', () => {
    const a = muskingumRoute(pulse(48), { kH: 5, x: 0.25 }, DT);
    const b = muskingumRoute(pulse(48), { kH: 5, x: 0.25 }, DT);
    expect(a).toEqual(b);
  });
});
