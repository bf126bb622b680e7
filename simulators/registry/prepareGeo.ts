/**
 * Copies the province geodata the product ships from the staging area into shared/provinces/<slug>/,
 * and cuts the national context layers down to each province's bbox plus a margin, so the map loads
 * only what it draws. Re-runnable: `npx tsx simulators/registry/prepareGeo.ts` (source: GEO_SRC, default
 * ../shared/geo relative to the repo root).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bbox } from '@turf/bbox';
import { bboxClip } from '@turf/bbox-clip';
import type { BBox, Feature, FeatureCollection, Geometry, Position } from 'geojson';
import type { ProvinceSlug } from '../../shared/provinces';
import { PROVINCES } from './catalog';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Degrees around the province bbox: enough to show the neighbours at the edge of the wall map. */
export const CONTEXT_MARGIN_DEG = 0.3;
/** ~1 m: the precision of the source boundaries; clipping adds long decimals otherwise. */
const PRECISION = 1e5;

const ADMIN_FILES = ['communes.geojson', 'province.geojson', 'commune-labels.geojson'] as const;
const KEPT_ADMIN_CLASSES = new Set(['Quốc Gia', 'Asean']);
const RAILWAY = 'Đường sắt';

/** Byte copy that does not carry over the staging area's read-only mode, so a re-run can overwrite. */
function copyFile(from: string, to: string): void {
  writeFileSync(to, readFileSync(from));
}

function readCollection(path: string): FeatureCollection {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    (parsed as { type?: unknown }).type !== 'FeatureCollection' ||
    !Array.isArray((parsed as { features?: unknown }).features)
  ) {
    throw new Error(`${path}: not a GeoJSON FeatureCollection`);
  }
  return parsed as FeatureCollection;
}

function roundLine(line: Position[]): Position[] {
  const out: Position[] = [];
  for (const p of line) {
    const q = [Math.round(p[0]! * PRECISION) / PRECISION, Math.round(p[1]! * PRECISION) / PRECISION];
    const last = out[out.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  return out;
}

/** Rounds coordinates and drops parts that clipping left degenerate; null when nothing is left. */
function cleanGeometry(g: Geometry): Geometry | null {
  const ring = (r: Position[]) => {
    const q = roundLine(r);
    return q.length >= 4 ? q : null;
  };
  const line = (l: Position[]) => {
    const q = roundLine(l);
    return q.length >= 2 ? q : null;
  };
  const polygon = (rings: Position[][]) => {
    const outer = rings[0] && ring(rings[0]);
    if (!outer) return null;
    const holes = rings.slice(1).flatMap((r) => {
      const q = ring(r);
      return q ? [q] : [];
    });
    return [outer, ...holes];
  };
  switch (g.type) {
    case 'LineString': {
      const l = line(g.coordinates);
      return l && { type: 'LineString', coordinates: l };
    }
    case 'MultiLineString': {
      const ls = g.coordinates.flatMap((l) => {
        const q = line(l);
        return q ? [q] : [];
      });
      if (ls.length === 0) return null;
      return ls.length === 1 ? { type: 'LineString', coordinates: ls[0]! } : { type: 'MultiLineString', coordinates: ls };
    }
    case 'Polygon': {
      const p = polygon(g.coordinates);
      return p && { type: 'Polygon', coordinates: p };
    }
    case 'MultiPolygon': {
      const ps = g.coordinates.flatMap((rings) => {
        const p = polygon(rings);
        return p ? [p] : [];
      });
      if (ps.length === 0) return null;
      return ps.length === 1 ? { type: 'Polygon', coordinates: ps[0]! } : { type: 'MultiPolygon', coordinates: ps };
    }
    default:
      throw new Error(`unexpected geometry ${g.type} in a context layer`);
  }
}

function clipCollection(fc: FeatureCollection, box: BBox): Feature[] {
  const out: Feature[] = [];
  for (const f of fc.features) {
    const g = f.geometry;
    if (g.type !== 'LineString' && g.type !== 'MultiLineString' && g.type !== 'Polygon' && g.type !== 'MultiPolygon') {
      throw new Error(`cannot clip ${g.type}`);
    }
    const clipped = cleanGeometry(bboxClip(g, box).geometry);
    if (clipped) out.push({ type: 'Feature', geometry: clipped, properties: f.properties });
  }
  return out;
}

/** One feature per line, like the staged sources: small diffs, still valid JSON. */
export function formatCollection(features: Feature[]): string {
  const body = features.map((f) => JSON.stringify(f)).join(',\n');
  return `{"type":"FeatureCollection","features":[\n${body}\n]}\n`;
}

function isKeptRoad(f: Feature): boolean {
  const p = f.properties ?? {};
  return KEPT_ADMIN_CLASSES.has(String(p.adminClass)) || p.roadClass === RAILWAY;
}

export function prepareProvince(src: string, slug: ProvinceSlug, outRoot: string): Record<string, number> {
  const outDir = join(outRoot, slug);
  const contextDir = join(outDir, 'context');
  mkdirSync(contextDir, { recursive: true });
  for (const file of ADMIN_FILES) copyFile(join(src, 'admin', slug, file), join(outDir, file));

  const province = readCollection(join(src, 'admin', slug, 'province.geojson'));
  const [w, s, e, n] = bbox(province);
  const box: BBox = [w - CONTEXT_MARGIN_DEG, s - CONTEXT_MARGIN_DEG, e + CONTEXT_MARGIN_DEG, n + CONTEXT_MARGIN_DEG];

  const ctx = (name: string) => readCollection(join(src, 'context', name));
  const roads = ctx('vn-major-roads.geojson');
  const provinces = readCollection(join(src, 'admin', 'vn-provinces-34.geojson'));
  const code = PROVINCES[slug]?.code;
  if (code === undefined) throw new Error(`${slug}: no ${join(outRoot, slug, 'province.json')}; write it first`);
  const layers: Record<string, Feature[]> = {
    'land.geojson': clipCollection(ctx('surrounding-land.geojson'), box),
    'rivers.geojson': clipCollection(ctx('ne-rivers.geojson'), box),
    'roads.geojson': clipCollection({ ...roads, features: roads.features.filter(isKeptRoad) }, box),
    'neighbours.geojson': clipCollection(
      { ...provinces, features: provinces.features.filter((f) => String(f.properties?.code) !== code) },
      box,
    ),
  };
  const counts: Record<string, number> = {};
  for (const [file, features] of Object.entries(layers)) {
    writeFileSync(join(contextDir, file), formatCollection(features));
    counts[file] = features.length;
  }
  return counts;
}

function main(): void {
  const src = resolve(REPO_ROOT, process.env.GEO_SRC ?? '../shared/geo');
  if (!existsSync(join(src, 'admin'))) throw new Error(`no geodata at ${src} (set GEO_SRC)`);
  const outRoot = join(REPO_ROOT, 'shared', 'provinces');
  for (const slug of Object.keys(PROVINCES) as ProvinceSlug[]) {
    const counts = prepareProvince(src, slug, outRoot);
    console.log(`${slug}: ${Object.entries(counts).map(([f, c]) => `${f} ${c}`).join(', ')}`);
  }
  const licences = join(outRoot, 'LICENSES');
  mkdirSync(licences, { recursive: true });
  for (const file of readdirSync(join(src, 'LICENSES'))) copyFile(join(src, 'LICENSES', file), join(licences, file));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  }
}
