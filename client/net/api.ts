/**
 * HTTP side of the server contract: static-ish data fetched once (province, registry, geometry).
 * Responses are validated at this edge (STYLE.md 3), never cast.
 */
import { z } from 'zod';
import { alarmSchema, alarmTotalsSchema } from '../../shared/alarms';
import { deviceSchema, type Device } from '../../shared/devices';
import type { CommuneRisk, FloodGaugeInfo } from '../../shared/communeRisk';
import type { CommuneEnv, StationDerived } from '../../shared/environment';
import type { CommuneFire } from '../../shared/fireDanger';
import type { HistoricWallSnapshot, IngestStats, ProvinceInfo } from '../../shared/events';
import { bucketedReadingsResponseSchema, type BucketedReadingsResponse } from '../../shared/requests';
import { goToLogin } from './auth';
import { DEVICE_TYPES, VEHICLE_CLASSES, VIOLATION_TYPES } from '../../shared/mqtt';
import { segmentSchema, type FeedViolation, type Segment } from '../../shared/traffic';

export const GEO_LAYERS = [
  'communes',
  'province',
  'commune-labels',
  'context/land',
  'context/neighbours',
  'context/rivers',
  'context/roads',
] as const;
export type GeoLayer = (typeof GEO_LAYERS)[number];

/** Absolute URL (MapLibre fetches sources from a worker, where relative URLs do not resolve). */
export function geoUrl(layer: GeoLayer): string {
  return new URL(`/api/geo/${layer}.geojson`, window.location.href).href;
}

const provinceSchema = z.object({
  slug: z.string(),
  code: z.string(),
  name: z.string(),
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  communeCount: z.number(),
  attribution: z.string(),
  tickMs: z.number().positive(),
});

const devicesResponseSchema = z.object({
  registryVersion: z.string(),
  devices: z.array(deviceSchema),
});
export interface DevicesResponse {
  registryVersion: string;
  devices: Device[];
}

const labelsSchema = z.object({
  features: z.array(
    z.object({
      geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }),
      properties: z.object({ code: z.string(), name: z.string(), unitType: z.string().optional() }),
    }),
  ),
});
export interface CommuneLabel {
  code: string;
  name: string;
  unitType: string | undefined;
  position: [number, number];
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly url: string,
  ) {
    super(`HTTP ${status} for ${url}`);
  }
}

/** GET a JSON answer, checked by `schema`; a 401 sends the page to the login. Every client read goes through here. */
export async function getJson<T>(path: string, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { signal, headers: { accept: 'application/json' } });
  if (res.status === 401) goToLogin('expired');
  if (!res.ok) throw new HttpError(res.status, path);
  const parsed = schema.safeParse(await res.json());
  if (!parsed.success) throw new Error(`Unexpected response from ${path}: ${parsed.error.message.slice(0, 300)}`);
  return parsed.data;
}

export function fetchProvince(signal?: AbortSignal): Promise<ProvinceInfo> {
  return getJson('/api/province', provinceSchema, signal);
}

export function fetchDevices(signal?: AbortSignal): Promise<DevicesResponse> {
  return getJson('/api/devices', devicesResponseSchema, signal);
}

export async function fetchCommuneLabels(signal?: AbortSignal): Promise<CommuneLabel[]> {
  const fc = await getJson(geoUrl('commune-labels'), labelsSchema, signal);
  return fc.features.map((f) => ({
    code: f.properties.code,
    name: f.properties.name,
    unitType: f.properties.unitType,
    position: f.geometry.coordinates,
  }));
}

const segmentsResponseSchema = z.object({ segments: z.array(segmentSchema) });

/** Road segment geometry for the traffic layer (once; live levels come over the socket). */
export async function fetchSegments(signal?: AbortSignal): Promise<Segment[]> {
  return (await getJson('/api/traffic/segments', segmentsResponseSchema, signal)).segments;
}

