import { describe, expect, it } from 'vitest';
import type { Device } from '../../shared/devices';
import type { ModelEffects } from './effects';
import { makeDevice } from './fixtures';
import { signalsFor } from './signals';
import { createGaugeFlow, FLOW_STEP_MS, UPSTREAM_WEIGHT, type RiverNetwork } from './river';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 9, 20, 0, 0, 0);
const UP = makeDevice('river-gauge', { id: 'up', lon: 108.45, lat: 15.02, props: { river: 'Trà Khúc', upstream: true, bd1: 27, bd2: 29, bd3: 31 } });
const DOWN = makeDevice('river-gauge', { id: 'down', lon: 108.8, lat: 15.12 });
const network = (travelH: number): RiverNetwork => ({
  gauges: new Map<string, Device>([UP, DOWN].map((d) => [d.id, d])),
  catchments: new Map(),
  upstream: new Map([['down', [{ id: 'up', travelH }]]]),
});
/** Three hours of 30 mm/h over the upstream gauge only, from T0 + 2 h. */
const storm: ModelEffects = {
  rainBoost: (place, t) => (place.lon < 108.6 && t >= T0 + 2 * HOUR && t < T0 + 5 * HOUR ? 30 : 0),
};

/** The storm's part of a flow (the model is linear in rain: with the storm minus without), every grid step. */
function stormPart(seed: number, travelH: number, read: (f: ReturnType<typeof createGaugeFlow>, t: number) => number, device: Device): number[] {
  const withStorm = createGaugeFlow(device, seed, network(travelH), storm);
  const without = createGaugeFlow(device, seed, network(travelH));
  return Array.from({ length: (72 * HOUR) / FLOW_STEP_MS }, (_, k) => {
    const t = T0 + k * FLOW_STEP_MS;
    return read(withStorm, t) - read(without, t);
  });
}
const centroidH = (xs: readonly number[]) => xs.reduce((s, v, k) => s + v * k, 0) / xs.reduce((s, v) => s + v, 0) / 4;
const peakH = (xs: readonly number[]) => xs.indexOf(Math.max(...xs)) / 4;

describe('river network', () => {
  it.each([3, 7.5])('the downstream gauge follows the upstream one %s h later, flatter, with the volume sent down', (travelH) => {
    const up = stormPart(11, travelH, (f, t) => f.at(t), UP);
    const routed = stormPart(11, travelH, (f, t) => f.routedAt(t), DOWN);
    // The storm raises the upstream flow within hours; the downstream gauge's own catchment got none of it.
    expect(Math.max(...up)).toBeGreaterThan(5);
    expect(Math.max(...stormPart(11, travelH, (f, t) => f.at(t) - f.routedAt(t), DOWN))).toBeLessThan(1e-9);
    // Lagged by the travel time (plus the quarter-hour step the routed flow is read behind), attenuated.
    expect(centroidH(routed) - centroidH(up)).toBeCloseTo(travelH + 0.25, 0);
    expect(peakH(routed) - peakH(up)).toBeGreaterThan(0.6 * travelH);
    expect(Math.max(...routed)).toBeLessThan(UPSTREAM_WEIGHT * Math.max(...up));
    // What went down the reach arrived (the run is long enough for the tail).
    const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(routed) / sum(up)).toBeCloseTo(UPSTREAM_WEIGHT, 2);
  });

  it('is a function of the seed and t alone: the same flow whatever was asked before, another for another seed', () => {
    const a = createGaugeFlow(DOWN, 5, network(6), storm);
    const b = createGaugeFlow(DOWN, 5, network(6), storm);
    const c = createGaugeFlow(DOWN, 6, network(6), storm);
    const t = T0 + 11.3 * HOUR;
    for (let k = 0; k < 40; k++) a.at(t - k * 600_000);
    expect(a.at(t)).toBe(b.at(t));
    expect(a.at(t)).toBeGreaterThan(0);
    expect(c.at(t)).not.toBe(a.at(t));
  });

  it('refuses a loop of upstream links', () => {
    const loop: RiverNetwork = { ...network(3), upstream: new Map([['down', [{ id: 'up', travelH: 3 }]], ['up', [{ id: 'down', travelH: 3 }]]]) };
    expect(() => createGaugeFlow(DOWN, 1, loop)).toThrow(/loop/);
  });
});

describe('tide', () => {
  it('moves a gauge on the coastal plain by about ten centimetres, mostly once a day', () => {
    const levels = (device: Device) => {
      const s = signalsFor(device, { seed: 3, plateCodes: [] });
      return Array.from({ length: 14 * 48 }, (_, k) => (s.report(Date.UTC(2026, 2, 1) + k * 0.5 * HOUR).telemetry as { waterLevel: number }).waterLevel);
    };
    const plain = levels({ ...DOWN, props: { ...DOWN.props, tidal: false } });
    const tide = levels(DOWN).map((v, k) => v - plain[k]!);
    const range = Math.max(...tide) - Math.min(...tide);
    expect(range).toBeGreaterThan(0.1);
    expect(range).toBeLessThan(0.45);
    // Its diurnal (K1, 23.93 h) harmonic carries it.
    const k1 = (period: number) => {
      const re = tide.reduce((a, v, k) => a + v * Math.cos((2 * Math.PI * k * 0.5) / period), 0);
      const im = tide.reduce((a, v, k) => a + v * Math.sin((2 * Math.PI * k * 0.5) / period), 0);
      return (2 * Math.hypot(re, im)) / tide.length;
    };
    expect(k1(23.93)).toBeGreaterThan(0.03);
    expect(k1(23.93)).toBeGreaterThan(3 * k1(17));
    // Upstream gauges have none unless they say so.
    expect(levels(UP)).toEqual(levels({ ...UP, props: { ...UP.props, tidal: false } }));
  });
});
