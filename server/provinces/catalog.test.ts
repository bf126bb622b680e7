import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { riskZoneOfCommune } from '../../shared/disasterRiskTable';
import { PROVINCES, PROVINCES_DIR } from './catalog';
import { loadProvince } from './load';

describe('the shipped provinces', () => {
  const withRegistry = readdirSync(PROVINCES_DIR).filter((d) => existsSync(path.join(PROVINCES_DIR, d, 'devices.json')));

  it('has a province.json for every folder with a registry, and a registry for every province.json', () => {
    expect(withRegistry.length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(PROVINCES).sort()).toEqual(withRegistry.sort());
  });

  it.each(Object.keys(PROVINCES))('%s: loads, and every commune has a disaster-risk zone part', (slug) => {
    const p = loadProvince(slug);
    expect(p.meta.riskZones.verified).toBe(false); // Phụ lục XII not read (STANDARDS.md §7)
    expect(p.registry.province).toBe(slug);
    const communes = JSON.parse(readFileSync(path.join(p.dir, 'communes.geojson'), 'utf8')) as { features: { properties: { code: string } }[] };
    const zoneless = communes.features.map((f) => f.properties.code).filter((code) => riskZoneOfCommune(p.meta.riskZones, code) === undefined);
    expect(zoneless).toEqual([]);
  });
});
