/**
 * Typed Socket.IO contract (STYLE.md 1-6). A client subscribes to a view; the ack carries a
 * full snapshot with a sequence number; the server then emits one coalesced delta per tick
 * with seq + 1. A client that sees a gap resubscribes.
 */
import type { ReleaseState } from './reservoir';
import type { CommuneRisk, RiskSnapshot } from './communeRisk';
import type { CommuneFire, FireSnapshot } from './fireDanger';
import type { SessionEndReason } from './auth';
import type { Ack } from './protocol';
import type { ClockInfo } from './simClock';
import type { AlarmAckRequest, AlarmAssignRequest, AlarmResolveRequest, SubscribeRequest } from './requests';
import type { BrokerRefusal, DeviceType, RejectReason } from './mqtt';
import type { CommuneEnv, SeriesPoint, StationDerived } from './environment';
import type { AqiBandNumber } from './vnAqi';
import type { CongestionIncident, TrafficDelta, TrafficSnapshot, ViolationSummary } from './traffic';
import type { Alarm, AlarmHealth, AlarmTotals } from './alarms';
import type { WireAlarmChange } from './alarmWire';
import type { HydroForecast } from './forecast';
import type { AirTomorrow, MobileAirTomorrow } from './airForecast';
import type { DegradedDependency } from './health';

/** Open alarms, most urgent first, capped (openTotal tells the rest; GET /api/alarms pages them). */
export interface AlarmsSnapshot {
  /** The rev the list is current to: apply only changes with a higher rev. */
  rev: number;
  open: Alarm[];
  openTotal: number;
  /** Counts over every open alarm, not only the listed ones. */
  totals: AlarmTotals;
}

/**
 * Alarm changes since the previous frame, in rev order: raises, severity steps, decisions and closing whole, at
 * once (the alarm's empty fields left out: shared/alarmWire.ts `wholeToWire`); routine changes (counts, a group's
 * members, a condition clearing or coming back) as repeats of the fields that moved (`AlarmRepeat`), at most one
 * per alarm a second, in the alarm's slot — so a repeat may carry an older rev than changes of other alarms in an
 * earlier delta, and applies by its own alarm's rev. `resync`: some were dropped — resubscribe.
 */
export interface AlarmsDelta {
  changes: WireAlarmChange[];
  resync?: true;
  /** Present when the counts changed since the previous delta. */
  totals?: AlarmTotals;
}

export const VIEWS = ['wall', 'mobile', 'console'] as const;
export type ViewName = (typeof VIEWS)[number];

/**
 * Live state of one device, addressed by its index in the registry (GET /api/devices order),
 * which keeps per-tick deltas small. `v` holds the latest telemetry values (absent for the
 * bulk IoT devices on the wall, whose values nobody watches live).
 */
export interface DevicePatch {
  i: number;
  /** 1 online, 0 offline. */
  on: 0 | 1;
  /** Epoch ms of the latest live reading, 0 if none yet. */
  ts: number;
  v?: Record<string, number>;
  /** What the server derives for an environmental station (VN_AQI, compliance, flood stage, rain). */
  x?: StationDerived;
}

export interface TypeCount {
  total: number;
  online: number;
}
export type TypeCounts = Record<DeviceType, TypeCount>;

export interface IngestStats {
  accepted: number;
  /** Readings older than the live window (backfill/history): accepted, not live. */
  history: number;
  rejected: Record<RejectReason, number>;
  /** What the broker refused (no or wrong credentials, another device's topic, a subscription), by reason; absent from an older server. */
  refused?: Record<BrokerRefusal, number>;
  /** Accepted messages per second, averaged over the last few seconds. */
  ratePerSec: number;
  /** Air and wastewater stations repeating the very same values for 30 reports (a frozen sensor). */
  stuckSensors?: number;
}

/** One sample per second: [epoch seconds, accepted messages in that second]. */
export type RateSample = [number, number];

export interface MqttState {
  connected: boolean;
}

