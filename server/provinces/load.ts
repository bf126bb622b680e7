/**
 * Loads a province's shipped data (shared/provinces/<slug>/, the data half of shared/): the device
 * registry, the communes' extent, the road segments and the basins of the river forecasts. createApp takes the result as a part, so tests
 * and the bench hand it a registry of their own.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseBasins, type BasinGauge, type BasinsFile } from '../../shared/basins';
import { registrySchema, type Registry } from '../../shared/devices';
import type { ProvinceMeta, ProvinceSlug } from '../../shared/provinces';
import { PROVINCES, PROVINCES_DIR } from './catalog';
import { segmentsFileSchema, type Segment } from '../../shared/traffic';
import { z } from 'zod';
import { resolveAlarmTimings, type AlarmTimings } from '../alarms/timings';
import { parseSusceptibilityFile, type SusceptibilityFile } from '../../shared/communeRisk';
import type { RiskCommune } from '../domain/risk/communeRisk';

export { PROVINCES_DIR };

export interface ProvinceData {
  slug: ProvinceSlug;
  code: string;
  name: string;
  /** Its province.json: zones, gauges as placed, scenario places. */
  meta: ProvinceMeta;
  dir: string;
  registry: Registry;
  /** Content hash of devices.json: clients refetch the registry when it changes. */
  registryVersion: string;
  bbox: [number, number, number, number];
  communeCount: number;
  /** Road segments between traffic cameras (segments.json, built by simulators/registry/segments/). */
  segments: readonly Segment[];
  /** Escalation, storm and offline timings: the defaults with the province's alarms.json, if it has one. */
  alarmTimings: AlarmTimings;
  /** River gauges' upstream gauges and rain gauges, for the forecasts (basins.json; empty: no forecasts). */
  basins: readonly BasinGauge[];
  /** What the communes' disaster risk levels need: their centres and susceptibility classes (absent: no levels). */
  risk?: { communes: readonly (RiskCommune & { unitType: string })[]; susceptibility: SusceptibilityFile };
}

export function loadRegistry(slug: ProvinceSlug, dir = path.join(PROVINCES_DIR, slug)): { registry: Registry; version: string } {
  const file = path.join(dir, 'devices.json');
  const text = readFileSync(file, 'utf8');
  const parsed = registrySchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(`${file}: invalid registry: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return { registry: parsed.data, version: createHash('sha256').update(text).digest('hex').slice(0, 16) };
}

/** The province's alarm timings: alarms.json in its folder is optional; a bad one stops the start with its file and field. */
export function loadAlarmTimings(dir: string): AlarmTimings {
  const file = path.join(dir, 'alarms.json');
  if (!existsSync(file)) return resolveAlarmTimings({}, file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  return resolveAlarmTimings(raw, file);
}

export function loadProvince(slug: ProvinceSlug): ProvinceData {
  const meta = PROVINCES[slug];
  if (!meta) throw new Error(`unknown province '${slug}' (known: ${Object.keys(PROVINCES).join(', ')})`);
  const dir = path.join(PROVINCES_DIR, slug);
  const { registry, version } = loadRegistry(slug, dir);
  const communes = JSON.parse(readFileSync(path.join(dir, 'communes.geojson'), 'utf8')) as { features: { geometry: Geometry }[] };
  const bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of communes.features) extend(bbox, f.geometry.coordinates);
  return {
    slug,
    code: meta.code,
    name: meta.name,
    meta,
    dir,
    registry,
    registryVersion: version,
    bbox: bbox.map((v) => Math.round(v * 1e5) / 1e5) as [number, number, number, number],
    communeCount: communes.features.length,
    segments: readSegmentsFile(slug, dir),
    alarmTimings: loadAlarmTimings(dir),
    basins: loadBasins(registry, dir).gauges,
    risk: { communes: readCommuneCentres(dir), susceptibility: loadSusceptibility(dir) },
  };
}

/** Each commune's centre, from commune-labels.geojson (a point inside it). */
export function readCommuneCentres(dir: string): (RiskCommune & { unitType: string })[] {
  const file = path.join(dir, 'commune-labels.geojson');
  const fc = JSON.parse(readFileSync(file, 'utf8')) as { features: { properties?: { code?: unknown; unitType?: unknown }; geometry?: { coordinates?: unknown } }[] };
  return fc.features.map((f) => {
    const code = String(f.properties?.code ?? '');
    const c = f.geometry?.coordinates;
    if (!/^\d{5}$/.test(code) || !Array.isArray(c) || typeof c[0] !== 'number' || typeof c[1] !== 'number') {
      throw new Error(`${file}: a label without a commune code or a point`);
    }
    return { code, lon: c[0], lat: c[1], unitType: String(f.properties?.unitType ?? '') };
  });
}

/** The province's susceptibility.json (the shipped one is provisional); a bad one stops the start with its file. */
export function loadSusceptibility(dir: string): SusceptibilityFile {
  const file = path.join(dir, 'susceptibility.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not readable JSON: ${(err as Error).message}`, { cause: err });
  }
  return parseSusceptibilityFile(raw, file);
}

/** Reads and validates a province's checked-in segments.json. */
export function readSegmentsFile(slug: ProvinceSlug, dir = path.join(PROVINCES_DIR, slug)): readonly Segment[] {
  const file = path.join(dir, 'segments.json');
  const parsed = segmentsFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
  if (parsed.data.province !== slug) throw new Error(`${file}: is for province ${parsed.data.province}`);
  return parsed.data.segments;
}

/**
 * Reads and validates a province's basins.json (river gauges' upstream gauges and rain gauges, for the
 * forecasts) against its registry; a bad file throws with its name.
 */
export function loadBasins(registry: Registry, dir: string): BasinsFile {
  const file = path.join(dir, 'basins.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not readable JSON: ${(err as Error).message}`, { cause: err });
  }
  const parsed = parseBasins(raw, registry);
  if ('error' in parsed) throw new Error(`${file}: ${parsed.error}`);
  return parsed.data;
}

interface Geometry {
  coordinates: unknown;
}

function extend(bbox: [number, number, number, number], coords: unknown): void {
  if (!Array.isArray(coords)) return;
  if (typeof coords[0] === 'number') {
    const [x, y] = coords as [number, number];
    if (x < bbox[0]) bbox[0] = x;
    if (y < bbox[1]) bbox[1] = y;
    if (x > bbox[2]) bbox[2] = x;
    if (y > bbox[3]) bbox[3] = y;
    return;
  }
  for (const c of coords) extend(bbox, c);
}
