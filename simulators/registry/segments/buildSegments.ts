/**
 * Writes shared/provinces/<slug>/segments.json from the province's roads, communes and cameras:
 * `npm run segments:build [-- --province slug]` (every province by default).
 * Deterministic: the same inputs give byte-identical files, and a unit test checks the checked-in files
 * are up to date, so regenerate after devices.json or the road data change.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { FeatureCollection } from 'geojson';
import { z } from 'zod';
import { registrySchema } from '../../../shared/devices';
import type { ProvinceSlug } from '../../../shared/provinces';
import { isProvinceSlug, PROVINCES } from '../catalog';
import { segmentsFileSchema, type SegmentsFile } from '../../../shared/traffic';
import { buildSegments, type SegmentBuildResult } from './segments';

export const PROVINCES_DIR = fileURLToPath(new URL('../../../shared/provinces', import.meta.url));
export const GENERATED_BY = 'simulators/registry/segments/buildSegments.ts';

function readCollection(path: string): FeatureCollection {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const ok = z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) }).safeParse(parsed);
  if (!ok.success) throw new Error(`${path}: not a GeoJSON FeatureCollection`);
  return parsed as FeatureCollection;
}

/** Reads a province's inputs and builds its segments (I/O here; the building itself is pure). */
export function buildProvinceSegments(slug: ProvinceSlug, dir = PROVINCES_DIR): SegmentBuildResult {
  const base = join(dir, slug);
  const meta = PROVINCES[slug];
  if (!meta) throw new Error(`unknown province ${slug}`);
  const registry = registrySchema.safeParse(JSON.parse(readFileSync(join(base, 'devices.json'), 'utf8')));
  if (!registry.success) throw new Error(`${slug}/devices.json: ${z.prettifyError(registry.error)}`);
  return buildSegments({
    roads: readCollection(join(base, 'context', 'roads.geojson')),
    communes: readCollection(join(base, 'communes.geojson')),
    devices: registry.data.devices,
    config: { trunkRoads: meta.roads.divided },
  });
}

/** Valid JSON with one segment per line: reviewable diffs when the inputs change. */
export function formatSegmentsFile(file: SegmentsFile): string {
  const parsed = segmentsFileSchema.safeParse(file);
  if (!parsed.success) throw new Error(`segments for ${file.province} are invalid: ${z.prettifyError(parsed.error)}`);
  const head = [`  "province": ${JSON.stringify(file.province)},`, `  "generatedBy": ${JSON.stringify(file.generatedBy)},`];
  const segments = file.segments.map((s) => `    ${JSON.stringify(s)}`).join(',\n');
  return `{\n${head.join('\n')}\n  "segments": [\n${segments}\n  ]\n}\n`;
}

function main(argv: string[]): void {
  const { values } = parseArgs({ args: argv, options: { province: { type: 'string' } }, strict: true });
  const only = values.province;
  if (only !== undefined && !isProvinceSlug(only)) {
    throw new Error(`unknown province ${only}; one of ${Object.keys(PROVINCES).join(', ')}`);
  }
  const slugs = only === undefined ? Object.keys(PROVINCES) : [only];
  for (const slug of slugs) {
    const { segments, warnings } = buildProvinceSegments(slug);
    const file = join(PROVINCES_DIR, slug, 'segments.json');
    writeFileSync(file, formatSegmentsFile({ province: slug, generatedBy: GENERATED_BY, segments }));
    console.log(`${slug}: ${segments.length} segments → ${file}`);
    const byRoad = new Map<string, { n: number; km: number; cams: number }>();
    for (const s of segments) {
      const r = byRoad.get(s.road) ?? { n: 0, km: 0, cams: 0 };
      r.n += 1;
      r.km += s.lengthKm;
      r.cams += s.cameraIds.forward.length + s.cameraIds.backward.length;
      byRoad.set(s.road, r);
    }
    for (const [road, r] of byRoad) {
      const n = String(r.n).padStart(3);
      const km = r.km.toFixed(1).padStart(6);
      console.log(`  ${road.padEnd(6)} ${n} segments ${km} km ${String(r.cams).padStart(3)} cameras`);
    }
    for (const w of warnings) console.warn(`  warning: ${w}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  }
}
