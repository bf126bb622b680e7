import { describe, expect, it } from 'vitest';
import type { SusceptibilityFile } from '../../../shared/communeRisk';
import type { Device } from '../../../shared/devices';
import { distanceM } from '../../../shared/geometry';
import type { ProvinceSlug } from '../../../shared/provinces';
import { defaultRules } from '../../alarms/defaultRules';
import { floodRiskSignal } from '../../alarms/signals';
import { makeHarness, T0 } from '../../alarms/testing';
import { PROVINCES } from '../../provinces/catalog';
import { loadProvince } from '../../provinces/load';
import { hazardServices } from '../hazards/services';
import { CommuneRiskService, DEFAULT_RISK_CONFIG } from './communeRisk';
import { floodGaugesOf, type FloodGauge } from './floodGauges';

const NOW = T0;

describe('the river gauges as Điều 45 reads them, from the province data', () => {
  for (const slug of Object.keys(PROVINCES) as ProvinceSlug[]) {
    it(`${slug}: every river gauge, its alarm levels, a khu vực, a basin, and the communes it warns for`, () => {
      const p = loadProvince(slug);
      const devices = p.registry.devices;
      const floods = floodGaugesOf(p.meta, p.basins, devices, p.risk!.communes);
      const hydro = devices.filter((d) => d.type === 'hydro');
      expect(floods.map((g) => devices[g.i]!.id)).toEqual(hydro.map((d) => d.id));
      const centres = new Map(p.risk!.communes.map((c) => [c.code, c]));
      for (const g of floods) {
        const d = devices[g.i]!;
        expect([g.bd1, g.bd2, g.bd3]).toEqual([d.props!.bd1, d.props!.bd2, d.props!.bd3]);
        expect([1, 2, 3, 4]).toContain(g.zone);
        expect(g.communes).toContain(d.commune);
        for (const code of g.communes) {
          const c = centres.get(code)!;
          if (code !== d.commune) expect(distanceM([c.lon, c.lat], [d.lon, d.lat])).toBeLessThanOrEqual(p.meta.floodRisk.reachKm * 1000);
        }
      }
      // Gauges that basins.json links are on one basin; one with no link in or out is a basin of its own.
      const named = new Set(p.meta.gauges.filter((g) => g.floodBasin).map((g) => g.station));
      for (const b of p.basins) {
        for (const u of b.upstream) {
          if (named.has(String(devices.find((d) => d.id === u.id)!.props!.station))) continue;
          expect(basinOf(floods, devices, u.id)).toBe(basinOf(floods, devices, b.gaugeId));
        }
      }
    });
  }

  it('Quảng Ngãi: the former Kon Tum’s gauges take khu vực 3, the coast’s 2 (stand-in from Phụ lục XII); the Trà Khúc and the Vệ are two basins, the Kon Tum gauges one (Sê San)', () => {
    const p = loadProvince('quang-ngai');
    const floods = floodGaugesOf(p.meta, p.basins, p.registry.devices, p.risk!.communes);
    const by = (station: string) => floods.find((g) => g.station === station)!;
    for (const g of floods) expect(g.zone).toBe(p.registry.devices[g.i]!.commune.startsWith('23') ? 3 : 2);
    expect(by('Trà Khúc').basin).not.toBe(by('Sông Vệ').basin);
    expect(new Set(['Kon Tum', 'Kon Plông', 'Đăk Mốt', 'Đăk Hà', 'Sa Thầy'].map((s) => by(s).basin))).toEqual(new Set(['Sê San']));
  });

  it('province data overrides the stand-ins: a gauge’s floodZone, historic flood and communes', () => {
    const p = loadProvince('son-la');
    const gauges = p.meta.gauges.map((g) => (g.station === 'Xã Là' ? { ...g, floodZone: 4, historicFlood: 284, floodCommunes: ['04183'] } : g));
    const floods = floodGaugesOf({ ...p.meta, gauges }, p.basins, p.registry.devices, p.risk!.communes);
    const xaLa = floods.find((g) => g.station === 'Xã Là')!;
    expect(xaLa).toMatchObject({ zone: 4, historic: 284, communes: ['04183'] });
    expect(floods.filter((g) => g.station !== 'Xã Là').every((g) => g.zone === 1 && g.historic === null)).toBe(true);
  });

  it('refuses at start what the rule could not read: a historic flood under BĐ3 + 0.3 m, a commune code not in the province', () => {
    const p = loadProvince('son-la');
    const withXaLa = (extra: object) => p.meta.gauges.map((g) => (g.station === 'Xã Là' ? { ...g, ...extra } : g));
    const build = (extra: object) => floodGaugesOf({ ...p.meta, gauges: withXaLa(extra) }, p.basins, p.registry.devices, p.risk!.communes);
    expect(() => build({ historicFlood: 281.6 })).toThrow(/historicFlood 281.6 must be above/);
    expect(() => build({ floodCommunes: ['04183', '99999'] })).toThrow(/floodCommunes .*99999/);
  });
});

function basinOf(floods: readonly FloodGauge[], devices: readonly Device[], id: string): string {
  return floods.find((g) => devices[g.i]!.id === id)!.basin;
}

