import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBasins } from '../../shared/basins';
import { registrySchema } from '../../shared/devices';
import { PROVINCES } from './catalog';
import { deriveBasins } from './basins';
import { PROVINCES_DIR } from './geo';

const read = (slug: string, file: string): unknown => JSON.parse(readFileSync(join(PROVINCES_DIR, slug, file), 'utf8'));

describe.each(Object.keys(PROVINCES))('basins.json of %s', (slug) => {
  const registry = registrySchema.parse(read(slug, 'devices.json'));

  it('is valid against the registry and names every river gauge once', () => {
    const parsed = parseBasins(read(slug, 'basins.json'), registry);
    if ('error' in parsed) throw new Error(parsed.error);
    const rivers = registry.devices.filter((d) => d.kind === 'river-gauge').map((d) => d.id).sort();
    expect(parsed.data.gauges.map((g) => g.gaugeId).sort()).toEqual(rivers);
    expect(parsed.data.gauges.some((g) => g.upstream.length > 0)).toBe(true);
  });

  it('is what the generator makes from the registry today (rerun simulators/registry/basins.ts if not)', () => {
    expect(read(slug, 'basins.json')).toEqual(deriveBasins(registry, PROVINCES[slug]!.confluences));
  });
});

it('Quảng Ngãi: Sơn Giang is upstream of Trà Khúc on the same river; Hà Tĩnh: the La at Linh Cảm takes Ngàn Sâu and Ngàn Phố', () => {
  const qng = deriveBasins(registrySchema.parse(read('quang-ngai', 'devices.json')), PROVINCES['quang-ngai']!.confluences);
  expect(qng.gauges.find((g) => g.gaugeId === 'qng-hydro-0001')?.upstream.map((u) => u.id)).toContain('qng-hydro-0005');
  const hti = deriveBasins(registrySchema.parse(read('ha-tinh', 'devices.json')), PROVINCES['ha-tinh']!.confluences);
  expect(hti.gauges.find((g) => g.gaugeId === 'hti-hydro-0002')?.upstream.map((u) => u.id).sort()).toEqual(['hti-hydro-0001', 'hti-hydro-0003', 'hti-hydro-0006']);
});