interface ViewBase {
  seq: number;
  /** Server time (epoch ms) the frame was built. */
  at: number;
  registryVersion: string;
  counts: TypeCounts;
  ingest: IngestStats;
  mqtt: MqttState;
  /**
   * The dependencies of the instance that are down (shared/health.ts), absent while all are fine: the views'
   * headers say what is wrong.
   */
  degraded?: DegradedDependency[];
  /** The clock the server runs on (absent: live): a rehearsal (DIỄN TẬP) shows its simulated time and speed. */
  clock?: ClockInfo;
}

export interface WallSnapshot extends ViewBase {
  view: 'wall';
  /** One patch per registry device, in registry order. */
  devices: DevicePatch[];
  rateHistory: RateSample[];
  /** Per commune: worst AQI, flood stage, 24 h rain, wastewater stations exceeding. */
  communes?: CommuneEnv[];
  /** River levels of the last 24 h (10-minute means) per gauge, for the hydrographs. */
  hydrographs?: { i: number; points: SeriesPoint[] }[];
  /** The latest river-level forecast of each gauge that has one (shared/forecast.ts). */
  forecasts?: HydroForecast[];
  /** The latest forecast of tomorrow's air quality of each air station that has one (shared/airForecast.ts). */
  airTomorrow?: AirTomorrow[];
  traffic?: TrafficSnapshot;
  alarms?: AlarmsSnapshot;
  /** Every commune's disaster risk level (QĐ 18/2021/QĐ-TTg) and the trust in its inputs. */
  risk?: RiskSnapshot;
  /** Every forest commune's fire danger (QĐ 127/2000/QĐ-BNN-KL), the rule and its source. */
  fire?: FireSnapshot;
}
/**
 * GET /api/history/snapshot: the wall as it was at `historic.at`, rebuilt from the stores. Live-only parts
 * (ingest counters, rate history, MQTT state) are empty; traffic is absent.
 */
export interface HistoricWallSnapshot extends WallSnapshot {
  historic: { at: number };
}
export interface WallDelta extends ViewBase {
  view: 'wall';
  /** The stations that changed since the previous tick (bulk IoT devices are in `packed`). */
  devices: DevicePatch[];
  /**
   * The bulk IoT devices that went offline or came back since the previous tick, packed
   * (shared/packedDevices.ts): a binary attachment, an ArrayBuffer in the browser, a Buffer in Node. A bulk
   * device's readings alone are not sent (the wall draws its state only); its `ts` is the newest reading
   * the server had when its state changed.
   */
  packed?: ArrayBuffer | Uint8Array;
  /** Rate samples completed since the previous tick. */
  rateSamples: RateSample[];
  /** Communes whose aggregate changed since the previous tick. */
  communes?: CommuneEnv[];
  /** Gauges whose forecast was issued or whose skill changed since the previous tick, whole (replace by `i`). */
  forecasts?: HydroForecast[];
  /** Air stations whose forecast of tomorrow was issued since the previous tick (hourly), whole (replace by `i`). */
  airTomorrow?: AirTomorrow[];
  traffic?: TrafficDelta;
  alarms?: AlarmsDelta;
  /** Communes whose risk level or its inputs changed, whole (replace by `code`). */
  risk?: CommuneRisk[];
  /** Communes whose fire danger took its daily step, whole (replace by `code`). */
  fire?: CommuneFire[];
}

/** A leader's phone gets aggregates and the offline devices only: small on a mobile link. */
export interface OfflineDevice {
  i: number;
  since: number;
}
/** The phone's environment summary: small lists, already sorted worst first. */
export interface MobileEnvSummary {
  /** Air stations per hourly VN_AQI band (index 0 = band 1 … 5 = band 6). */
  aqiBands: [number, number, number, number, number, number];
  worstAir: { i: number; aqi: number; band: AqiBandNumber }[];
  /** Gauges at or above BĐ I. */
  riversAboveBd1: { i: number; level: number; stage: 1 | 2 | 3; rateCmH: number | null }[];
  /** Wastewater stations exceeding now, with the parameters that exceed. */
  wastewaterExceeding: { i: number; params: string[]; since: number | null }[];
  /** Rain gauges with a 24 h category (mưa vừa or more). */
  heavyRain: { i: number; h24: number; category: string }[];
  /** Tomorrow's air quality over the stations (absent until a station has a forecast). */
  airTomorrow?: MobileAirTomorrow;
  /**
   * Gauges whose latest forecast reaches their next BĐ level, soonest first: the stage it reaches, when (the
   * first lead past its learning that reaches it) and in how many hours.
   */
  riversAhead?: MobileRiverAhead[];
  /** Reservoirs releasing or with a release announced (xả lũ), releasing first (absent: none). */
  releases?: MobileRelease[];
}

