/** Fixture factories (STYLE.md 15): fresh objects per call, overridable, no shared state. */
import type { Device, Registry } from '../../shared/devices';
import type { DeviceType } from '../../shared/mqtt';

const KIND: Record<DeviceType, Device['kind']> = {
  air: 'air-station',
  water: 'wastewater-station',
  hydro: 'river-gauge',
  rain: 'rain-gauge',
  camera: 'traffic-camera',
  iot: 'street-light',
  reservoir: 'reservoir',
};

/** A reservoir's props as the generator writes them (Sơn La's levels; two downstream communes). */
export const RESERVOIR_PROPS: NonNullable<Device['props']> = {
  plant: 'Thủy điện Thử',
  river: 'Đà',
  normalLevel: 215,
  deadLevel: 175,
  floodLimit: 197.3,
  floodFrom: '06-15',
  floodTo: '09-15',
  spillwayGates: 18,
  downstream: '21100,21103',
};

export function makeDevice(overrides: Partial<Device> = {}): Device {
  const type = overrides.type ?? 'air';
  return {
    ...(type === 'reservoir' ? { props: RESERVOIR_PROPS } : {}),
    id: `t-${type}-0001`,
    type,
    kind: KIND[type],
    name: `Thiết bị thử ${type}`,
    lon: 108.8,
    lat: 15.12,
    commune: '21100',
    reportIntervalSec: 60,
    ...overrides,
  };
}

/** `n` devices per listed type, ids `t-<type>-NNNN`. */
export function makeRegistry(perType: Partial<Record<DeviceType, number>>, province = 'quang-ngai'): Registry {
  const devices: Device[] = [];
  for (const [type, n] of Object.entries(perType) as [DeviceType, number][]) {
    for (let k = 1; k <= n; k++) devices.push(makeDevice({ type, id: `t-${type}-${String(k).padStart(4, '0')}` }));
  }
  return { province, seed: 1, generatedBy: 'test', devices };
}

export function makeAirPayload(overrides: Record<string, unknown> = {}): Buffer {
  return Buffer.from(JSON.stringify({ ts: Date.now(), pm25: 21.5, pm10: 40, temperature: 29.1, ...overrides }));
}
