import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registrySchema, type Device, type DeviceKind } from '../../shared/devices';
import type { ProvinceSlug } from '../../shared/provinces';
import { PROVINCES } from './catalog';
import { formatRegistry, generateRegistry } from './generate';
import { distanceM, distanceToSegmentM, loadProvinceGeo, PROVINCES_DIR, type LonLat } from './geo';
import { apportion } from './placement';
import { isNationalHighway, shortRoadName } from './roads';

const SLUGS = Object.keys(PROVINCES);

/** STANDARDS.md §3, typed in again here so a wrong edit of sites.ts cannot pass. */
const REAL_GAUGES: Record<ProvinceSlug, { station: string; river: string; at: LonLat; bd: [number, number, number] }[]> = {
  'quang-ngai': [
    { station: 'Trà Khúc', river: 'Trà Khúc', at: [108.8, 15.13], bd: [3.5, 5.0, 6.5] },
    { station: 'Châu Ổ', river: 'Trà Bồng', at: [108.71, 15.29], bd: [2.5, 3.5, 4.5] },
    { station: 'Sông Vệ', river: 'Vệ', at: [108.83, 14.99], bd: [2.5, 3.5, 4.5] },
    { station: 'Trà Câu', river: 'Trà Câu', at: [108.91, 14.82], bd: [3.5, 4.5, 5.5] },
  ],
  'ha-tinh': [
    { station: 'Hòa Duyệt', river: 'Ngàn Sâu', at: [105.59, 18.36], bd: [7.5, 9.0, 10.5] },
    { station: 'Linh Cảm', river: 'La', at: [105.6, 18.53], bd: [4.5, 5.5, 6.5] },
    { station: 'Sơn Diệm', river: 'Ngàn Phố', at: [105.38, 18.51], bd: [10.0, 11.5, 13.0] },
  ],
};

/** kind → [type, reportIntervalSec, id token, count check]. */
const SPEC: Record<DeviceKind, [Device['type'], number, string, (n: number) => boolean]> = {
  'air-station': ['air', 60, 'air', (n) => n >= 40],
  'wastewater-station': ['water', 60, 'water', (n) => n === 15],
  'river-gauge': ['hydro', 60, 'hydro', (n) => n >= 10],
  'rain-gauge': ['rain', 60, 'rain', (n) => n === 60],
  'traffic-camera': ['camera', 30, 'cam', (n) => n === 150],
  'street-light': ['iot', 60, 'light', (n) => n === 1400],
  'energy-meter': ['iot', 60, 'meter', (n) => n === 600],
  // Only where the province lists its reservoirs (Sơn La's two); one per listed dam.
  reservoir: ['reservoir', 60, 'res', (n) => n >= 0 && n <= 10],
};

function loadCheckedIn(slug: ProvinceSlug) {
  const text = readFileSync(join(PROVINCES_DIR, slug, 'devices.json'), 'utf8');
  return { text, registry: registrySchema.parse(JSON.parse(text)) };
}

describe('generateRegistry', () => {
  const geo = loadProvinceGeo('ha-tinh');

  it('gives byte-identical output for the same seed and different output for another', () => {
    const a = formatRegistry(generateRegistry(geo, 7));
    const b = formatRegistry(generateRegistry(geo, 7));
    const c = formatRegistry(generateRegistry(geo, 8));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    // Same ids and gauges (fixed sites), different random placements.
    expect(c.split('\n').length).toBe(a.split('\n').length);
  });

  it('writes valid JSON with one device per line', () => {
    const reg = generateRegistry(geo, 7);
    const text = formatRegistry(reg);
    expect(JSON.parse(text)).toEqual(reg);
    expect(text.split('\n').filter((l) => l.trimStart().startsWith('{"id"'))).toHaveLength(reg.devices.length);
  });
});

describe('apportion', () => {
  it('splits a total by weight, largest remainders first', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(90, [142.7, 139.6, 96.8, 19.3])).toEqual([32, 32, 22, 4]);
    expect(apportion(5, [0, 0])).toEqual([0, 0]);
  });
});

