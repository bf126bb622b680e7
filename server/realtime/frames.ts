/**
 * Builds the frames the views receive: one snapshot on subscribe, one coalesced delta per
 * tick, shared by every client of a view (built once, not per client). Pure functions of the
 * tick's result (server/pipeline.ts) and the state objects passed in, which they only read.
 */
import type {
  DevicePatch,
  IngestStats,
  MobileSnapshot,
  MqttState,
  OfflineDevice,
  WallDelta,
  WallSnapshot,
} from '../../shared/events';
import type { MobileEnvSummary, MobileRelease } from '../../shared/events';
import { packColumns } from '../../shared/packedDevices';
import type { TickResult } from '../pipeline';
import type { ClockInfo } from '../../shared/simClock';
import type { DegradedDependency } from '../../shared/health';
import { HYDRO_BUCKET_MS, HYDRO_WINDOW_MS, type HydroDerived } from '../../shared/environment';
import type { DeviceTable } from '../devices/deviceTable';
import type { EnvironmentService } from '../domain/env/environment';
import type { ForecastService } from '../domain/forecast/service';
import type { TomorrowService } from '../domain/air/tomorrowService';
import { forecastsFirst } from '../../shared/forecastAlarm';
import { mobileAirTomorrow, mobileRiversAhead } from './mobileForecasts';
import type { TrafficService } from '../domain/traffic/trafficService';
import type { CommuneRiskService } from '../domain/risk/communeRisk';
import type { FireDangerService } from '../domain/fire/fireDangerService';
import { MOBILE_RISK_MIN_LEVEL } from '../../shared/communeRisk';
import type { AlarmService } from '../alarms/service';
import type { ConsoleDelta, ConsoleSnapshot } from '../../shared/events';
import { countAlarmTotals, type Alarm, type AlarmHealth } from '../../shared/alarms';
import type { Ingest } from '../ingest/ingest';
import type { RateMeter } from '../ingest/rateMeter';

/** The phone lists at most this many offline devices (offlineTotal tells the rest). */
export const MOBILE_OFFLINE_CAP = 50;

export interface FrameSources {
  table: DeviceTable;
  ingest: Ingest;
  rate: RateMeter;
  registryVersion: string;
  mqtt: () => MqttState;
  /** The instance's dependencies that are down (server/cluster/dependencies.ts); absent: none are listed. */
  degraded?: () => DegradedDependency[];
  clock: () => ClockInfo;
  env: EnvironmentService;
  /** River-level forecasts (absent: the wall gets none). */
  forecasts?: Pick<ForecastService, 'all'>;
  /** Tomorrow's air quality per station (absent: none). */
  airTomorrow?: Pick<TomorrowService, 'all'>;
  traffic: TrafficService;
  alarms: AlarmService;
  /** Communes' disaster risk levels (absent: the views get none). */
  risk?: Pick<CommuneRiskService, 'snapshot'>;
  /** Forest fire danger per commune (absent: none). */
  fire?: Pick<FireDangerService, 'snapshot'>;
}

/** Hydrographs: 24 h of 10-minute means per river gauge. */
const MOBILE_LIST_CAP = 10;

export function patchOf(src: FrameSources, i: number): DevicePatch {
  const { table } = src;
  const p: DevicePatch = { i, on: table.online[i] === 1 ? 1 : 0, ts: table.lastSeen[i]! };
  // Bulk IoT values are not watched live on the wall; they stay on the server (API).
  const v = table.values[i];
  if (v !== undefined && table.typeAt(i) !== 'iot') p.v = v;
  const x = src.env.derived(i);
  if (x !== undefined) p.x = x;
  return p;
}

export function ingestStats(src: FrameSources): IngestStats {
  return {
    accepted: src.ingest.accepted,
    history: src.ingest.history,
    rejected: { ...src.ingest.rejected },
    refused: { ...src.ingest.refused },
    ratePerSec: Math.round(src.rate.ratePerSec() * 10) / 10,
    stuckSensors: src.ingest.stuck.count,
  };
}

