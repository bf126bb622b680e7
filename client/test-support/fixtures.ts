/** Fixture factories for the client unit tests (STYLE.md 15): fresh objects, overridable. */
import type { Device } from '../../shared/devices';
import type { IngestStats, MobileSnapshot, TypeCounts, WallDelta, WallSnapshot } from '../../shared/events';
import { DEVICE_TYPES, REJECT_REASONS, VIOLATION_TYPES, type DeviceType } from '../../shared/mqtt';
import type { AirDerived, CommuneEnv, HydroDerived } from '../../shared/environment';
import type { CommuneRisk, RiskSnapshot } from '../../shared/communeRisk';
import { CLASSIC_FIRE_RULE, type CommuneFire, type FireSnapshot } from '../../shared/fireDanger';
import type {
  CongestionIncident,
  FeedViolation,
  SegmentState,
  TrafficDelta,
  TrafficSnapshot,
  ViolationSummary,
} from '../../shared/traffic';

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

export function makeAirDerived(overrides: Partial<AirDerived> = {}): AirDerived {
  return {
    kind: 'air',
    aqi: 42,
    band: 1,
    dominant: 'pm25',
    subIndices: { pm25: 42, pm10: 30, o3: 5, co: 2, so2: 3, no2: 4 },
    dailyAqi: 40,
    dailyBand: 1,
    ...overrides,
  };
}

export function makeHydroDerived(overrides: Partial<HydroDerived> = {}): HydroDerived {
  return { kind: 'hydro', level: 2.1, stage: 0, bd: [3.5, 5, 6.5], rateCmH: 1, nextLevelInMs: null, ...overrides };
}

export function makeCommune(overrides: Partial<CommuneEnv> = {}): CommuneEnv {
  return { code: '21025', aqi: 42, band: 1, floodStage: null, rain24h: null, wastewaterExceeding: 0, ...overrides };
}

/** A commune below risk level 1 with a gauge of its own, unless overridden. */
export function makeCommuneRisk(overrides: Partial<CommuneRisk> = {}): CommuneRisk {
  return {
    code: '21025',
    level: 0,
    flashFlood: 0,
    flood: 0,
    floodClause: null,
    floodStation: null,
    rain24h: 12,
    antecedentRainDays: 0,
    rainFrom: 'commune',
    susceptibility: 'medium',
    zone: 1,
    ...overrides,
  };
}

export function makeRiskSnapshot(overrides: Partial<RiskSnapshot> = {}): RiskSnapshot {
  return {
    communes: [makeCommuneRisk()],
    provisional: true,
    susceptibilitySource: 'Tạm thời (IOC): chưa có bản đồ phân vùng nguy cơ sạt lở, lũ quét chính thức của tỉnh',
    flood: {
      verified: false,
      source: 'Khu vực trạm: tạm lấy khu vực của tỉnh',
      gauges: [0, 1, 2].map((i) => ({ i, zone: 2 as const, basin: 'Trà Khúc', historic: null })),
    },
    ...overrides,
  };
}

/** A forest commune at fire danger level I after its step of 2026-03-10, unless overridden. */
export function makeCommuneFire(overrides: Partial<CommuneFire> = {}): CommuneFire {
  return { code: '21025', level: 1, p: 420, dryDays: 2, day: '2026-03-10', ...overrides };
}

export function makeFireSnapshot(overrides: Partial<FireSnapshot> = {}): FireSnapshot {
  return {
    communes: [makeCommuneFire()],
    rule: CLASSIC_FIRE_RULE,
    source: 'Ngưỡng cổ điển của QĐ 127/2000 (theo tài liệu thứ cấp)',
    verified: false,
    ...overrides,
  };
}

export function makeSegmentState(overrides: Partial<SegmentState> = {}): SegmentState {
  return { id: 'ql1a-0000', los: 'A', speedKmh: 70, totalPerHour: 900, liveCameras: 2, ...overrides };
}

export function makeViolationSummary(overrides: Partial<ViolationSummary> = {}): ViolationSummary {
  const byType = Object.fromEntries(VIOLATION_TYPES.map((t) => [t, 0])) as ViolationSummary['byType'];
  return { day: '2026-11-22', since: 1_699_980_000_000, total: 0, byType, byCamera: {}, byCommune: {}, ...overrides };
}

export function makeViolation(overrides: Partial<FeedViolation> = {}): FeedViolation {
  return {
    id: 'qng-cam-0001-1',
    ts: 1_700_000_000_000,
    cameraId: 'qng-cam-0001',
    commune: '21040',
    road: 'QL1A',
    segmentId: 'ql1a-0000',
    violation: 'redLight',
    vehicleType: 'motorbike',
    plate: '76-B1 2**.*6',
    fineVnd: [4_000_000, 6_000_000],
    ...overrides,
  };
}

export function makeIncident(overrides: Partial<CongestionIncident> = {}): CongestionIncident {
  return {
    id: 'inc-1',
    segmentId: 'ql1a-0000',
    road: 'QL1A',
    startedAt: 1_700_000_000_000,
    openedAt: 1_700_000_600_000,
    segmentIds: ['ql1a-0000'],
    lengthKm: 2.5,
    worstSpeedKmh: 8,
    state: 'open',
    ...overrides,
  };
}

export function makeTrafficSnapshot(overrides: Partial<TrafficSnapshot> = {}): TrafficSnapshot {
  return { segments: [], incidents: [], violations: { summary: makeViolationSummary(), feed: [] }, volume: [], ...overrides };
}

export function makeTrafficDelta(overrides: Partial<TrafficDelta> = {}): TrafficDelta {
  return { segments: [], incidents: [], violations: [], volume: [], ...overrides };
}
