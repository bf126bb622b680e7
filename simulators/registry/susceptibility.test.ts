import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSusceptibilityFile } from '../../shared/communeRisk';
import { PROVINCES } from './catalog';
import { loadProvinceGeo, PROVINCES_DIR } from './geo';
import { provisionalClass, provisionalFile } from './susceptibility';

describe.each(Object.keys(PROVINCES))('shared/provinces/%s/susceptibility.json', (slug) => {
  const file = join(PROVINCES_DIR, slug, 'susceptibility.json');
  const data = parseSusceptibilityFile(JSON.parse(readFileSync(file, 'utf8')), file);
  const geo = loadProvinceGeo(slug);

  it('classes every commune of the province, and only those', () => {
    expect(Object.keys(data.classes).sort()).toEqual(geo.communes.map((c) => c.code).sort());
  });

  it('is what the generator makes while it is provisional (regenerate after changing the rule)', () => {
    if (data.provisional) expect(data).toEqual(provisionalFile(geo.communes));
    else expect(data.source).not.toMatch(/Tạm thời/);
  });
});

describe('the provisional rule (commune size stands in for terrain)', () => {
  it('puts phường low and grows with a xã’s area, at the edges', () => {
    expect(provisionalClass({ unitType: 'phuong', areaKm2: 400 })).toBe('low');
    expect(provisionalClass({ unitType: 'dac_khu', areaKm2: 10 })).toBe('medium');
    expect(provisionalClass({ unitType: 'xa', areaKm2: 49.9 })).toBe('low');
    expect(provisionalClass({ unitType: 'xa', areaKm2: 50 })).toBe('medium');
    expect(provisionalClass({ unitType: 'xa', areaKm2: 120 })).toBe('high');
    expect(provisionalClass({ unitType: 'xa', areaKm2: 250 })).toBe('very_high');
  });
});
