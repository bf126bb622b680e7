import { describe, expect, it } from 'vitest';
import { createForecaster, DEFAULT_FORECAST_CONFIG, type ForecastConfig, type GaugeForecast } from './forecaster';
import type { GaugeBasin } from './features';
import { feedAll, HOUR, rainDriven, routedPair, STEP_MS, T0, type Sampled } from './fixtures';

const ROUTED: GaugeBasin[] = [{ gaugeId: 'down', upstream: [{ id: 'up', travelH: 8 }], rainGauges: [] }];
const makeConfig = (o: Partial<ForecastConfig> = {}): ForecastConfig => ({ ...DEFAULT_FORECAST_CONFIG, lambda: 1, delta: 1e4, ...o });

function run(basins: GaugeBasin[], data: Sampled, until: number, cfg = makeConfig(), stepMs = STEP_MS) {
  const f = createForecaster(basins, cfg);
  feedAll(f, data);
  const issued: GaugeForecast[] = [];
  for (let t = T0; t <= until; t += stepMs) issued.push(...f.step(t));
  return { f, issued };
}

const coef = (f: ReturnType<typeof createForecaster>, gauge: string, lead: number, name: string): number =>
  f.coefficients(gauge, lead)?.find((c) => c.name === name)?.value ?? Number.NaN;

describe('river-level forecaster', () => {
  it('learns corresponding levels: downstream = 0.8 × upstream 8 h earlier gives dU ≈ 0.8 at every lead, trend ≈ 0', () => {
    const data = routedPair({ days: 6, travelH: 8, gain: 0.8, noiseSd: 0, seed: 1 });
    const { f, issued } = run(ROUTED, data, T0 + 6 * 24 * HOUR);
    for (const lead of DEFAULT_FORECAST_CONFIG.leadsH) {
      expect(coef(f, 'down', lead, 'dU:up')).toBeCloseTo(0.8, 3);
      expect(coef(f, 'down', lead, 'dH1h')).toBeCloseTo(0, 3);
      expect(coef(f, 'down', lead, 'dH3h')).toBeCloseTo(0, 3);
    }
    // The last forecasts hit the truth: the 6 h forecast issued on day 5 is exact to a millimetre.
    const late = issued.find((g) => g.issuedAt === T0 + 5 * 24 * HOUR);
    const six = late?.leads.find((l) => l.leadH === 6);
    expect(six).toBeDefined();
    expect(six?.level).toBeCloseTo(data.level.get('down')?.get((six?.validAt ?? 0)) ?? Number.NaN, 3);
  });

  it('recovers known rain and trend coefficients of a rain-driven gauge (lead 1 h)', () => {
    const data = rainDriven(-0.08, 0.5, 0.01, 8, 3);
    const basins: GaugeBasin[] = [{ gaugeId: 'g', upstream: [], rainGauges: ['r1', 'r2'] }];
    const { f } = run(basins, data, T0 + 8 * 24 * HOUR, makeConfig({ leadsH: [1] }));
    expect(coef(f, 'g', 1, 'intercept')).toBeCloseTo(-0.08, 3);
    expect(coef(f, 'g', 1, 'dH1h')).toBeCloseTo(0.5, 3);
    expect(coef(f, 'g', 1, 'dH3h')).toBeCloseTo(0, 3);
    expect(coef(f, 'g', 1, 'rain1h')).toBeCloseTo(0, 3);
    expect(coef(f, 'g', 1, 'rain3h')).toBeCloseTo(0.01, 3);
    expect(coef(f, 'g', 1, 'rain6h')).toBeCloseTo(0, 3);
  });

  it('never looks ahead: a future poisoned with huge levels and rain leaves every earlier forecast unchanged', () => {
    const basins: GaugeBasin[] = [{ gaugeId: 'down', upstream: [{ id: 'up', travelH: 2 }], rainGauges: ['r1'] }];
    const clean = routedPair({ days: 3, travelH: 2, gain: 0.8, noiseSd: 0.02, seed: 5 });
    clean.rain.set('r1', new Map([...(clean.level.get('up') ?? new Map<number, number>()).keys()].map((t, i) => [t, i % 7 === 0 ? 2 : 0])));
    const cut = T0 + 2 * 24 * HOUR;
    const poison = (m: Map<number, number>, v: number) => new Map([...m].map(([t, x]) => [t, t > cut ? v : x]));
    const poisoned: Sampled = {
      level: new Map([...clean.level].map(([id, m]) => [id, poison(m, 1e6)])),
      rain: new Map([...clean.rain].map(([id, m]) => [id, poison(m, 1e6)])),
    };
    // Steps of 5 minutes fall between samples too, so "latest sample at or before now" is exercised.
    const a = run(basins, clean, T0 + 3 * 24 * HOUR, makeConfig(), 5 * 60_000).issued;
    const b = run(basins, poisoned, T0 + 3 * 24 * HOUR, makeConfig(), 5 * 60_000).issued;
    const before = (xs: GaugeForecast[]) => xs.filter((g) => g.issuedAt <= cut);
    expect(before(a).length).toBeGreaterThan(400);
    expect(before(b)).toEqual(before(a));
    // The poison is live: forecasts issued after the cut do change (else the test above proves nothing).
    const after = (xs: GaugeForecast[]) => xs.filter((g) => g.issuedAt > cut);
    expect(after(b)).not.toEqual(after(a));
  });

  it('the 90 % interval covers about 90 % of what happens on a noisy series', () => {
    const days = 24;
    const data = routedPair({ days, travelH: 8, gain: 0.8, noiseSd: 0.05, seed: 9 });
    const cfg = makeConfig({ lambda: 0.999, coverage: 0.9, residualWindow: 200, minResiduals: 50 });
    const { issued } = run(ROUTED, data, T0 + days * 24 * HOUR, cfg, 30 * 60_000);
    const observed = data.level.get('down');
    let inside = 0;
    let total = 0;
    for (const g of issued) {
      if (g.issuedAt < T0 + 4 * 24 * HOUR) continue;
      for (const l of g.leads) {
        const obs = observed?.get(l.validAt);
        if (obs === undefined || l.lower === undefined || l.upper === undefined) continue;
        total++;
        if (obs >= l.lower && obs <= l.upper) inside++;
      }
    }
    expect(total).toBeGreaterThan(3000);
    expect(inside / total).toBeGreaterThan(0.86);
    expect(inside / total).toBeLessThan(0.94);
  });

  it('issues nothing for a gauge whose recent levels are missing, and flags a silent upstream', () => {
    const f = createForecaster(ROUTED, makeConfig());
    for (let t = T0; t <= T0 + 4 * HOUR; t += STEP_MS) f.addLevel('down', t, 3);
    expect(f.step(T0 + 2 * HOUR)).toEqual([]); // no level 3 h back yet
    const [g] = f.step(T0 + 4 * HOUR);
    expect(g?.missing).toEqual(['up']);
    expect(g?.leads).toHaveLength(6);
    expect(g?.leads[0]?.lower).toBeUndefined(); // nothing verified: no interval
  });

  it('refuses to step back in time', () => {
    const f = createForecaster(ROUTED, makeConfig());
    f.step(T0 + HOUR);
    expect(() => f.step(T0)).toThrow(/before the previous step/);
  });
});
