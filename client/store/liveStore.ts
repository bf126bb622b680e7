/**
 * Live state of one view, kept outside React (STYLE.md 11). The socket module feeds it snapshots
 * and deltas; components read it through `useLive(selector)`. Everything is bounded: per-device
 * state lives in typed arrays sized to the registry, the rate history in a fixed ring.
 *
 * Listeners are told at most once per animation frame, however many frames arrive in between.
 */
import type { Device } from '../../shared/devices';
import type {
  DevicePatch,
  HistoricWallSnapshot,
  IngestStats,
  MobileSnapshot,
  OfflineDevice,
  ProvinceInfo,
  TypeCounts,
  ViewDelta,
  ViewName,
  ViewSnapshot,
  WallDelta,
  WallSnapshot,
} from '../../shared/events';
import { DEVICE_TYPES, REJECT_REASONS, type DeviceType } from '../../shared/mqtt';
import type { DegradedDependency } from '../../shared/health';
import type { Segment } from '../../shared/traffic';
import { assertNever } from '../../shared/protocol';
import { unpackDevices } from '../../shared/packedDevices';
import { EnvState } from './envState';
import { FireState } from './fireState';
import { MobileState } from './mobileState';
import { RiskState } from './riskState';
import { RateRing } from './rateRing';
import { TrafficState } from './trafficState';
import { syncClock } from './clock';
import { phases } from '../perf/phases';

export type ConnectionStatus = 'connecting' | 'online' | 'offline' | 'mismatch';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Server time (epoch ms) of the newest data shown, when it is no longer live; else null. */
  staleSince: number | null;
}

export interface RegistryState {
  version: string;
  devices: readonly Device[];
  /** DEVICE_TYPES index of each device, in registry order. */
  typeIndex: Uint8Array;
}

export type DeltaResult =
  /** Applied; the store moved to the delta's seq. */
  | 'applied'
  /** seq at or below what the store already holds: ignored. */
  | 'stale'
  /** No snapshot to apply it to (before the first one, or while waiting for a fresh one): ignored. */
  | 'dropped'
  /** seq skipped ahead: the caller must resubscribe; deltas are dropped until the snapshot. */
  | 'gap'
  /** The server's registry changed: the caller must refetch it and resubscribe. */
  | 'registryChanged';

export type SnapshotResult = 'applied' | 'registryMismatch' | 'wrongView';

export type Scheduler = (callback: () => void) => void;

export interface LiveStoreOptions {
  view: ViewName;
  /** Runs the notification; defaults to requestAnimationFrame (tests pass a manual one). */
  schedule?: Scheduler;
  /** Ring capacity for the rate history (seconds). */
  rateCapacity?: number;
  /** Local clock, for the start of violation pulses (tests pass a fake one). */
  now?: () => number;
}

function emptyCounts(): TypeCounts {
  const c = {} as TypeCounts;
  for (const t of DEVICE_TYPES) c[t] = { total: 0, online: 0 };
  return c;
}

function emptyIngest(): IngestStats {
  const rejected = {} as IngestStats['rejected'];
  for (const r of REJECT_REASONS) rejected[r] = 0;
  return { accepted: 0, history: 0, rejected, ratePerSec: 0 };
}

const NONE_DEGRADED: readonly DegradedDependency[] = [];

const TYPE_INDEX = new Map<DeviceType, number>(DEVICE_TYPES.map((t, k) => [t, k]));

const defaultSchedule: Scheduler = (cb) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => cb());
  else setTimeout(cb, 16);
};

type Listener = () => void;

export class LiveStore {
  readonly view: ViewName;

  /** Bumped at most once per frame when anything changed; what `useLive` keys its cache on. */
  version = 0;
  /** Bumped when any device's online state (or the registry) changed: the map's redraw trigger. */
  deviceVersion = 0;
  /** Bumped when the rate history changed: the chart's trigger. */
  rateVersion = 0;
  /**
   * Bumped by what every reader must see on the next frame, calm or not (client/store/calmView.ts): a
   * snapshot, the time machine, a registry, the province, the connection.
   */
  epoch = 0;

