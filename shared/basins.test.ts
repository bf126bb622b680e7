import { describe, expect, it } from 'vitest';
import { parseBasins, type BasinsFile } from './basins';
import type { Device, Registry } from './devices';

const makeDevice = (id: string, kind: Device['kind']): Device => ({
  id,
  type: kind === 'rain-gauge' ? 'rain' : 'hydro',
  kind,
  name: id,
  lon: 108,
  lat: 15,
  commune: '21028',
  reportIntervalSec: 60,
});
const registry: Registry = {
  province: 'p',
  seed: 1,
  generatedBy: 'test',
  devices: [makeDevice('a', 'river-gauge'), makeDevice('b', 'river-gauge'), makeDevice('r', 'rain-gauge')],
};
const makeFile = (gauges: BasinsFile['gauges']): BasinsFile => ({ province: 'p', generatedBy: 'test', caveats: [], gauges });
const link = (id: string) => ({ id, travelH: 2, basis: 'test' });

describe('basins file', () => {
  it('accepts a gauge with an upstream gauge and rain gauges from the registry', () => {
    const ok = parseBasins(makeFile([{ gaugeId: 'a', river: 'x', upstream: [link('b')], rainGauges: ['r'] }]), registry);
    expect('data' in ok && ok.data.gauges[0]?.upstream[0]?.travelH).toBe(2);
  });

  it('refuses ids that are not the right kind of device, with the id in the message', () => {
    const bad = parseBasins(makeFile([{ gaugeId: 'a', river: 'x', upstream: [link('r')], rainGauges: ['b', 'zz'] }]), registry);
    expect('error' in bad && bad.error).toMatch(/upstream r is not a river gauge[\s\S]*b is not a rain gauge[\s\S]*zz is not a rain gauge/);
  });

  it('refuses a loop of upstream links and a duplicate gauge', () => {
    const loop = parseBasins(
      makeFile([
        { gaugeId: 'a', river: 'x', upstream: [link('b')], rainGauges: [] },
        { gaugeId: 'b', river: 'x', upstream: [link('a')], rainGauges: [] },
      ]),
      registry,
    );
    expect('error' in loop && loop.error).toMatch(/cycle: a → b → a/);
    const dup = parseBasins(makeFile([{ gaugeId: 'a', river: 'x', upstream: [], rainGauges: [] }, { gaugeId: 'a', river: 'x', upstream: [], rainGauges: [] }]), registry);
    expect('error' in dup && dup.error).toMatch(/duplicate gauge a/);
  });

  it('refuses a non-positive travel time', () => {
    const bad = parseBasins(makeFile([{ gaugeId: 'a', river: 'x', upstream: [{ ...link('b'), travelH: 0 }], rainGauges: [] }]), registry);
    expect('error' in bad).toBe(true);
  });
});