function base(src: FrameSources, seq: number, at: number) {
  const degraded = src.degraded?.() ?? [];
  return {
    seq,
    at,
    registryVersion: src.registryVersion,
    counts: src.table.counts(),
    ingest: ingestStats(src),
    mqtt: src.mqtt(),
    // Absent while all is well: a few bytes per frame only while something is down.
    ...(degraded.length > 0 ? { degraded } : {}),
    clock: src.clock(),
  };
}

export function wallSnapshot(src: FrameSources, seq: number, at: number): WallSnapshot {
  const devices: DevicePatch[] = new Array(src.table.size);
  const hydrographs: NonNullable<WallSnapshot['hydrographs']> = [];
  for (let i = 0; i < src.table.size; i++) {
    devices[i] = patchOf(src, i);
    if (src.table.typeAt(i) === 'hydro') {
      const points = src.env.historyOf(i)?.downsample('waterLevel', at - HYDRO_WINDOW_MS, at, HYDRO_BUCKET_MS) ?? [];
      hydrographs.push({ i, points });
    }
  }
  return {
    view: 'wall',
    ...base(src, seq, at),
    devices,
    rateHistory: src.rate.history(),
    communes: src.env.communes(),
    hydrographs,
    ...(src.forecasts ? { forecasts: src.forecasts.all() } : {}),
    ...(src.airTomorrow ? { airTomorrow: src.airTomorrow.all() } : {}),
    traffic: src.traffic.snapshot(at),
    alarms: src.alarms.snapshot(),
    ...(src.risk ? { risk: src.risk.snapshot() } : {}),
    ...(src.fire ? { fire: src.fire.snapshot() } : {}),
  };
}

export function wallDelta(src: FrameSources, seq: number, r: TickResult): WallDelta {
  // A bulk IoT device's only news for the wall is going offline or coming back: its readings (every
  // minute, 100,000 devices) change nothing the wall draws. Those go packed straight from the table's
  // columns; the stations keep their values as JSON patches.
  const stations: DevicePatch[] = [];
  for (const i of r.devices) if (src.table.typeAt(i) !== 'iot') stations.push(patchOf(src, i));
  let bulk = 0;
  for (const i of r.flipped) if (src.table.typeAt(i) === 'iot') bulk++;
  const bulkIdx = new Uint32Array(bulk);
  let k = 0;
  for (const i of r.flipped) if (src.table.typeAt(i) === 'iot') bulkIdx[k++] = i;
  return {
    view: 'wall',
    ...base(src, seq, r.at),
    devices: stations,
    // No attachment when no bulk device changed: nothing binary to send or to handle.
    ...(bulk > 0 ? { packed: packColumns(bulkIdx, src.table.online, src.table.lastSeen) } : {}),
    rateSamples: r.rateSamples.slice(),
    communes: r.communes.slice(),
    ...(r.forecasts.length > 0 ? { forecasts: r.forecasts.slice() } : {}),
    ...(r.airTomorrow.length > 0 ? { airTomorrow: r.airTomorrow.slice() } : {}),
    traffic: r.traffic,
    alarms: r.alarms,
    ...(r.risk.length > 0 ? { risk: r.risk.slice() } : {}),
    ...(r.fire.length > 0 ? { fire: r.fire.slice() } : {}),
  };
}

/** `health` is a query of the alarm store (server/alarms/health.ts): the hub fetches it before. */
export function consoleSnapshot(src: FrameSources, seq: number, at: number, health: AlarmHealth): ConsoleSnapshot {
  return { view: 'console', ...base(src, seq, at), alarms: src.alarms.snapshot(), health };
}

/** `health` rides along when given (about every 5 s). */
export function consoleDelta(src: FrameSources, seq: number, r: TickResult, health?: AlarmHealth): ConsoleDelta {
  const d: ConsoleDelta = { view: 'console', ...base(src, seq, r.at), alarms: r.alarms };
  if (health) d.health = health;
  return d;
}

const MOBILE_ALARMS_CAP = 20;

/**
 * The phone's order: forecast alarms first, soonest crossing first (the early warning is what a leader acts on
 * before the river is there), then critical and escalated, then the rest by urgency (the snapshot's order).
 */