  province: ProvinceInfo | null = null;
  registry: RegistryState | null = null;
  /** 1 online, 0 offline, per registry index (wall only; the phone gets aggregates). */
  on = new Uint8Array(0);
  /** Epoch ms of each device's latest reading, 0 if none. */
  ts = new Float64Array(0);
  /** Latest telemetry values per device, when the server sends them. */
  values: (Record<string, number> | undefined)[] = [];

  counts: TypeCounts = emptyCounts();
  ingest: IngestStats = emptyIngest();
  mqttConnected = false;
  /** The server's dependencies that are down, as the last live frame said (same array while unchanged). */
  degraded: readonly DegradedDependency[] = NONE_DEGRADED;
  readonly rate: RateRing;
  /** Mobile: offline devices other than bulk IoT (capped by the server) and the true total. */
  offline: readonly OfflineDevice[] = [];
  offlineTotal = 0;

  /** Wall: stations' derived state, commune aggregates, hydrographs (issue 3). */
  readonly env = new EnvState();
  /** Wall: segments, incidents, violations, volume (issue 4). */
  readonly traffic = new TrafficState();
  /** Wall: each commune's disaster risk level (QĐ 18/2021/QĐ-TTg). */
  readonly risk = new RiskState();
  /** Wall: each forest commune's fire danger level (QĐ 127/2000/QĐ-BNN-KL). */
  readonly fire = new FireState();
  /** Phone: the environment and traffic summaries. */
  readonly mobile = new MobileState();

  connection: ConnectionState = { status: 'connecting', staleSince: null };
  /** Set when the app cannot start (province or registry unreachable). */
  loadError: string | null = null;

  /** Sequence number of the newest frame applied; null before the first snapshot. */
  seq: number | null = null;
  /** Server time of the newest frame applied. */
  frameAt: number | null = null;
  /** True between a gap (or a resubscribe) and the snapshot that answers it. */
  awaitingSnapshot = true;
  /**
   * The past instant the store holds (the wall's time machine: a history snapshot), or null when it holds
   * live data. While set, `frameAt` is that instant: what ages things on the pages.
   */
  historicAt: number | null = null;
  /** Whether the history snapshot held carried the alarms open at its instant (else the list is not of then). */
  historicAlarms = false;
  /** Server time of the newest live frame (what stale data is dated by, whatever the wall shows). */
  private liveFrameAt: number | null = null;

  private readonly schedule: Scheduler;
  private readonly now: () => number;
  private readonly listeners = new Set<Listener>();
  private framePending = false;
  private dirtyDevices = false;
  private dirtyRate = false;

