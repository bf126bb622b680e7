/**
 * The wall as it was at an instant of the past ("History that lasts", point 2), rebuilt from the stores alone:
 * the live table, env and alarm book are never touched. (The SQLite reads are synchronous, though: a build
 * holds the event loop for its store reads, a few hundred ms for a province; `npm run bench -- --only store` times it.)
 *
 * - Stations: a fresh EnvironmentService is fed the 26 h before `at` and flushed at `at`: VN_AQI, compliance,
 *   river stage and rate, rain totals and the hydrographs are what the wall would have shown then. Raw rows
 *   where the env needs each reading (rivers, the recent hours); hourly rollups where an hour's mean (air) or
 *   total (rain) gives the env exactly what its readings would (`stationPlans`); wastewater from its last hour
 *   or two, and the whole 26 h only where an exceedance may reach further back (`feedWater`).
 * - Other devices: `latestAt` over three of the registry's longest report intervals (enough to say online or
 *   not); a device silent for longer shows ts 0.
 * - Alarms: those open at `at`, each as its last audited decision at or before `at`.
 * - Disaster risk levels and forest fire danger (where the province has them): fresh services fed from the hourly
 *   rollups, the 8 days of rain before `at` and the 45 days of 13:00 weather up to its day, as the live server's
 *   warm start feeds them (`warmRainHours`, `warmFire`); levels as the live server would have had them then.
 */
import { countAlarmTotals, severityRank, type Alarm } from '../../shared/alarms';
import type { Device } from '../../shared/devices';
import { HYDRO_BUCKET_MS, HYDRO_WINDOW_MS } from '../../shared/environment';
import type { DevicePatch, HistoricWallSnapshot, TypeCounts } from '../../shared/events';
import { DEVICE_TYPES, REJECT_REASONS, type DeviceType, type RejectReason } from '../../shared/mqtt';
import { MISSED_REPORTS_OFFLINE } from '../devices/deviceTable';
import { HOURS_KEPT } from '../domain/air/hourlyMeans';
import { EnvironmentService } from '../domain/env/environment';
import { MAX_LOOKBACK_MS, MAX_RANGE_POINTS, type BucketPoint, type RawPoint, type ReadingStore } from '../store/readings/port';
import { exceedanceSettledWithin } from '../domain/water/compliance';
import { WARM_START_HOURS } from '../store/readings/warmStart';
import type { AlarmRecords } from '../store/alarmRecords';
import type { FireSnapshot } from '../../shared/fireDanger';
import type { RiskSnapshot } from '../../shared/communeRisk';
import { HOURLY_BINS, riskReadsOf, type CommuneRiskService } from '../domain/risk/communeRisk';
import { STEP_AFTER_MIN, vnDay, vnOnePm, type FireDangerService } from '../domain/fire/fireDangerService';
import { warmRainHours } from '../store/readings/warmRain';
import { splitNotice } from '../../shared/reservoir';
import { FIRE_WARM_DAYS, warmFire } from '../store/readings/warmFire';
import { forEachBucketed } from '../store/readings/forEachBucketed';

const HOUR_MS = 3_600_000;
/** Open alarms listed at most (openTotal tells the rest), as the live snapshot caps its list. */
export const HISTORIC_ALARMS_CAP = 500;

export interface SnapshotAtDeps {
  readings: Pick<ReadingStore, 'exportRange' | 'latestAt' | 'range' | 'rangeBucketed' | 'rangeBucketedMany'>;
  devices: readonly Device[];
  alarms: Pick<AlarmRecords, 'openAt'>;
  registryVersion: string;
  /** Fresh, empty services of the province's hazards (absent: the province has none, the snapshot neither). */
  hazards?: { risk(): CommuneRiskService; fire(): FireDangerService };
}

