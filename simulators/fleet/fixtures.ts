/** Test fixtures: small devices and registries of every kind, near Quảng Ngãi city. */
import type { Device, DeviceKind, Registry } from '../../shared/devices';
import { KIND_TYPE } from './signals';

const DEFAULT_PROPS: Partial<Record<DeviceKind, Device['props']>> = {
  'river-gauge': { river: 'Trà Khúc', bd1: 3.5, bd2: 5, bd3: 6.5 },
  'traffic-camera': { road: 'QL1A', speedLimit: 60 },
  'wastewater-station': { column: 'B', kq: 0.9, kf: 1.1 },
  reservoir: { plant: 'Thủy điện Thử', river: 'Đà', normalLevel: 215, deadLevel: 175, floodLimit: 197.3, floodFrom: '06-15', floodTo: '09-15', spillwayGates: 18, meanInflow: 1500, turbineFlow: 3500, downstream: '21250,21253' },
};

const INTERVAL_SEC: Record<DeviceKind, number> = {
  'air-station': 300,
  'wastewater-station': 300,
  'river-gauge': 600,
  'rain-gauge': 600,
  'traffic-camera': 60,
  'street-light': 900,
  'energy-meter': 900,
  reservoir: 300,
};

export function makeDevice(kind: DeviceKind, overrides: Partial<Device> = {}): Device {
  return {
    id: `t-${kind}`,
    type: KIND_TYPE[kind],
    kind,
    name: `Test ${kind}`,
    lon: 108.8,
    lat: 15.12,
    commune: '21250',
    reportIntervalSec: INTERVAL_SEC[kind],
    props: DEFAULT_PROPS[kind],
    ...overrides,
  };
}

export function makeRegistry(devices: Device[], overrides: Partial<Registry> = {}): Registry {
  return { province: 'quang-ngai', seed: 1, generatedBy: 'test', devices, ...overrides };
}
