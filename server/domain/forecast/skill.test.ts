import { describe, expect, it } from 'vitest';
import { bias, mae, nse, persistenceIndex, rmse, skill, tt42, TT42_DEFAULT, type ForecastRecord } from './skill';

/** Base 1.0 m; observed changes 0.2, −0.1, 0.5, 0.0, 0.4; forecast changes 0.25, 0.1, 0.3, 0.05, 0.45. */
function workedExample(): ForecastRecord[] {
  const obs = [0.2, -0.1, 0.5, 0.0, 0.4];
  const fc = [0.25, 0.1, 0.3, 0.05, 0.45];
  return obs.map((d, i) => ({ base: 1, observed: 1 + d, forecast: 1 + (fc[i] as number) }));
}

describe('skill scores', () => {
  it('RMSE, MAE, bias, NSE and PI on the worked example, by hand', () => {
    const rs = workedExample();
    // errors 0.05, 0.2, −0.2, 0.05, 0.05: SSE 0.0875
    expect(rmse(rs)).toBeCloseTo(Math.sqrt(0.0875 / 5), 10);
    expect(mae(rs)).toBeCloseTo(0.11, 10);
    expect(bias(rs)).toBeCloseTo(0.03, 10);
    // Σ(obs − 1.2)² = 0.26;  Σ(obs − base)² = 0.46
    expect(nse(rs)).toBeCloseTo(1 - 0.0875 / 0.26, 10);
    expect(persistenceIndex(rs)).toBeCloseTo(1 - 0.0875 / 0.46, 10);
  });

  it('persistence itself scores PI = 0; a perfect forecast scores NSE = PI = 1 and no error', () => {
    const rs = workedExample();
    expect(persistenceIndex(rs.map((r) => ({ ...r, forecast: r.base })))).toBe(0);
    const perfect = skill(rs.map((r) => ({ ...r, forecast: r.observed })));
    expect(perfect.nse).toBe(1);
    expect(perfect.persistenceIndex).toBe(1);
    expect(perfect.rmse).toBe(0);
    expect(perfect.tt42?.shareWithin).toBe(1);
    expect(perfect.tt42?.rating).toBe('good');
  });

  it('Circular 42 on the worked example: σΔ, S = 0.674·σΔ, 3 of 5 within S, S_method/σΔ ≈ 0.58 passes', () => {
    const s = tt42(workedExample());
    // Δ mean 0.2, Σ(Δ − 0.2)² = 0.26, σΔ = √(0.26/4)
    const sigma = Math.sqrt(0.26 / 4);
    expect(s?.sigmaDelta).toBeCloseTo(sigma, 10);
    expect(s?.allowable).toBeCloseTo(0.674 * sigma, 10); // 0.1718: |0.2| misses twice
    expect(s?.shareWithin).toBeCloseTo(3 / 5, 10);
    expect(s?.ratio).toBeCloseTo(Math.sqrt(0.0875 / 4) / sigma, 10); // 0.5801
    expect(s?.rating).toBe('passes');
    expect(s?.verified).toBe(false);
  });

  it('σΔ from a long record, when given, sets S instead of the evaluation period', () => {
    const s = tt42(workedExample(), TT42_DEFAULT, 0.05);
    expect(s?.sigmaFrom).toBe('given');
    expect(s?.allowable).toBeCloseTo(0.0337, 12); // below even the 0.05 errors
    expect(s?.shareWithin).toBe(0);
    expect(s?.ratio).toBeCloseTo(Math.sqrt(0.0875 / 4) / 0.05, 10); // 2.96: fails
    expect(s?.rating).toBe('fails');
    expect(tt42(workedExample())?.sigmaFrom).toBe('evaluation-period');
  });

  it('rating bands come from configuration', () => {
    const strict = { ...TT42_DEFAULT, ratioBands: { good: 0.2, passes: 0.3, passesWeakly: 0.5 } };
    expect(tt42(workedExample(), strict)?.rating).toBe('fails');
  });

  it('undefined scores are null, not NaN: no records, a flat river, non-finite records left out', () => {
    expect(skill([])).toEqual({ n: 0, rmse: null, mae: null, bias: null, nse: null, persistenceIndex: null, tt42: null });
    const flat = [1, 2, 3].map(() => ({ base: 2, observed: 2, forecast: 2.1 }));
    expect(nse(flat)).toBeNull();
    expect(persistenceIndex(flat)).toBeNull();
    expect(tt42(flat)?.ratio).toBeNull();
    const withNaN = [...workedExample(), { base: 1, observed: Number.NaN, forecast: 1 }];
    expect(skill(withNaN).n).toBe(5);
    expect(skill(withNaN).rmse).toBeCloseTo(Math.sqrt(0.0875 / 5), 10);
  });
});