const phoneOrder = forecastsFirst<Alarm>((a, b) => top(a) - top(b));
function top(a: Alarm): number {
  return a.severity === 'critical' || a.escalationLevel > 0 ? 0 : 1;
}

/** The phone's alarm list: forecast alarms, then critical and escalated, then the rest by urgency. */
export function mobileAlarms(src: FrameSources): NonNullable<MobileSnapshot['alarms']> {
  // The counts are the service's, over every open alarm: the snapshot's list is capped.
  const { open, totals } = src.alarms.snapshot();
  const sorted = open.slice().sort(phoneOrder);
  return { top: sorted.slice(0, MOBILE_ALARMS_CAP), totals };
}

/** Worst first, capped: what a leader needs on a phone. */
export function mobileEnv(src: FrameSources): MobileEnvSummary {
  const out: MobileEnvSummary = { aqiBands: [0, 0, 0, 0, 0, 0], worstAir: [], riversAboveBd1: [], wastewaterExceeding: [], heavyRain: [] };
  const releases: MobileRelease[] = [];
  for (let i = 0; i < src.table.size; i++) {
    const x = src.env.derived(i);
    if (!x) continue;
    switch (x.kind) {
      case 'air':
        if (x.aqi !== null && x.band !== null) {
          out.aqiBands[x.band - 1] = (out.aqiBands[x.band - 1] ?? 0) + 1;
          out.worstAir.push({ i, aqi: x.aqi, band: x.band });
        }
        break;
      case 'hydro':
        if (x.level !== null && x.stage > 0) out.riversAboveBd1.push({ i, level: x.level, stage: x.stage as 1 | 2 | 3, rateCmH: x.rateCmH });
        break;
      case 'water':
        if (x.status === 'exceeding') {
          const params = Object.entries(x.params).filter(([, p]) => p?.status === 'exceeding');
          const since = Math.min(...params.map(([, p]) => p?.exceedingSince ?? Infinity));
          out.wastewaterExceeding.push({ i, params: params.map(([k]) => k), since: Number.isFinite(since) ? since : null });
        }
        break;
      case 'rain':
        if (x.category24h !== null) out.heavyRain.push({ i, h24: x.h24, category: x.category24h });
        break;
      case 'reservoir':
        if (x.release !== null) {
          // Releasing: what the plant reports now; announced: what its notice plans.
          const n = x.notice;
          const now = x.release === 'releasing';
          releases.push({
            i,
            release: x.release,
            startsAt: n?.startsAt ?? null,
            gates: (now && x.gatesOpen ? x.gatesOpen : n?.gates) ?? null,
            outflow: (now ? x.outflow : n?.outflow) ?? null,
            downstream: x.downstream,
          });
        }
        break;
    }
  }
  out.worstAir = out.worstAir.sort((a, b) => b.aqi - a.aqi).slice(0, MOBILE_LIST_CAP);
  out.riversAboveBd1 = out.riversAboveBd1.sort((a, b) => b.stage - a.stage || b.level - a.level).slice(0, MOBILE_LIST_CAP);
  out.wastewaterExceeding = out.wastewaterExceeding.sort((a, b) => (a.since ?? Infinity) - (b.since ?? Infinity)).slice(0, MOBILE_LIST_CAP);
  out.heavyRain = out.heavyRain.sort((a, b) => b.h24 - a.h24).slice(0, MOBILE_LIST_CAP);
  const air = src.airTomorrow ? mobileAirTomorrow(src.airTomorrow.all()) : undefined;
  if (air) out.airTomorrow = air;
  if (src.forecasts) out.riversAhead = mobileRiversAhead(src.forecasts.all(), (i) => hydroOf(src, i));
  if (releases.length > 0) out.releases = releases.sort((a, b) => Number(b.release === 'releasing') - Number(a.release === 'releasing') || a.i - b.i);
  return out;
}

function hydroOf(src: FrameSources, i: number): HydroDerived | undefined {
  const x = src.env.derived(i);
  return x?.kind === 'hydro' ? x : undefined;
}

