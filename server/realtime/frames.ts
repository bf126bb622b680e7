/**
 * Builds the frames the views receive: one snapshot on subscribe, one coalesced delta per
 * tick, shared by every client of a view (built once, not per client). Pure apart from the
 * state objects passed in.
 */
import type {
  DevicePatch,
  IngestStats,
  MobileSnapshot,
  MqttState,
  OfflineDevice,
  RateSample,
  WallDelta,
  WallSnapshot,
} from '../../shared/events';
import type { DeviceTable } from '../devices/deviceTable';
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
}

export function patchOf(table: DeviceTable, i: number): DevicePatch {
  const p: DevicePatch = { i, on: table.online[i] === 1 ? 1 : 0, ts: table.lastSeen[i]! };
  // Bulk IoT values are not watched live on the wall; they stay on the server (API).
  const v = table.values[i];
  if (v !== undefined && table.typeAt(i) !== 'iot') p.v = v;
  return p;
}

export function ingestStats(src: FrameSources): IngestStats {
  return {
    accepted: src.ingest.accepted,
    history: src.ingest.history,
    rejected: { ...src.ingest.rejected },
    ratePerSec: Math.round(src.rate.ratePerSec() * 10) / 10,
  };
}

function base(src: FrameSources, seq: number, at: number) {
  return {
    seq,
    at,
    registryVersion: src.registryVersion,
    counts: src.table.counts(),
    ingest: ingestStats(src),
    mqtt: src.mqtt(),
  };
}

export function wallSnapshot(src: FrameSources, seq: number, at: number): WallSnapshot {
  const devices: DevicePatch[] = new Array(src.table.size);
  for (let i = 0; i < src.table.size; i++) devices[i] = patchOf(src.table, i);
  return { view: 'wall', ...base(src, seq, at), devices, rateHistory: src.rate.history() };
}

export function wallDelta(src: FrameSources, seq: number, at: number, changed: DevicePatch[], rateSamples: RateSample[]): WallDelta {
  return { view: 'wall', ...base(src, seq, at), devices: changed, rateSamples };
}

export function mobileFrame(src: FrameSources, seq: number, at: number): MobileSnapshot {
  const { table } = src;
  const offline: OfflineDevice[] = [];
  let offlineTotal = 0;
  for (let i = 0; i < table.size; i++) {
    if (table.online[i] === 1 || table.typeAt(i) === 'iot') continue;
    offlineTotal++;
    if (offline.length < MOBILE_OFFLINE_CAP) offline.push({ i, since: table.offlineSince[i]! });
  }
  return { view: 'mobile', ...base(src, seq, at), offline, offlineTotal };
}
