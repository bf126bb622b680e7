/**
 * HTTP side of the server contract: static-ish data fetched once (province, registry, geometry).
 * Responses are validated at this edge (STYLE.md 3), never cast.
 */
import { z } from 'zod';
import { deviceSchema, type Device } from '../../shared/devices';
import type { ProvinceInfo } from '../../shared/events';
import { bucketedReadingsResponseSchema, type BucketedReadingsResponse } from '../../shared/requests';
import { goToLogin } from './auth';
import { VEHICLE_CLASSES, VIOLATION_TYPES } from '../../shared/mqtt';
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

async function getJson<T>(path: string, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
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
 * time in a rehearsal), for a station card's charts (on demand).
 */
export function fetchBucketedReadings(deviceId: string, bucket: '1m' | '1h', signal?: AbortSignal): Promise<BucketedReadingsResponse> {
  const q = new URLSearchParams({ bucket });
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