export function mobileFrame(src: FrameSources, seq: number, at: number): MobileSnapshot {
  const { table } = src;
  let offline: OfflineDevice[] = [];
  for (let i = 0; i < table.size; i++) {
    if (table.online[i] === 1 || table.typeAt(i) === 'iot') continue;
    offline.push({ i, since: table.offlineSince[i]! });
  }
  const offlineTotal = offline.length;
  // Most recently lost first: that is the news. Never-seen devices (since 0) last.
  offline = offline.sort((a, b) => b.since - a.since).slice(0, MOBILE_OFFLINE_CAP);
  const v = src.traffic.violations.summary(at);
  return {
    view: 'mobile',
    ...base(src, seq, at),
    offline,
    offlineTotal,
    env: mobileEnv(src),
    traffic: { incidents: src.traffic.openIncidents(), violationsToday: { day: v.day, total: v.total, byType: v.byType } },
    alarms: mobileAlarms(src),
    ...(src.risk ? { risk: mobileRisk(src.risk) } : {}),
  };
}

/** The phone's communes at risk level 3 or more, highest first, then the wettest. */
export function mobileRisk(risk: Pick<CommuneRiskService, 'snapshot'>): NonNullable<MobileSnapshot['risk']> {
  const s = risk.snapshot();
  const communes = s.communes
    .filter((c) => c.level >= MOBILE_RISK_MIN_LEVEL)
    .sort((a, b) => b.level - a.level || (b.rain24h ?? 0) - (a.rain24h ?? 0) || a.code.localeCompare(b.code));
  return { communes, provisional: s.provisional };
}

/**
 * The phone's frame for a commune-scoped user (a commune chair): only their communes' devices, stations and
 * alarms; the province's device counts and violations stay out (they would show the whole province).
 * Traffic incidents have no commune of their own and are left out too.
 */
export function scopeMobileFrame(src: FrameSources, frame: MobileSnapshot, communes: ReadonlySet<string>, communeOf: (i: number) => string): MobileSnapshot {
  const keep = (x: { i: number }) => communes.has(communeOf(x.i));
  const env = frame.env && {
    aqiBands: [0, 0, 0, 0, 0, 0] as MobileEnvSummary['aqiBands'],
    worstAir: frame.env.worstAir.filter(keep),
    riversAboveBd1: frame.env.riversAboveBd1.filter(keep),
    wastewaterExceeding: frame.env.wastewaterExceeding.filter(keep),
    heavyRain: frame.env.heavyRain.filter(keep),
    ...(src.airTomorrow ? { airTomorrow: mobileAirTomorrow(src.airTomorrow.all(), (i) => communes.has(communeOf(i))) } : {}),
    ...(frame.env.riversAhead ? { riversAhead: frame.env.riversAhead.filter(keep) } : {}),
    // A release reaches the communes below the dam: an account sees it when one of them is its own, with those.
    ...withReleases(frame.env.releases && scopedReleases(frame.env.releases, communes)),
  };
  if (env) for (const a of env.worstAir) env.aqiBands[a.band - 1] = (env.aqiBands[a.band - 1] ?? 0) + 1;
  const offline = frame.offline.filter(keep);
  const open = src.alarms.snapshot().open.filter((a) => a.commune !== null && communes.has(a.commune));
  return {
    ...frame,
    offline,
    offlineTotal: offline.length,
    env,
    traffic: undefined,
    alarms: { top: open.sort(phoneOrder).slice(0, MOBILE_ALARMS_CAP), totals: countAlarmTotals(open) },
    ...(frame.risk ? { risk: { ...frame.risk, communes: frame.risk.communes.filter((c) => communes.has(c.code)) } } : {}),
  };
}

/** The releases that reach `communes`, each with only those downstream communes; absent when none does. */
export function scopedReleases(list: readonly MobileRelease[], communes: ReadonlySet<string>): MobileRelease[] | undefined {
  const out = list.map((r) => ({ ...r, downstream: r.downstream.filter((c) => communes.has(c)) })).filter((r) => r.downstream.length > 0);
  return out.length > 0 ? out : undefined;
}

const withReleases = (releases: MobileRelease[] | undefined): { releases?: MobileRelease[] } => (releases ? { releases } : {});