describe('CommuneRiskService: Điều 45 per commune', () => {
  const zones = { parts: [{ formerProvince: 'Quảng Ngãi', zone: 2 as const, communeCodePrefixes: [''] }], verified: false, source: 'test' };
  const file: SusceptibilityFile = { provisional: true, source: 'test', classes: { '00001': 'low', '00002': 'low', '00003': 'low' } };
  const communes = [
    { code: '00001', lon: 108, lat: 15 },
    { code: '00002', lon: 108.5, lat: 15 },
    { code: '00003', lon: 109, lat: 15 },
  ];
  const gauge = (i: number, basin: string, communes: string[]): FloodGauge => ({
    i, station: `Trạm ${i}`, basin, zone: 2, bd1: 3.5, bd2: 5, bd3: 6.5, historic: null, communes,
  });
  function setup(rivers: FloodGauge[]) {
    const svc = new CommuneRiskService(communes, [{ i: 0, commune: '00001', lon: 108, lat: 15 }], zones, file, DEFAULT_RISK_CONFIG, rivers, {
      verified: false,
      source: 'test',
    });
    const level = new Map<number, number>();
    const rain = new Map<number, number>();
    return {
      svc,
      level,
      rain,
      update: () => svc.update(NOW, { rain24h: (i) => rain.get(i) ?? null, riverLevel: (i) => level.get(i) ?? null }),
    };
  }

  it('gives each commune the highest level of the gauges that warn for it, with the clause and the station', () => {
    const h = setup([gauge(10, 'A', ['00001', '00002']), gauge(11, 'A', ['00002'])]);
    h.level.set(10, 5.2); // 2b
    h.level.set(11, 7.6); // 3c
    const changed = h.update();
    expect(changed.map((c) => [c.code, c.flood, c.floodClause, c.floodStation, c.level])).toEqual([
      ['00001', 2, '2b', 'Trạm 10', 2],
      ['00002', 3, '3c', 'Trạm 11', 3],
    ]);
    expect(h.svc.of('00003')).toMatchObject({ flood: 0, floodClause: null, floodStation: null, level: 0 });
    // Nothing changed, nothing reported.
    expect(h.update()).toEqual([]);
  });

  it('two basins in flood at once raise both by điểm 2d; one basin does not', () => {
    const h = setup([gauge(10, 'A', ['00001']), gauge(11, 'B', ['00002'])]);
    h.level.set(10, 4);
    h.update();
    expect(h.svc.of('00001')).toMatchObject({ flood: 1, floodClause: '1a' });
    h.level.set(11, 4.1);
    h.update();
    expect(h.svc.of('00001')).toMatchObject({ flood: 2, floodClause: '2d' });
    expect(h.svc.of('00002')).toMatchObject({ flood: 2, floodClause: '2d' });
  });

  it('the commune’s level is the higher of its hazards; a gauge with no report yet gives none', () => {
    const h = setup([gauge(10, 'A', ['00001'])]);
    h.rain.set(0, 150);
    h.update();
    expect(h.svc.of('00001')).toMatchObject({ flashFlood: 0, flood: 0, level: 0 });
    h.level.set(10, 6.6);
    h.update();
    expect(h.svc.of('00001')).toMatchObject({ flood: 2, level: 2 });
    h.level.set(10, 2);
    expect(h.update().map((c) => [c.code, c.level])).toEqual([['00001', 0]]);
  });

  it('the snapshot says how many gauges feed the levels and that their inputs are stand-ins', () => {
    expect(setup([gauge(10, 'A', ['00001'])]).svc.snapshot().flood).toEqual({
      verified: false,
      source: 'test',
      gauges: [{ i: 10, zone: 2, basin: 'A', historic: null }],
    });
    expect(setup([]).svc.snapshot().flood).toBeNull();
  });

  it('Quảng Ngãi with its own data: the Trà Khúc over BĐ3 puts its commune at cấp 2 (khoản 2 điểm c)', () => {
    const p = loadProvince('quang-ngai');
    const devices = p.registry.devices;
    const risk = hazardServices(p, devices)!.risk();
    const i = devices.findIndex((d) => d.props?.station === 'Trà Khúc');
    const changed = risk.update(NOW, { rain24h: () => null, riverLevel: (k) => (k === i ? 6.8 : null) });
    expect(changed.length).toBeGreaterThan(0);
    expect(risk.of(devices[i]!.commune)).toMatchObject({ flood: 2, floodClause: '2c', floodStation: 'Trà Khúc', level: 2 });
    expect(changed.every((c) => c.flood === 2)).toBe(true);
  });
});

describe('the flood-risk alarm (rule flood-risk)', () => {
  it('raises at cấp 2 naming the hazard, one step below the gauges’ own alarms, steps up to 5, and clears below 2', () => {
    const h = makeHarness(defaultRules());
    const at = (dt: number, flood: 0 | 1 | 2 | 3 | 4 | 5) => h.at(T0 + dt, floodRiskSignal({ code: '21025', flood }, T0 + dt));
    at(0, 1);
    expect(h.changes).toEqual([]);
    at(1000, 2);
    at(2000, 3);
    at(3000, 5);
    at(4000, 1);
    expect(h.changes.map((c) => [c.change, c.alarm.severity, c.alarm.title, c.alarm.commune])).toEqual([
      ['raised', 'warning', 'Rủi ro thiên tai cấp 2: lũ, ngập lụt', '21025'],
      ['updated', 'major', 'Rủi ro thiên tai cấp 3: lũ, ngập lụt', '21025'],
      ['updated', 'critical', 'Rủi ro thiên tai cấp 5: lũ, ngập lụt', '21025'],
      ['cleared', 'critical', 'Rủi ro thiên tai cấp 5: lũ, ngập lụt', '21025'],
    ]);
  });
});
