/**
 * The seeded device registry: `npx tsx simulators/registry/generate.ts [--province slug] [--seed N]`
 * writes shared/provinces/<slug>/devices.json (every province when --province is not given).
 * The same seed gives byte-identical files; each kind of device draws from its own stream, so changing
 * how one kind is placed leaves the others as they were.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { registrySchema, type Registry } from '../../shared/devices';
import { isProvinceSlug, PROVINCES } from './catalog';
import { createRandom, hashSeed } from '../../shared/random';
import {
  addAirStations,
  addCameras,
  addEnergyMeters,
  addRainGauges,
  addReservoirs,
  addRiverGauges,
  addStreetLights,
  addWastewaterStations,
  FleetWriter,
} from './fleet';
import { loadProvinceGeo, PROVINCES_DIR, type ProvinceGeo } from './geo';
import { sitesOf } from './sites';

export const DEFAULT_SEED = 2025;
export const GENERATED_BY = 'simulators/registry/generate.ts';

export function generateRegistry(geo: ProvinceGeo, seed: number): Registry {
  const sites = sitesOf(geo.meta);
  const stream = (kind: string) => createRandom(hashSeed(`${geo.slug}:${kind}`, seed));
  const w = new FleetWriter(sites.prefix);
  addAirStations(w, geo, stream('air'));
  addWastewaterStations(w, geo, stream('water'), sites);
  addRiverGauges(w, geo, sites);
  addRainGauges(w, geo, stream('rain'));
  addCameras(w, geo, stream('camera'));
  addStreetLights(w, geo, stream('light'));
  addEnergyMeters(w, geo, stream('meter'));
  // Last, so that a province without reservoirs keeps its registry byte for byte.
  addReservoirs(w, geo, sites);

  const parsed = registrySchema.safeParse({ province: geo.slug, seed, generatedBy: GENERATED_BY, devices: w.devices });
  if (!parsed.success) throw new Error(`${geo.slug}: generated registry is invalid: ${z.prettifyError(parsed.error)}`);
  const ids = new Set(parsed.data.devices.map((d) => d.id));
  if (ids.size !== parsed.data.devices.length) throw new Error(`${geo.slug}: duplicate device ids`);
  return parsed.data;
}

/** Valid JSON with one device per line: reviewable diffs when the generator changes. */
export function formatRegistry(reg: Registry): string {
  const head = [
    `  "province": ${JSON.stringify(reg.province)},`,
    `  "seed": ${JSON.stringify(reg.seed)},`,
    `  "generatedBy": ${JSON.stringify(reg.generatedBy)},`,
  ];
  const devices = reg.devices.map((d) => `    ${JSON.stringify(d)}`).join(',\n');
  return `{\n${head.join('\n')}\n  "devices": [\n${devices}\n  ]\n}\n`;
}

function main(argv: string[]): void {
  const { values } = parseArgs({
    args: argv,
    options: { province: { type: 'string' }, seed: { type: 'string' } },
    strict: true,
  });
  const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
  if (!Number.isSafeInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
  const only = values.province;
  if (only !== undefined && !isProvinceSlug(only)) {
    throw new Error(`unknown province ${only}; one of ${Object.keys(PROVINCES).join(', ')}`);
  }
  const slugs = only === undefined ? Object.keys(PROVINCES) : [only];
  for (const slug of slugs) {
    const reg = generateRegistry(loadProvinceGeo(slug), seed);
    const file = join(PROVINCES_DIR, slug, 'devices.json');
    writeFileSync(file, formatRegistry(reg));
    const byKind = new Map<string, number>();
    for (const d of reg.devices) byKind.set(d.kind, (byKind.get(d.kind) ?? 0) + 1);
    console.log(`${slug} (seed ${seed}): ${reg.devices.length} devices → ${file}`);
    for (const [kind, n] of byKind) console.log(`  ${kind.padEnd(20)} ${n}`);
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
