/**
 * The wall as it was at an instant of the past ("History that lasts", point 2), rebuilt from the stores alone:
 * the live table, env and alarm book are never touched, so a look at last night costs the live wall nothing.
 *
 * - Stations: a fresh EnvironmentService is fed the 26 h before `at` (one streamed export per station type,
 *   as the warm start does at boot) and flushed at `at`: VN_AQI, compliance, river stage and rate, rain totals
 *   and the hydrographs are what the wall would have shown then.
 * - Other devices: `latestAt` over three of the registry's longest report intervals (enough to say online or
 *   not); a device silent for longer shows ts 0.
 * - Alarms: those open at `at`, each as its last audited decision at or before `at`.
 */
import { countAlarmTotals, severityRank, type Alarm } from '../../shared/alarms';
import type { Device } from '../../shared/devices';
import { HYDRO_BUCKET_MS, HYDRO_WINDOW_MS } from '../../shared/environment';
import type { DevicePatch, HistoricWallSnapshot, TypeCounts } from '../../shared/events';
import { DEVICE_TYPES, REJECT_REASONS, type DeviceType, type RejectReason } from '../../shared/mqtt';
import { MISSED_REPORTS_OFFLINE } from '../devices/deviceTable';
import { HOURS_KEPT } from '../domain/air/hourlyMeans';
import { EnvironmentService } from '../domain/env/environment';
import { MAX_LOOKBACK_MS, MAX_RANGE_POINTS, type ReadingStore } from '../store/readings/port';
import { WARM_START_HOURS } from '../store/readings/warmStart';
import type { AlarmStore } from '../store/alarmStore';

/** The station types the environment service derives state for. */
const STATION_TYPES = ['air', 'water', 'hydro', 'rain'] as const satisfies readonly DeviceType[];
const HOUR_MS = 3_600_000;
/** Open alarms listed at most (openTotal tells the rest), as the live snapshot caps its list. */
export const HISTORIC_ALARMS_CAP = 500;

export interface SnapshotAtDeps {
  readings: Pick<ReadingStore, 'exportRange' | 'latestAt' | 'range' | 'rangeBucketed'>;
  devices: readonly Device[];
  alarms: Pick<AlarmStore, 'openAt'>;
  registryVersion: string;
}

export async function snapshotAt(deps: SnapshotAtDeps, at: number): Promise<HistoricWallSnapshot> {
  const { devices } = deps;
  const index = new Map(devices.map((d, i) => [d.id, i]));
  const ts = new Float64Array(devices.length);
  const values: (Record<string, number> | undefined)[] = new Array(devices.length);

  const env = new EnvironmentService(devices);
  const take = (i: number, t: number, v: Record<string, number>): void => {
    env.onTelemetry(i, t, v, at);
    if (t >= ts[i]!) {
      ts[i] = t;
      values[i] = v;
    }
  };
  // Stations: one pass per type over the 26 h before `at`, rows in (device, ts) order.
  const from = at - WARM_START_HOURS * HOUR_MS;
  const hourStart = Math.floor(at / HOUR_MS) * HOUR_MS;
  for (const type of STATION_TYPES) {
    // Air indices read hourly means only: the completed hours come from the hourly rollups (the same
    // means, a sixtieth of the rows at one reading a minute); the hour under way from the raw rows.
    for await (const row of deps.readings.exportRange(type, type === 'air' ? hourStart : from, at + 1)) {
      const i = index.get(row.deviceId);
      if (i !== undefined) take(i, row.ts, row.values);
    }
  }
  await feedAirHours(deps, env, hourStart, (i) => ts[i] === 0, (i, t, v) => {
    ts[i] = t;
    values[i] = v;
  });
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

  const open = deps.alarms.openAt(at, HISTORIC_ALARMS_CAP);
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
    alarms: {
      rev: open.items.reduce((m, a) => Math.max(m, a.rev), 0),
      open: open.items.sort(byUrgency),
      openTotal: open.total,
      totals: countAlarmTotals(open.items),
    },
    historic: { at },
  };
}

/** Most urgent first: severity, then escalated, then newest. */
function byUrgency(a: Alarm, b: Alarm): number {
  return severityRank(b.severity) - severityRank(a.severity) || b.escalationLevel - a.escalationLevel || b.raisedAt - a.raisedAt;
}

/**
 * Feeds each air station's completed hours of the 25 before `hourStart` as one reading per hour (the hour's
 * means), which gives the env's hourly means exactly. A station silent since `hourStart` gets its latest
 * reading (for `ts` and `v`) from the raw rows of its last hour.
 */
async function feedAirHours(
  deps: SnapshotAtDeps,
  env: EnvironmentService,
  hourStart: number,
  silent: (i: number) => boolean,
  latest: (i: number, ts: number, values: Record<string, number>) => void,
): Promise<void> {
  for (let i = 0; i < deps.devices.length; i++) {
    const d = deps.devices[i]!;
    if (d.type !== 'air') continue;
    const hours = await deps.readings.rangeBucketed(d.id, hourStart - (HOURS_KEPT - 1) * HOUR_MS, hourStart, '1h');
    for (const b of hours) {
      if (b.ts >= hourStart) continue;
      env.onTelemetry(i, b.ts, Object.fromEntries(Object.entries(b.metrics).map(([k, m]) => [k, m.mean])), hourStart);
    }
    const last = hours.at(-1);
    if (last === undefined || !silent(i)) continue;
    const p = (await deps.readings.range(d.id, last.ts, hourStart, { limit: MAX_RANGE_POINTS })).at(-1);
    if (p) latest(i, p.ts, p.values);
  }
}