/**
 * A device's stored readings in minute or hour buckets, over the server's last 24 hours (its clock: simulated
 * time in a rehearsal), or the 24 hours up to `to` (the wall's time machine), for a station card's charts.
 */
export function fetchBucketedReadings(deviceId: string, bucket: '1m' | '1h', signal?: AbortSignal, to?: number): Promise<BucketedReadingsResponse> {
  const q = new URLSearchParams({ bucket });
  if (to !== undefined) q.set('to', new Date(to).toISOString());
  return getJson(`/api/devices/${encodeURIComponent(deviceId)}/readings?${q}`, bucketedReadingsResponseSchema, signal);
}

const feedViolationSchema = z.object({
  id: z.string(),
  ts: z.number(),
  cameraId: z.string(),
  commune: z.string(),
  road: z.string().nullable(),
  segmentId: z.string().nullable(),
  violation: z.enum(VIOLATION_TYPES),
  vehicleType: z.enum(VEHICLE_CLASSES),
  plate: z.string(),
  speedKmh: z.number().optional(),
  speedLimitKmh: z.number().optional(),
  fineVnd: z.tuple([z.number(), z.number()]).readonly().nullable(),
});

/** The latest violations, masked plates only (GET /api/traffic/violations). */
export async function fetchViolationFeed(signal?: AbortSignal): Promise<FeedViolation[]> {
  return (await getJson('/api/traffic/violations', z.object({ feed: z.array(feedViolationSchema) }), signal)).feed;
}

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = z.number().finite();

/**
 * The history snapshot, checked down to what the store indexes by (device indices, counts, alarms); the
 * derived station and commune records are the live frames' own types, checked as objects.
 */
const historicWallSnapshotSchema = z.object({
  view: z.literal('wall'),
  seq: num,
  at: num,
  registryVersion: z.string(),
  counts: z.record(z.enum(DEVICE_TYPES), z.object({ total: num, online: num })),
  ingest: z.custom<IngestStats>(isObject),
  mqtt: z.object({ connected: z.boolean() }),
  rateHistory: z.array(z.tuple([num, num])),
  devices: z.array(
    z.object({
      i: z.number().int().nonnegative(),
      on: z.union([z.literal(0), z.literal(1)]),
      ts: num,
      v: z.record(z.string(), num).optional(),
      x: z.custom<StationDerived>(isObject).optional(),
    }),
  ),
  communes: z.array(z.custom<CommuneEnv>(isObject)).optional(),
  hydrographs: z.array(z.object({ i: num, points: z.array(z.tuple([num, num])) })).optional(),
  alarms: z.object({ rev: num, open: z.array(alarmSchema), openTotal: num, totals: alarmTotalsSchema }).optional(),
  // Kept when the server sends the levels of then (it does not yet: the past shows none, not today's).
  risk: z
    .object({
      communes: z.array(z.custom<CommuneRisk>(isObject)),
      provisional: z.boolean(),
      susceptibilitySource: z.string(),
      flood: z
        .object({ verified: z.boolean(), source: z.string(), gauges: z.array(z.custom<FloodGaugeInfo>(isObject)) })
        .nullable(),
    })
    .optional(),
  // Likewise the fire danger levels of then (not sent yet: the past shows none rather than today's).
  fire: z
    .object({
      communes: z.array(z.custom<CommuneFire>(isObject)),
      rule: z.object({ bands: z.tuple([num, num, num, num]), resetRainMm: num }),
      source: z.string(),
      verified: z.boolean(),
    })
    .optional(),
  historic: z.object({ at: num }),
});

/** The wall as it was at `at` (server time, within the stored history), for the wall's time machine. */
export function fetchHistorySnapshot(at: number, signal?: AbortSignal): Promise<HistoricWallSnapshot> {
  const q = new URLSearchParams({ at: new Date(at).toISOString() });
  return getJson(`/api/history/snapshot?${q}`, historicWallSnapshotSchema, signal);
}
