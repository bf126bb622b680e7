import { describe, expect, it } from 'vitest';
import { rainForecastSchema } from '../../shared/mqtt';
import type { ModelEffects } from './effects';
import { createEngine } from './engine';
import { makeDevice, makeRegistry } from './fixtures';
import { createRainForecastModel, RAIN_FORECAST_STEPS } from './rainForecast';
import { createWeather, gaugeLocalSeed } from './weather';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 9, 20, 0);
const SEED = 2025;
// A storm every 12 hours: 4 hours of 12 mm/h on top of the ordinary weather.
const STORMS: ModelEffects = {
  rainBoost: (_p, t) => {
    const inCycle = ((((t - T0) % (12 * HOUR)) + 12 * HOUR) % (12 * HOUR)) / HOUR;
    return inCycle >= 5 && inCycle < 9 ? 12 : 0;
  },
};

describe("the hydro-met service's rain forecasts (the fleet's)", () => {
  const gauge = makeDevice('rain-gauge');
  const truth = createWeather(SEED, gauge, gaugeLocalSeed(gauge.id, SEED), STORMS.rainBoost);

  it('are of the contract, the same for the same world, and issued once an hour', () => {
    const a = createRainForecastModel(gauge, SEED, STORMS);
    const b = createRainForecastModel(gauge, SEED, STORMS);
    const f = a.issue(T0 + 3 * HOUR);
    expect(rainForecastSchema.parse(f).precipitation).toHaveLength(RAIN_FORECAST_STEPS);
    expect(f).toEqual(b.issue(T0 + 3 * HOUR));
    expect(a.issuedIn(T0 + 3 * HOUR - 60_000, T0 + 3 * HOUR)?.ts).toBe(T0 + 3 * HOUR);
    expect(a.issuedIn(T0 + 3 * HOUR, T0 + 3 * HOUR + 59 * 60_000)).toBeUndefined();
    expect(a.issuedIn(T0 + 3 * HOUR + 50 * 60_000, T0 + 4 * HOUR + 10 * 60_000)?.ts).toBe(T0 + 4 * HOUR);
  });

  it('see the storms coming, with errors: the next 6 hours forecast against what fell, over 10 days of issues', () => {
    const m = createRainForecastModel(gauge, SEED, STORMS);
    const pairs: [number, number][] = [];
    for (let t = T0; t < T0 + 10 * 24 * HOUR; t += HOUR) {
      const f = m.issue(t);
      const forecast = f.precipitation.slice(0, 6).reduce((s, v) => s + v, 0);
      pairs.push([forecast, truth.rainBetween(t, t + 6 * HOUR)]);
    }
    const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    const fx = pairs.map((p) => p[0]);
    const ox = pairs.map((p) => p[1]);
    const [mf, mo] = [mean(fx), mean(ox)];
    const cov = mean(pairs.map(([f, o]) => (f - mf) * (o - mo)));
    const corr = cov / Math.sqrt(mean(fx.map((f) => (f - mf) ** 2)) * mean(ox.map((o) => (o - mo) ** 2)));
    expect(corr).toBeGreaterThan(0.7);
    expect(mf / mo).toBeGreaterThan(0.7);
    expect(mf / mo).toBeLessThan(1.4);
    // Not the truth: most forecasts of a rainy 6 hours are off by more than 10 %.
    const rainy = pairs.filter(([, o]) => o > 5);
    expect(rainy.length).toBeGreaterThan(40);
    expect(rainy.filter(([f, o]) => Math.abs(f - o) > 0.1 * o).length / rainy.length).toBeGreaterThan(0.5);
  });

  it('go out on the gauge\'s forecast topic in a rehearsal and at speed 1, not on a live clock run faster', () => {
    const registry = makeRegistry([gauge]);
    const topic = `ioc/v1/rain/${gauge.id}/forecast`;
    const forecastsIn = (opts: { rehearsal: boolean; speed: number }) => {
      const e = createEngine({ registry, realStart: T0, simStart: T0, backfillHours: 0, ...opts });
      const sim = e.sims[0]!;
      const out: { ts: number; stepMin: number }[] = [];
      for (let t = T0 + 10 * 60_000; t <= T0 + 3 * HOUR; t += 10 * 60_000) {
        for (const m of e.report(sim, t).messages) if (m.topic === topic) out.push(JSON.parse(m.payload));
      }
      return out;
    };
    // Reports every 10 minutes over 3 hours: a forecast in the report at each hour, stamped with its hour.
    expect(forecastsIn({ rehearsal: true, speed: 600 }).map((f) => f.ts)).toEqual([T0 + HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR]);
    expect(forecastsIn({ rehearsal: false, speed: 1 }).map((f) => f.stepMin)).toEqual([60, 60, 60]);
    expect(forecastsIn({ rehearsal: false, speed: 60 })).toEqual([]);
  });
});