  constructor(options: LiveStoreOptions) {
    this.view = options.view;
    this.schedule = options.schedule ?? defaultSchedule;
    this.now = options.now ?? Date.now;
    this.rate = new RateRing(options.rateCapacity);
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  getVersion = (): number => this.version;

  setProvince(info: ProvinceInfo): void {
    this.province = info;
    this.epoch += 1;
    this.markDirty();
  }

  /** Segment geometry, fetched once over HTTP (its live state comes in the frames). */
  setSegments(segments: readonly Segment[]): void {
    this.traffic.setGeometry(segments);
    this.markDirty();
  }

  setLoadError(message: string | null): void {
    this.loadError = message;
    this.epoch += 1;
    this.markDirty();
  }

  /** Replaces the registry; per-device state starts unknown (offline) until the next snapshot. */
  setRegistry(version: string, devices: readonly Device[]): void {
    const n = devices.length;
    const typeIndex = new Uint8Array(n);
    for (let k = 0; k < n; k++) typeIndex[k] = TYPE_INDEX.get(devices[k]!.type) ?? 0;
    this.registry = { version, devices, typeIndex };
    this.on = new Uint8Array(n);
    this.ts = new Float64Array(n);
    this.values = new Array<Record<string, number> | undefined>(n);
    this.env.setRegistry(devices);
    this.seq = null;
    this.awaitingSnapshot = true;
    this.dirtyDevices = true;
    this.epoch += 1;
    this.markDirty();
  }

  /** Called before (re)subscribing: deltas are dropped until the snapshot arrives. */
  beginResync(): void {
    this.awaitingSnapshot = true;
  }

  applySnapshot(snap: ViewSnapshot): SnapshotResult {
    if (snap.view !== this.view) return 'wrongView';
    if (!this.registry || this.registry.version !== snap.registryVersion) return 'registryMismatch';
    this.applyCommon(snap);
    switch (snap.view) {
      case 'wall':
        this.applyWallSnapshot(snap);
        break;
      case 'mobile':
        this.applyMobile(snap);
        break;
      case 'console':
        // The operator console's alarm list is not part of this store: counts and ingest only.
        break;
      default:
        assertNever(snap, 'view');
    }
    this.seq = snap.seq;
    this.awaitingSnapshot = false;
    this.historicAt = null;
    this.connection = { status: 'online', staleSince: null };
    this.epoch += 1;
    this.markDirty();
    return 'applied';
  }

  /**
   * The wall as it was at an instant (GET /api/history/snapshot), in place of the live state. The clock is
   * not synced to it and the live seq is forgotten: live deltas are dropped until a live snapshot (the
   * return to live resubscribes). Traffic is not stored, so none is shown; the live-only counters are empty.
   */
  applyHistoric(snap: HistoricWallSnapshot): SnapshotResult {
    if (this.view !== 'wall') return 'wrongView';
    if (!this.registry || this.registry.version !== snap.registryVersion) return 'registryMismatch';
    this.counts = snap.counts;
    this.ingest = snap.ingest;
    this.mqttConnected = snap.mqtt.connected;
    this.frameAt = snap.historic.at;
    this.applyWallSnapshot(snap);
    this.historicAt = snap.historic.at;
    this.historicAlarms = snap.alarms !== undefined;
    this.awaitingSnapshot = true;
    this.epoch += 1;
    this.markDirty();
    return 'applied';
  }

  applyDelta(delta: ViewDelta): DeltaResult {
    if (delta.view !== this.view || this.awaitingSnapshot || this.seq === null) return 'dropped';
    if (delta.seq <= this.seq) return 'stale';
    if (delta.seq !== this.seq + 1) {
      this.awaitingSnapshot = true;
      return 'gap';
    }
    if (!this.registry || delta.registryVersion !== this.registry.version) {
      this.awaitingSnapshot = true;
      return 'registryChanged';
    }
    this.applyCommon(delta);
    switch (delta.view) {
      case 'wall':
        this.applyWallDelta(delta);
        break;
      case 'mobile':
        this.applyMobile(delta);
        break;
      case 'console':
        break;
      default:
        assertNever(delta, 'view');
    }
    this.seq = delta.seq;
    if (this.connection.status !== 'online') {
      this.connection = { status: 'online', staleSince: null };
      this.epoch += 1;
    }
    this.markDirty();
    return 'applied';
  }

  setConnection(status: ConnectionStatus): void {
    if (status === this.connection.status) return;
    // The newest live data, not the past instant the time machine may be showing.
    const staleSince = status === 'online' || status === 'connecting' ? null : this.liveFrameAt;
    this.connection = { status, staleSince };
    this.epoch += 1;
    this.markDirty();
  }

  /** Online devices, summed over types. */
  onlineTotal(): number {
    let n = 0;
    for (const t of DEVICE_TYPES) n += this.counts[t].online;
    return n;
  }

  deviceTotal(): number {
    let n = 0;
    for (const t of DEVICE_TYPES) n += this.counts[t].total;
    return n;
  }

  private applyCommon(frame: ViewSnapshot | ViewDelta): void {
    this.counts = frame.counts;
    this.ingest = frame.ingest;
    this.mqttConnected = frame.mqtt.connected;
    const degraded = frame.degraded ?? NONE_DEGRADED;
    if (!sameDegraded(degraded, this.degraded)) this.degraded = degraded;
    this.frameAt = frame.at;
    this.liveFrameAt = frame.at;
    syncClock(frame.at, frame.clock);
  }

  private applyWallSnapshot(snap: WallSnapshot): void {
    this.on.fill(0);
    this.ts.fill(0);
    this.values.fill(undefined);
    this.env.applySnapshot(snap.communes, snap.hydrographs, snap.forecasts);
    this.env.applyAirTomorrow(snap.airTomorrow, true);
    this.applyPatches(snap.devices, false);
    this.dirtyDevices = true;
    this.traffic.applySnapshot(snap.traffic);
    this.risk.applySnapshot(snap.risk);
    this.fire.applySnapshot(snap.fire);
    this.rate.clear();
    this.rate.pushAll(snap.rateHistory);
    this.dirtyRate = true;
  }

  private applyWallDelta(delta: WallDelta): void {
    if (this.applyPatches(delta.devices, true)) this.dirtyDevices = true;
    if (delta.packed && this.applyPacked(delta.packed)) this.dirtyDevices = true;
    if (this.rate.pushAll(delta.rateSamples)) this.dirtyRate = true;
    this.env.applyCommunes(delta.communes);
    this.env.applyForecasts(delta.forecasts);
    this.env.applyAirTomorrow(delta.airTomorrow, false);
    this.traffic.applyDelta(delta.traffic, this.now());
    this.risk.applyDelta(delta.risk);
    this.fire.applyDelta(delta.fire);
  }

  /**
   * Returns whether any device's online state changed. `live`: the patches continue the
   * hydrographs (a snapshot's latest levels are already in its hydrographs).
   */
  private applyPatches(patches: readonly DevicePatch[], live: boolean): boolean {
    const n = this.on.length;
    let changed = false;
    for (const p of patches) {
      const i = p.i;
      // A patch for an index the registry does not have means the two are out of step; skip it
      // rather than grow the arrays (the registryVersion check resyncs them).
      if (!(i >= 0 && i < n && Number.isInteger(i))) continue;
      const on = p.on === 1 ? 1 : 0;
      if (this.on[i] !== on) {
        this.on[i] = on;
        changed = true;
      }
      this.ts[i] = p.ts;
      if (p.v) this.values[i] = p.v;
      if (p.x) this.env.setDerived(i, p.x);
      if (live && p.v && typeof p.v.waterLevel === 'number') this.env.addLevel(i, p.ts, p.v.waterLevel);
    }
    return changed;
  }

  /** The bulk devices' states, column by column into the typed arrays: no object per device. */
  private applyPacked(packed: ArrayBuffer | Uint8Array): boolean {
    const u = unpackDevices(packed);
    if (!u) return false;
    const { on, ts } = this;
    const n = on.length;
    let changed = false;
    for (let k = 0; k < u.n; k++) {
      const i = u.i[k]!;
      // Out of the registry: out of step with it (the registryVersion check resyncs); skip.
      if (i >= n) continue;
      const o = u.on[k] === 1 ? 1 : 0;
      if (on[i] !== o) {
        on[i] = o;
        changed = true;
      }
      ts[i] = u.ts[k]!;
    }
    return changed;
  }

  private applyMobile(frame: MobileSnapshot): void {
    if (!sameOffline(this.offline, frame.offline)) {
      this.offline = frame.offline;
      this.dirtyDevices = true;
    }
    this.offlineTotal = frame.offlineTotal;
    this.mobile.apply(frame);
  }

  private markDirty(): void {
    if (this.framePending) return;
    this.framePending = true;
    this.schedule(this.flush);
  }

  private readonly flush = (): void => {
    phases.time('notify', this.flushNow);
    // React renders what the listeners scheduled in a microtask after this: its time too (client/perf/phases.ts).
    phases.untilMicrotasks('react');
  };

  private readonly flushNow = (): void => {
    this.framePending = false;
    if (this.dirtyDevices) this.deviceVersion += 1;
    if (this.dirtyRate) this.rateVersion += 1;
    this.dirtyDevices = false;
    this.dirtyRate = false;
    this.env.commit();
    this.traffic.commit();
    this.risk.commit();
    this.fire.commit();
    this.mobile.commit();
    this.version += 1;
    for (const l of this.listeners) l();
  };
}

function sameOffline(a: readonly OfflineDevice[], b: readonly OfflineDevice[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k]!.i !== b[k]!.i) return false;
  return true;
}

function sameDegraded(a: readonly DegradedDependency[], b: readonly DegradedDependency[]): boolean {
  return a.length === b.length && a.every((d, k) => d.name === b[k]!.name && d.since === b[k]!.since);
}
