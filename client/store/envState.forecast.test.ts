import { describe, expect, it } from 'vitest';
import type { HydroForecast } from '../../shared/forecast';
import { makeDevice } from '../test-support/fixtures';
import { EnvState } from './envState';

const f = (i: number, issuedAt: number): HydroForecast => ({ i, issuedAt, level: 2, leads: [], skill: [] });

describe('forecasts in the environment state', () => {
  it('takes a snapshot\u2019s forecasts whole, replaces a gauge\u2019s on a delta, ignores non-gauges, and bumps that gauge\u2019s revision', () => {
    const env = new EnvState();
    env.setRegistry([makeDevice({ id: 'h0', type: 'hydro' }), makeDevice({ id: 'a1', type: 'air' }), makeDevice({ id: 'h2', type: 'hydro' })]);
    env.applySnapshot([], [], [f(0, 1), f(2, 1)]);
    expect([...env.forecasts.keys()].sort()).toEqual([0, 2]);
    const rev2 = env.forecastRev.get(2);
    env.applyForecasts([f(0, 2), f(1, 2)]);
    expect(env.forecasts.get(0)!.issuedAt).toBe(2);
    expect(env.forecasts.has(1)).toBe(false);
    expect(env.forecastRev.get(2)).toBe(rev2);
    // A new snapshot without forecasts (a past instant, a restart) clears them: no stale band stays drawn.
    const rev0 = env.forecastRev.get(0)!;
    env.applySnapshot([], [], undefined);
    expect(env.forecasts.size).toBe(0);
    expect(env.forecastRev.get(0)).toBeGreaterThan(rev0);
  });
});