describe.each(SLUGS)('checked-in shared/provinces/%s/devices.json', (slug) => {
  const { text, registry } = loadCheckedIn(slug);
  const geo = loadProvinceGeo(slug);
  const byKind = (k: DeviceKind) => registry.devices.filter((d) => d.kind === k);

  it('is what the generator makes from its seed (regenerate after changing the generator)', () => {
    expect(registry.province).toBe(slug);
    expect(formatRegistry(generateRegistry(geo, registry.seed))).toBe(text);
  });

  it('has the expected fleet: counts, types, report intervals, unique ids', () => {
    for (const [kind, [type, interval, token, countOk]] of Object.entries(SPEC) as [DeviceKind, (typeof SPEC)[DeviceKind]][]) {
      const ds = byKind(kind);
      expect(countOk(ds.length), `${kind}: ${ds.length}`).toBe(true);
      for (const d of ds) {
        expect(d.type).toBe(type);
        expect(d.reportIntervalSec).toBe(interval);
        expect(d.id).toMatch(new RegExp(`^${PROVINCES[slug]!.idPrefix}-${token}-\\d{4}$`));
      }
    }
    expect(new Set(registry.devices.map((d) => d.id)).size).toBe(registry.devices.length);
  });

  it('puts every device inside the commune it names', () => {
    const wrong = registry.devices.filter((d) => geo.index.communeAt(d.lon, d.lat)?.code !== d.commune);
    expect(wrong.map((d) => d.id)).toEqual([]);
  });

  it('has the real gauges with their BĐ levels, near their real places', () => {
    for (const g of REAL_GAUGES[slug] ?? []) {
      const d = byKind('river-gauge').find((x) => x.props?.station === g.station);
      expect(d, g.station).toBeDefined();
      expect(d!.props).toMatchObject({ river: g.river, bd1: g.bd[0], bd2: g.bd[1], bd3: g.bd[2] });
      expect(String(d!.props!.levelsSource)).toMatch(/bulletin/i);
      expect(distanceM([d!.lon, d!.lat], g.at)).toBeLessThan(3000);
    }
    for (const d of byKind('river-gauge')) {
      const p = d.props!;
      expect(typeof p.upstream).toBe('boolean');
      expect(Number(p.bd1)).toBeLessThan(Number(p.bd2));
      expect(Number(p.bd2)).toBeLessThan(Number(p.bd3));
      const real = (REAL_GAUGES[slug] ?? []).some((g) => g.station === p.station);
      if (!real) expect(String(p.levelsSource)).toMatch(/illustrative/i);
    }
  });

  it('gives wastewater stations their QCVN 40:2011 settings', () => {
    for (const d of byKind('wastewater-station')) {
      expect(d.props?.regulation).toBe('QCVN40:2011');
      expect(['A', 'B']).toContain(d.props?.column);
      expect([0.6, 0.9, 1.0, 1.1, 1.2, 1.3]).toContain(d.props?.kq);
      expect([0.9, 1.0, 1.1, 1.2]).toContain(d.props?.kf);
    }
  });

  it('puts every camera on (within 30 m of) the national highway it names', () => {
    const segments = new Map<string, [LonLat, LonLat][]>();
    for (const road of geo.roads.filter((r) => isNationalHighway(r.name))) {
      const list = segments.get(shortRoadName(road.name)) ?? [];
      for (const line of road.lines) for (let i = 1; i < line.length; i++) list.push([line[i - 1]!, line[i]!]);
      segments.set(shortRoadName(road.name), list);
    }
    const cameras = byKind('traffic-camera');
    expect(cameras.filter((c) => c.props?.road === PROVINCES[slug]!.roads.main).length).toBeGreaterThanOrEqual(cameras.length / 3);
    for (const c of cameras) {
      const segs = segments.get(String(c.props?.road)) ?? [];
      const d = Math.min(...segs.map(([a, b]) => distanceToSegmentM([c.lon, c.lat], a, b)));
      expect(d, c.id).toBeLessThan(30);
      expect(['N', 'S', 'E', 'W']).toContain(c.props?.direction);
      expect(c.props?.speedLimit).toBeGreaterThanOrEqual(50);
      expect(Number.isInteger(Number(c.props?.km) * 10)).toBe(true);
    }
  });

  it('puts air stations and street lights denser in the phường', () => {
    const area = (t: string) => geo.communes.filter((c) => c.unitType === t).reduce((s, c) => s + c.areaKm2, 0);
    const density = (k: DeviceKind, t: string) =>
      byKind(k).filter((d) => geo.byCode.get(d.commune)?.unitType === t).length / area(t);
    for (const k of ['air-station', 'street-light', 'energy-meter'] as const) {
      expect(density(k, 'phuong'), k).toBeGreaterThan(3 * density(k, 'xa'));
    }
    // Still spread: air stations in at least a third of the communes.
    expect(new Set(byKind('air-station').map((d) => d.commune)).size).toBeGreaterThan(geo.communes.length / 3 - 1);
  });
});