export async function snapshotAt(deps: SnapshotAtDeps, at: number): Promise<HistoricWallSnapshot> {
  const { devices } = deps;
  const index = new Map(devices.map((d, i) => [d.id, i]));
  const ts = new Float64Array(devices.length);
  const values: (Record<string, number> | undefined)[] = new Array(devices.length);

  const env = new EnvironmentService(devices);
  const take = (i: number, t: number, v: Record<string, number>): void => {
    env.onTelemetry(i, t, v, at);
    // A reservoir's stored release notice is not a report: the device's latest values stay the plant's last.
    const report = splitNotice(t, v).report;
    if (report && t >= ts[i]!) {
      ts[i] = t;
      values[i] = report;
    }
  };
  // Stations, type by type, each station's rows in time order: raw rows where the env needs them, hourly
  // rollups where an hour's mean or total gives the env exactly what its raw rows would (a sixtieth of the
  // rows at one reading a minute).
  const latestTs = (i: number) => ts[i]!;
  const latest = (i: number, t: number, v: Record<string, number>) => {
    ts[i] = t;
    values[i] = v;
  };
  for (const plan of stationPlans(at)) {
    for (const [from, to] of plan.raw) {
      // An empty span only places the hours (below): reading it would still ask once per station.
      if (from < to) {
        for await (const row of deps.readings.exportRange(plan.type, from, to)) {
          const i = index.get(row.deviceId);
          if (i !== undefined) take(i, row.ts, row.values);
        }
      }
      if (plan.hours && to === plan.hours.from) await feedHours(deps, env, index, plan.type, plan.hours, at);
    }
    if (plan.hours) await latestFromHours(deps, index, plan.type, plan.hours, latestTs, latest);
  }
  await feedWater(deps, env, index, at, take);
  env.flush(at, () => {});

  // Everything else (and a station's latest, should the export have missed it): the latest reading per device.
  const lookbackMs = Math.min(MAX_LOOKBACK_MS, Math.max(...devices.map((d) => d.reportIntervalSec * 1000)) * MISSED_REPORTS_OFFLINE);
  for (const snap of await deps.readings.latestAt(at, { lookbackMs })) {
    const i = index.get(snap.deviceId);
    if (i === undefined || env.isStation(i)) continue;
    // The latest reading is the metrics sharing the newest ts (the live table keeps a reading's values whole).
    let last = 0;
    for (const m of Object.values(snap.metrics)) last = Math.max(last, m.ts);
    const v: Record<string, number> = {};
    for (const [k, m] of Object.entries(snap.metrics)) if (m.ts === last) v[k] = m.value;
    ts[i] = last;
    values[i] = v;
  }

  const counts = Object.fromEntries(DEVICE_TYPES.map((t) => [t, { total: 0, online: 0 }])) as TypeCounts;
  const patches: DevicePatch[] = new Array(devices.length);
  const hydrographs: NonNullable<HistoricWallSnapshot['hydrographs']> = [];
  for (let i = 0; i < devices.length; i++) {
    const d = devices[i]!;
    const t = ts[i]!;
    // The live table's rule (DeviceTable.isLive): online while the last reading is younger than the missed reports.
    const on = t > 0 && at - t < d.reportIntervalSec * 1000 * MISSED_REPORTS_OFFLINE ? 1 : 0;
    const p: DevicePatch = { i, on, ts: t };
    const v = values[i];
    if (v !== undefined && d.type !== 'iot') p.v = v;
    const x = env.derived(i);
    if (x !== undefined) p.x = x;
    patches[i] = p;
    counts[d.type].total++;
    if (on) counts[d.type].online++;
    if (d.type === 'hydro') {
      hydrographs.push({ i, points: env.historyOf(i)?.downsample('waterLevel', at - HYDRO_WINDOW_MS, at, HYDRO_BUCKET_MS) ?? [] });
    }
  }

  const hazards = deps.hazards ? await hazardsAt(deps, deps.hazards, env, at) : undefined;
  const open = await deps.alarms.openAt(at, HISTORIC_ALARMS_CAP);
  return {
    view: 'wall',
    seq: 0,
    at,
    registryVersion: deps.registryVersion,
    counts,
    // Live-only: what the ingest saw at that instant is not stored.
    ingest: { accepted: 0, history: 0, rejected: Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<RejectReason, number>, ratePerSec: 0 },
    mqtt: { connected: false },
    rateHistory: [],
    devices: patches,
    communes: env.communes(),
    hydrographs,
    ...(hazards ?? {}),
    alarms: {
      rev: open.items.reduce((m, a) => Math.max(m, a.rev), 0),
      open: open.items.sort(byUrgency),
      openTotal: open.total,
      totals: countAlarmTotals(open.items),
    },
    historic: { at },
  };
}