/** A reservoir's flood release on the phone: what the plant announced and the communes below it. */
export interface MobileRelease {
  i: number;
  release: ReleaseState;
  /** When the gates open or opened; null when only a report says they are open. */
  startsAt: number | null;
  gates: number | null;
  outflow: number | null;
  /** Downstream commune codes (for a commune-scoped account, those in its scope). */
  downstream: string[];
}

export interface MobileRiverAhead {
  i: number;
  /** Level now (m) and its stage (0: below BĐ I). */
  level: number;
  stage: 0 | 1 | 2 | 3;
  next: 1 | 2 | 3;
  /** Epoch ms the forecast reaches `next`, and the lead in hours. */
  at: number;
  h: number;
  /** When the forecast was made. */
  issuedAt: number;
}

export interface MobileSnapshot extends ViewBase {
  view: 'mobile';
  /** Offline devices other than bulk IoT, capped (see offlineTotal for the true count). */
  offline: OfflineDevice[];
  offlineTotal: number;
  env?: MobileEnvSummary;
  traffic?: { incidents: CongestionIncident[]; violationsToday: Pick<ViolationSummary, 'day' | 'total' | 'byType'> };
  /** Critical and escalated first; capped. */
  alarms?: { top: Alarm[]; totals: AlarmTotals };
  /** Communes at disaster risk level MOBILE_RISK_MIN_LEVEL (3) or more, highest first. */
  risk?: { communes: CommuneRisk[]; provisional: boolean };
}

/** The operator console: alarms and their health. */
export interface ConsoleSnapshot extends ViewBase {
  view: 'console';
  alarms: AlarmsSnapshot;
  health: AlarmHealth;
}
export interface ConsoleDelta extends ViewBase {
  view: 'console';
  alarms: AlarmsDelta;
  /** Sent about every 5 seconds. */
  health?: AlarmHealth;
}
export type MobileDelta = MobileSnapshot;

export type ViewSnapshot = WallSnapshot | MobileSnapshot | ConsoleSnapshot;
export type ViewDelta = WallDelta | MobileDelta | ConsoleDelta;

export interface ServerToClientEvents {
  'view:delta': (delta: ViewDelta) => void;
  /** Sent just before the server ends this session's sockets (logout, a revoked display, a role change). */
  'session:ended': (e: { reason: SessionEndReason }) => void;
}

export interface ClientToServerEvents {
  'view:subscribe': (req: SubscribeRequest, ack: (res: Ack<ViewSnapshot>) => void) => void;
  'view:unsubscribe': (req: SubscribeRequest, ack: (res: Ack<{ view: ViewName }>) => void) => void;
  'alarm:acknowledge': (req: AlarmAckRequest, ack: (res: Ack<Alarm>) => void) => void;
  'alarm:assign': (req: AlarmAssignRequest, ack: (res: Ack<Alarm>) => void) => void;
  'alarm:resolve': (req: AlarmResolveRequest, ack: (res: Ack<Alarm>) => void) => void;
}

/** Sent by the client in the Socket.IO handshake `auth`. */
export interface HandshakeAuth {
  protocolVersion: number;
}

/** Response of GET /api/province. */
export interface ProvinceInfo {
  slug: string;
  code: string;
  name: string;
  /** [west, south, east, north] */
  bbox: [number, number, number, number];
  communeCount: number;
  attribution: string;
  tickMs: number;
}

/** Response of GET /api/health (shared/health.ts owns it). */
export type { HealthResponse } from './health';
