/** Fixture factories for the client unit tests (STYLE.md 15): fresh objects, overridable. */
import type { Device } from '../../shared/devices';
import type { IngestStats, MobileSnapshot, TypeCounts, WallDelta, WallSnapshot } from '../../shared/events';
import { DEVICE_TYPES, REJECT_REASONS, type DeviceType } from '../../shared/mqtt';

export function makeDevice(overrides: Partial<Device> = {}): Device {
  return {
    id: 'AIR-001',
    type: 'air',
    kind: 'air-station',
    name: 'Trạm quan trắc không khí Cẩm Thành',
    lon: 108.81,
    lat: 15.11,
    commune: '21025',
    reportIntervalSec: 60,
    ...overrides,
  };
}

/** A small registry: `n` devices cycling through the types. */
export function makeDevices(n: number): Device[] {
  return Array.from({ length: n }, (_, k) => {
    const type: DeviceType = DEVICE_TYPES[k % DEVICE_TYPES.length]!;
    return makeDevice({ id: `${type.toUpperCase()}-${k}`, type, name: `Thiết bị ${k}`, lon: 108 + k * 0.001 });
  });
}

export function makeCounts(overrides: Partial<TypeCounts> = {}): TypeCounts {
  const c = {} as TypeCounts;
  for (const t of DEVICE_TYPES) c[t] = { total: 0, online: 0 };
  return { ...c, ...overrides };
}

export function makeIngest(overrides: Partial<IngestStats> = {}): IngestStats {
  const rejected = {} as IngestStats['rejected'];
  for (const r of REJECT_REASONS) rejected[r] = 0;
  return { accepted: 0, history: 0, rejected, ratePerSec: 0, ...overrides };
}

export function makeWallSnapshot(overrides: Partial<WallSnapshot> = {}): WallSnapshot {
  return {
    view: 'wall',
    seq: 10,
    at: 1_700_000_000_000,
    registryVersion: 'r1',
    counts: makeCounts(),
    ingest: makeIngest(),
    mqtt: { connected: true },
    devices: [],
    rateHistory: [],
    ...overrides,
  };
}

export function makeWallDelta(overrides: Partial<WallDelta> = {}): WallDelta {
  return {
    view: 'wall',
    seq: 11,
    at: 1_700_000_000_250,
    registryVersion: 'r1',
    counts: makeCounts(),
    ingest: makeIngest(),
    mqtt: { connected: true },
    devices: [],
    rateSamples: [],
    ...overrides,
  };
}

export function makeMobileSnapshot(overrides: Partial<MobileSnapshot> = {}): MobileSnapshot {
  return {
    view: 'mobile',
    seq: 5,
    at: 1_700_000_000_000,
    registryVersion: 'r1',
    counts: makeCounts(),
    ingest: makeIngest(),
    mqtt: { connected: true },
    offline: [],
    offlineTotal: 0,
    ...overrides,
  };
}

/** A scheduler the test runs by hand: `flush()` is "the next animation frame". */
export function manualScheduler() {
  const queue: (() => void)[] = [];
  return {
    schedule: (cb: () => void) => {
      queue.push(cb);
    },
    get pending() {
      return queue.length;
    },
    flush() {
      for (const cb of queue.splice(0)) cb();
    },
  };
}
