/**
 * Writes the provisional landslide and flash-flood susceptibility classes of each province's communes,
 * shared/provinces/<slug>/susceptibility.json (`npx tsx simulators/registry/susceptibility.ts`). QĐ 18/2021
 * reads them from the national landslide zoning, which the province supplies; until it does, the product
 * ships this stand-in, marked `provisional: true` and labelled so in the legend. A file whose `provisional`
 * is false is the province's own and is never overwritten.
 *
 * The rule: no elevation data ships with the repo, so commune size stands in for terrain, as it does for the
 * rain gauges (fleet.ts): upland xã are large, lowland xã and phường small.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSusceptibilityFile, type SusceptibilityFile } from '../../shared/communeRisk';
import type { Susceptibility } from '../../shared/disasterRiskTable';
import { PROVINCES } from './catalog';
import { loadProvinceGeo, PROVINCES_DIR, type Commune } from './geo';

export const PROVISIONAL_METHOD =
  'Provisional, by commune size as a stand-in for terrain: phường thấp; đặc khu trung bình; xã under 50 km² thấp, 50–120 km² trung bình, 120–250 km² cao, 250 km² or more rất cao.';
export const PROVISIONAL_SOURCE = 'Tạm thời (IOC): chưa có bản đồ phân vùng nguy cơ sạt lở, lũ quét chính thức của tỉnh';

export function provisionalClass(c: Pick<Commune, 'unitType' | 'areaKm2'>): Susceptibility {
  if (c.unitType === 'phuong') return 'low';
  if (c.unitType === 'dac_khu') return 'medium';
  if (c.areaKm2 < 50) return 'low';
  if (c.areaKm2 < 120) return 'medium';
  if (c.areaKm2 < 250) return 'high';
  return 'very_high';
}

export function provisionalFile(communes: readonly Commune[]): SusceptibilityFile {
  const classes: Record<string, Susceptibility> = {};
  for (const c of [...communes].sort((a, b) => a.code.localeCompare(b.code))) classes[c.code] = provisionalClass(c);
  return { provisional: true, source: PROVISIONAL_SOURCE, method: PROVISIONAL_METHOD, classes };
}

function main(): void {
  for (const slug of Object.keys(PROVINCES)) {
    const file = join(PROVINCES_DIR, slug, 'susceptibility.json');
    if (existsSync(file) && !parseSusceptibilityFile(JSON.parse(readFileSync(file, 'utf8')), file).provisional) {
      console.log(`${slug}: official susceptibility.json kept`);
      continue;
    }
    const out = provisionalFile(loadProvinceGeo(slug).communes);
    const counts: Record<string, number> = {};
    for (const c of Object.values(out.classes)) counts[c] = (counts[c] ?? 0) + 1;
    writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
    console.log(`${slug}: ${JSON.stringify(counts)}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
