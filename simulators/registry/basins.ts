/**
 * A first basin topology from the registry: `npx tsx simulators/registry/basins.ts` writes
 * shared/provinces/<slug>/basins.json for every province.
 *
 * - Upstream links on one river: the river's gauges ordered by their alarm levels (a gauge's BĐ I follows
 *   its datum, so higher levels mean further up); each gauge's upstream is the next one up.
 * - Confluences: hand-entered in the province.json (a tributary's lowest gauge → the first gauge below where it joins).
 * - Travel time: straight-line distance × SINUOSITY at CELERITY_KMH, rounded to the half hour. A placeholder
 *   for the stations' own corresponding-levels tables, and said so in the file's caveats.
 * - Rain gauges: the simulator's catchment rule (simulators/fleet/catchment.ts), so the model can learn what
 *   the fleet simulates; not the real watershed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { basinsFileSchema, type BasinGauge, type BasinsFile } from '../../shared/basins';
import { registrySchema, type Device, type Registry } from '../../shared/devices';
import { PROVINCES } from './catalog';
import { catchments, distanceKm } from '../fleet/catchment';
import { PROVINCES_DIR } from './geo';

export const GENERATED_BY = 'simulators/registry/basins.ts';
const SINUOSITY = 1.4;
const CELERITY_KMH = 5;

const CAVEATS = [
  `Travel times are straight-line distance × ${SINUOSITY} at ${CELERITY_KMH} km/h, not measured: replace them with the stations' corresponding-levels tables.`,
  'Rain gauges follow the simulator catchment rule (a radius, not seaward), not the surveyed watershed; the Sê San gauges (Kon Tum) drain west, which the rule ignores.',
  'Confluence links are hand-entered from maps and unchecked against the hydrological stations.',
];

const num = (d: Device, key: string): number => {
  const v = d.props?.[key];
  return typeof v === 'number' ? v : Number.NaN;
};
const station = (d: Device): string => String(d.props?.station ?? d.name);
const travelH = (a: Device, b: Device): number => Math.max(1, Math.round(((distanceKm(a, b) * SINUOSITY) / CELERITY_KMH) * 2) / 2);

/** Confluences are the province.json's: [tributary's gauge, first gauge below where it joins], by station name. */
export function deriveBasins(registry: Registry, confluences: readonly (readonly [string, string])[]): BasinsFile {
  const slug = registry.province;
  const rivers = registry.devices.filter((d) => d.kind === 'river-gauge');
  const byStation = new Map(rivers.map((d) => [station(d), d]));
  const rain = catchments(registry.devices);
  const upstream = new Map<string, BasinGauge['upstream']>(rivers.map((d) => [d.id, []]));

  const byRiver = new Map<string, Device[]>();
  for (const d of rivers) {
    const river = String(d.props?.river ?? '');
    byRiver.set(river, [...(byRiver.get(river) ?? []), d]);
  }
  for (const [river, gauges] of byRiver) {
    const down = [...gauges].sort((a, b) => num(a, 'bd1') - num(b, 'bd1'));
    for (let i = 0; i + 1 < down.length; i++) {
      const g = down[i] as Device;
      const up = down[i + 1] as Device;
      upstream.get(g.id)?.push({ id: up.id, travelH: travelH(up, g), basis: `same river (${river}), ordered by alarm level` });
    }
  }
  for (const [from, to] of confluences) {
    const up = byStation.get(from);
    const g = byStation.get(to);
    if (!up || !g) throw new Error(`${slug}: confluence ${from} → ${to}: no such station in the registry`);
    upstream.get(g.id)?.push({ id: up.id, travelH: travelH(up, g), basis: `confluence: ${String(up.props?.river)} joins ${String(g.props?.river)}` });
  }

  const file: BasinsFile = {
    province: registry.province,
    generatedBy: GENERATED_BY,
    caveats: CAVEATS,
    gauges: rivers.map((d) => ({
      gaugeId: d.id,
      river: String(d.props?.river ?? ''),
      upstream: upstream.get(d.id) ?? [],
      rainGauges: (rain.get(d.id) ?? []).map((g) => g.id),
    })),
  };
  return basinsFileSchema.parse(file);
}

function main(): void {
  for (const [slug, meta] of Object.entries(PROVINCES)) {
    const dir = join(PROVINCES_DIR, slug);
    const registry = registrySchema.parse(JSON.parse(readFileSync(join(dir, 'devices.json'), 'utf8')));
    writeFileSync(join(dir, 'basins.json'), `${JSON.stringify(deriveBasins(registry, meta.confluences), null, 2)}\n`);
    console.log(`${slug}: basins.json written`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