/** The risk levels and fire danger at `at`, from the rollups alone (see the module comment). */
async function hazardsAt(
  deps: SnapshotAtDeps,
  make: NonNullable<SnapshotAtDeps['hazards']>,
  env: EnvironmentService,
  at: number,
): Promise<{ risk: RiskSnapshot; fire: FireSnapshot }> {
  const risk = make.risk();
  const fire = make.fire();
  await warmRainHours(deps.readings, deps.devices, (i, t, mm) => {
    risk.onRain(i, t, mm);
    fire.onRain(i, t, mm);
  }, at, HOURLY_BINS, at);
  risk.update(at, riskReadsOf(env));
  // Fire: every day whose 13:30 step had passed by `at`, from the 13:00 hour's means.
  const today = vnDay(at);
  const lastDay = at >= vnOnePm(today) + STEP_AFTER_MIN * 60_000 ? today : today - 1;
  await warmFire(deps.readings, deps.devices, fire, at, FIRE_WARM_DAYS, lastDay);
  return { risk: risk.snapshot(), fire: fire.snapshot() };
}

/** Most urgent first: severity, then escalated, then newest. */
function byUrgency(a: Alarm, b: Alarm): number {
  return severityRank(b.severity) - severityRank(a.severity) || b.escalationLevel - a.escalationLevel || b.raisedAt - a.raisedAt;
}

interface HourSpan {
  /** Hour-aligned [from, to): the hourly buckets fed. */
  from: number;
  to: number;
  /** What one bucket is fed as: one reading at the bucket's start. */
  value: (b: BucketPoint) => Record<string, number>;
  /** The only metrics `value` reads (absent: all of them). */
  metrics?: readonly string[];
}
interface StationPlan {
  /** A station type the environment service derives state for (but water: `feedWater`). */
  type: Extract<DeviceType, 'air' | 'hydro' | 'rain' | 'reservoir'>;
  /** Raw spans, in order; the hours (if any) are fed after the span that ends where they begin. */
  raw: [number, number][];
  hours?: HourSpan;
}

/** What each station type needs of the 26 h before `at` to be derived exactly as the live env would. */
function stationPlans(at: number): StationPlan[] {
  const end = at + 1;
  const from = at - WARM_START_HOURS * HOUR_MS;
  const hourStart = Math.floor(at / HOUR_MS) * HOUR_MS;
  // Air: VN_AQI reads hourly means only (every hour of the ring but the one under way).
  const airFrom = hourStart - (HOURS_KEPT - 1) * HOUR_MS;
  const mean = (b: BucketPoint) => Object.fromEntries(Object.entries(b.metrics).map(([k, m]) => [k, m.mean]));
  // Rain: sums over (at − 1 h, at], (at − 3 h, at] and (at − 24 h, at]; an hour wholly inside the 24 h and
  // wholly before the 3 h counts as its total, whatever its readings' times.
  const rainFrom = Math.floor((at - 24 * HOUR_MS) / HOUR_MS) * HOUR_MS + HOUR_MS;
  const rainTo = Math.max(rainFrom, Math.floor((at - 3 * HOUR_MS) / HOUR_MS) * HOUR_MS);
  const total = (b: BucketPoint): Record<string, number> => {
    const p = b.metrics.precipitation;
    return p ? { precipitation: p.sum } : {};
  };
  return [
    { type: 'air', raw: [[airFrom, airFrom], [hourStart, end]], hours: { from: airFrom, to: hourStart, value: mean } },
    { type: 'rain', raw: [[rainFrom - HOUR_MS, rainFrom], [rainTo, end]], hours: { from: rainFrom, to: rainTo, value: total, metrics: ['precipitation'] } },
    // River rates and the hydrographs follow every reading: raw. (Water is fed by `feedWater`.)
    { type: 'hydro', raw: [[from, end]] },
    // A reservoir's level, flows and open gates, and its release notices (stored beside the reports).
    { type: 'reservoir', raw: [[from, end]] },
  ];
}

