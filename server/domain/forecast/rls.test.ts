import { describe, expect, it } from 'vitest';
import { createRandom, gaussian, uniform } from '../../../shared/random';
import { createRls } from './rls';

const makeRls = (size: number, lambda = 1) => createRls({ size, lambda, delta: 1e4, maxVariance: 1e6 });

describe('recursive least squares', () => {
  it('recovers known coefficients from noisy pairs', () => {
    const truth = [0.3, -1.2, 0.8, 0.05];
    const r = createRandom(7);
    const rls = makeRls(truth.length);
    for (let i = 0; i < 2000; i++) {
      const x = [1, uniform(r, -1, 1), uniform(r, -1, 1), uniform(r, 0, 20)];
      const y = truth.reduce((s, c, j) => s + c * (x[j] as number), 0) + gaussian(r, 0, 0.05);
      rls.update(x, y);
    }
    rls.theta.forEach((v, j) => expect(v).toBeCloseTo(truth[j] as number, 2));
    expect(rls.updates).toBe(2000);
  });

  it('with forgetting, follows a coefficient that changes; without it, stays between the two', () => {
    const r = createRandom(11);
    const forgetting = makeRls(2, 0.98);
    const ordinary = makeRls(2, 1);
    for (let i = 0; i < 2000; i++) {
      const x = [1, uniform(r, -1, 1)];
      const slope = i < 1000 ? 1 : 2;
      const y = slope * (x[1] as number) + gaussian(r, 0, 0.01);
      forgetting.update(x, y);
      ordinary.update(x, y);
    }
    expect(Math.abs((forgetting.theta[1] as number) - 2)).toBeLessThan(0.03);
    expect(ordinary.theta[1]).toBeGreaterThan(1.3);
    expect(ordinary.theta[1]).toBeLessThan(1.7);
  });

  it('refuses a non-finite pair and keeps its coefficients', () => {
    const rls = makeRls(2);
    rls.update([1, 2], 5);
    const before = [...rls.theta];
    expect(rls.update([1, Number.NaN], 1)).toBe(false);
    expect(rls.update([1, 1], Number.POSITIVE_INFINITY)).toBe(false);
    expect(rls.theta).toEqual(before);
    expect(rls.updates).toBe(1);
  });

  it('a regressor that stays zero under forgetting does not wind P up past the ceiling', () => {
    const rls = createRls({ size: 2, lambda: 0.9, delta: 1, maxVariance: 100 });
    for (let i = 0; i < 500; i++) rls.update([1, 0], 1);
    // Then the dormant regressor wakes: without the ceiling P₁₁ ≈ 0.9^−500 and θ₁ would leap to ~1/x.
    rls.update([1, 1e-3], 1 + 1e-3 * 0.5);
    expect(Math.abs(rls.theta[1] as number)).toBeLessThan(5);
  });
});
