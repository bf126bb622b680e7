import { describe, expect, it } from 'vitest';
import { readProvinceCatalog, type CatalogIo } from './provinces';

const good = {
  code: '14',
  name: 'Sơn La',
  plateCodes: ['26'],
  idPrefix: 'sla',
  gauges: [
    { station: 'Xã Là', river: 'Mã', lon: 103.9, lat: 21.1, levels: [1, 2, 3], bulletin: false, upstream: false },
    { station: 'Mường Lầm', river: 'Mã', lon: 103.6, lat: 21.2, levels: [4, 5, 6], bulletin: false, upstream: true },
  ],
  industry: [],
  confluences: [['Mường Lầm', 'Xã Là']],
  scenarios: { storm: [{ lon: 104, lat: 21, radiusKm: 20, peakMmH: 40 }], floodRivers: ['Mã'], cityCentre: { lon: 103.9, lat: 21.33 } },
  roads: { main: 'QL6', divided: [] },
  climate: { rainPeakDayOfYear: 200, rainSeasonHalfWidthDays: 50 },
  fireDanger: { bands: [1000, 2500, 5000, 10000], resetRainMm: 5, verified: false, source: 'test' },
  floodRisk: { reachKm: 10, verified: false, source: 'test' },
  riskZones: { parts: [{ formerProvince: 'Sơn La', zone: 1, communeCodePrefixes: [''] }], verified: false, source: 'test' },
};

/** A folder tree held in memory: dir/<slug>/province.json → text. */
function io(files: Record<string, string>, extraFolders: string[] = []): CatalogIo {
  return {
    folders: () => [...new Set([...Object.keys(files), ...extraFolders])],
    read: (file) => {
      const slug = file.split('/').at(-2)!;
      return files[slug];
    },
  };
}

describe('the province catalogue (shared/provinces/<slug>/province.json)', () => {
  it('reads every folder with a province.json, sorted, and skips folders without one', () => {
    const cat = readProvinceCatalog('/p', io({ 'son-la': JSON.stringify(good), 'an-giang': JSON.stringify({ ...good, name: 'An Giang' }) }, ['LICENSES']));
    expect(Object.keys(cat)).toEqual(['an-giang', 'son-la']);
    expect(cat['son-la']).toMatchObject({ slug: 'son-la', name: 'Sơn La', idPrefix: 'sla' });
  });

  it('names the file and the field of a bad province', () => {
    expect(() => readProvinceCatalog('/p', io({ 'son-la': JSON.stringify({ ...good, code: '1' }) }))).toThrow(/son-la\/province\.json[\s\S]*code/);
    expect(() => readProvinceCatalog('/p', io({ 'son-la': '{ not json' }))).toThrow(/son-la\/province\.json: not valid JSON/);
    expect(() => readProvinceCatalog('/p', io({ 'son-la': JSON.stringify({ ...good, surprise: 1 }) }))).toThrow(/surprise/);
  });

  it('refuses alarm levels that do not rise and confluences that name no gauge', () => {
    const flat = { ...good, gauges: [{ ...good.gauges[0], levels: [3, 2, 1] }, good.gauges[1]] };
    expect(() => readProvinceCatalog('/p', io({ 'son-la': JSON.stringify(flat) }))).toThrow(/levels must rise/);
    const lost = { ...good, confluences: [['Nậm Pàn', 'Xã Là']] };
    expect(() => readProvinceCatalog('/p', io({ 'son-la': JSON.stringify(lost) }))).toThrow(/'Nậm Pàn', which is not one of its gauges/);
  });

  it('refuses a folder name that is not a slug', () => {
    expect(() => readProvinceCatalog('/p', io({ 'Son La': JSON.stringify(good) }))).toThrow(/not a province slug/);
  });
});