/**
 * Wastewater stations: their state is the latest value and the exceedance run of each parameter, and a run
 * rarely outlasts an hour or two. So the last one to two hours are read raw for all of them at once; only a
 * station whose state may reach further back (a run going on since the window's first reading, a parameter
 * in its older hourly rollups but not in the window, or no reading in the window) reads its whole 26 h, and is
 * fed exactly as the live env would be. (Reading 26 h of every station raw was most of a snapshot's time.)
 */
async function feedWater(deps: SnapshotAtDeps, env: EnvironmentService, index: ReadonlyMap<string, number>, at: number, take: (i: number, ts: number, v: Record<string, number>) => void): Promise<void> {
  const from = at - WARM_START_HOURS * HOUR_MS;
  const windowStart = Math.max(from, Math.floor(at / HOUR_MS) * HOUR_MS - HOUR_MS);
  const recent = new Map<number, RawPoint[]>();
  for await (const row of deps.readings.exportRange('water', windowStart, at + 1)) {
    const i = index.get(row.deviceId);
    if (i === undefined) continue;
    let rows = recent.get(i);
    if (!rows) recent.set(i, (rows = []));
    rows.push(row);
  }
  for (let i = 0; i < deps.devices.length; i++) {
    const cfg = env.waterConfig(i);
    if (!cfg) continue;
    const rows = recent.get(i) ?? [];
    if (windowStart > from && !(await settledInWindow(deps, deps.devices[i]!.id, cfg, rows, from, windowStart))) {
      for (let t = from; ; ) {
        const older = await deps.readings.range(deps.devices[i]!.id, t, windowStart, { limit: MAX_RANGE_POINTS });
        for (const p of older) take(i, p.ts, p.values);
        if (older.length < MAX_RANGE_POINTS) break;
        t = older.at(-1)!.ts + 1;
      }
    }
    for (const p of rows) take(i, p.ts, p.values);
  }
}

async function settledInWindow(
  deps: SnapshotAtDeps,
  id: string,
  cfg: NonNullable<ReturnType<EnvironmentService['waterConfig']>>,
  rows: readonly RawPoint[],
  from: number,
  windowStart: number,
): Promise<boolean> {
  if (rows.length === 0 || !exceedanceSettledWithin(cfg.limits, cfg.maxGapMs, rows)) return false;
  const inWindow = new Set(rows.flatMap((r) => Object.keys(r.values)));
  for (const b of await deps.readings.rangeBucketed(id, from, windowStart, '1h')) {
    for (const m of Object.keys(b.metrics)) if (Object.hasOwn(cfg.limits, m) && !inWindow.has(m)) return false;
  }
  return true;
}

async function feedHours(deps: SnapshotAtDeps, env: EnvironmentService, index: ReadonlyMap<string, number>, type: DeviceType, span: HourSpan, at: number): Promise<void> {
  if (span.to <= span.from) return;
  const ids = deps.devices.filter((d) => d.type === type).map((d) => d.id);
  await forEachBucketed(deps.readings, ids, span.from, span.to, '1h', (id, points) => {
    const i = index.get(id)!;
    for (const b of points) if (b.ts >= span.from && b.ts < span.to) env.onTelemetry(i, b.ts, span.value(b), at);
  }, span.metrics ? { metrics: span.metrics } : {});
}

/** A station with no raw row after its hours: its latest reading from the raw rows of its last stored hour. */
async function latestFromHours(
  deps: SnapshotAtDeps,
  index: ReadonlyMap<string, number>,
  type: DeviceType,
  span: HourSpan,
  latestTs: (i: number) => number,
  latest: (i: number, ts: number, values: Record<string, number>) => void,
): Promise<void> {
  const lastHour = new Map<string, number>();
  const ids = deps.devices.filter((d, i) => d.type === type && latestTs(i) < span.to).map((d) => d.id);
  await forEachBucketed(deps.readings, ids, span.from, span.to, '1h', (id, points) => void lastHour.set(id, points.at(-1)!.ts));
  for (const [id, hour] of lastHour) {
    const i = index.get(id)!;
    const p = (await deps.readings.range(id, hour, span.to, { limit: MAX_RANGE_POINTS })).at(-1);
    if (p && p.ts > latestTs(i)) latest(i, p.ts, p.values);
  }
}
