/** Loads a province's checked-in geodata (shared/provinces/<slug>/), validated, plus small geometry helpers. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { z } from 'zod';
import { createCommuneIndex, type CommuneIndex } from '../../shared/communeIndex';
import { PROVINCE_FILE, parseProvinceFile, type ProvinceMeta, type ProvinceSlug } from '../../shared/provinces';

export const PROVINCES_DIR = fileURLToPath(new URL('../../shared/provinces', import.meta.url));

const position = z.array(z.number().finite()).min(2);
const polygonGeometry = z.union([
  z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(position)) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(position))) }),
]);
const lineGeometry = z.union([
  z.object({ type: z.literal('LineString'), coordinates: z.array(position) }),
  z.object({ type: z.literal('MultiLineString'), coordinates: z.array(z.array(position)) }),
]);
const unitType = z.enum(['xa', 'phuong', 'dac_khu']);

const communesSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      geometry: polygonGeometry,
      properties: z.object({
        code: z.string().regex(/^\d{5}$/),
        name: z.string().min(1),
        fullName: z.string().min(1),
        unitType,
        areaKm2: z.number().positive(),
      }),
    }),
  ),
});
const labelsSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      geometry: z.object({ type: z.literal('Point'), coordinates: position }),
      properties: z.object({ code: z.string(), name: z.string(), fullName: z.string(), unitType }),
    }),
  ),
});
const roadsSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      geometry: lineGeometry,
      properties: z.object({ name: z.string(), roadClass: z.string(), adminClass: z.string() }),
    }),
  ),
});

export type UnitType = z.infer<typeof unitType>;
export type LonLat = [number, number];

export interface Commune {
  code: string;
  name: string;
  fullName: string;
  unitType: UnitType;
  areaKm2: number;
  /** Interior point from commune-labels.geojson: the commune centre for clustering. */
  label: LonLat;
  /** [west, south, east, north]. */
  bbox: [number, number, number, number];
}

export interface Road {
  name: string;
  lines: LonLat[][];
}

export interface ProvinceGeo {
  slug: ProvinceSlug;
  /** Its province.json. */
  meta: ProvinceMeta;
  communes: Commune[];
  byCode: Map<string, Commune>;
  index: CommuneIndex;
  roads: Road[];
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function parse<T>(schema: z.ZodType<T>, path: string): T {
  const r = schema.safeParse(readJson(path));
  if (!r.success) throw new Error(`${path}: ${z.prettifyError(r.error)}`);
  return r.data;
}

function bboxOf(g: Polygon | MultiPolygon): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const rings of polys) {
    for (const [x, y] of rings[0] ?? []) {
      b[0] = Math.min(b[0], x!);
      b[1] = Math.min(b[1], y!);
      b[2] = Math.max(b[2], x!);
      b[3] = Math.max(b[3], y!);
    }
  }
  return b;
}

const toLonLat = (p: Position): LonLat => [p[0]!, p[1]!];

export function loadProvinceGeo(slug: ProvinceSlug, dir = PROVINCES_DIR): ProvinceGeo {
  const base = join(dir, slug);
  const metaFile = join(base, PROVINCE_FILE);
  const meta = parseProvinceFile(slug, readJson(metaFile), metaFile);
  const communesFc = parse(communesSchema, join(base, 'communes.geojson'));
  const labels = parse(labelsSchema, join(base, 'commune-labels.geojson'));
  const roadsFc = parse(roadsSchema, join(base, 'context', 'roads.geojson'));

  const labelByCode = new Map(labels.features.map((f) => [f.properties.code, toLonLat(f.geometry.coordinates)]));
  const communes = communesFc.features.map((f): Commune => {
    const label = labelByCode.get(f.properties.code);
    if (!label) throw new Error(`${slug}: commune ${f.properties.code} has no label point`);
    const { code, name, fullName, unitType, areaKm2 } = f.properties;
    return { code, name, fullName, unitType, areaKm2, label, bbox: bboxOf(f.geometry) };
  });

  const roads = new Map<string, Road>();
  for (const f of roadsFc.features) {
    const name = f.properties.name;
    const road = roads.get(name) ?? { name, lines: [] };
    const lines = f.geometry.type === 'LineString' ? [f.geometry.coordinates] : f.geometry.coordinates;
    for (const l of lines) road.lines.push(l.map(toLonLat));
    roads.set(name, road);
  }

  return {
    slug,
    meta,
    communes,
    byCode: new Map(communes.map((c) => [c.code, c])),
    index: createCommuneIndex(communesFc as FeatureCollection),
    roads: [...roads.values()],
  };
}

export { distanceM, distanceToSegmentM, roundCoord } from '../../shared/geometry';
