import { describe, expect, it } from 'vitest';
import type { SusceptibilityFile } from '../../../shared/communeRisk';
import type { ProvinceRiskZones } from '../../../shared/provinces';
import { defaultRules } from '../../alarms/defaultRules';
import { makeHarness, T0 } from '../../alarms/testing';
import { riskSignal } from '../../alarms/signals';
import { CommuneRiskService, HOURLY_BINS, HourlyRain, MAX_ANTECEDENT_DAYS, type RiskGauge } from './communeRisk';

const H = 3_600_000;
const DAY = 24 * H;
// A whole hour, so report times fall on hour ends.
const NOW = Math.ceil(T0 / H) * H + 30 * DAY;

const zones: ProvinceRiskZones = { parts: [{ formerProvince: 'Sơn La', zone: 1, communeCodePrefixes: [''] }], verified: false, source: 'test' };
const file: SusceptibilityFile = {
  provisional: true,
  source: 'test',
  classes: { '00001': 'high', '00002': 'very_high', '00003': 'low', '00004': 'medium' },
};
// 00001 and 00002 have gauges; 00003 is 5 km from 00001's gauge; 00004 is 100 km from any.
const communes = [
  { code: '00001', lon: 104, lat: 21 },
  { code: '00002', lon: 104.5, lat: 21 },
  { code: '00003', lon: 104.045, lat: 21 },
  { code: '00004', lon: 105, lat: 21 },
];
const gauges: RiskGauge[] = [
  { i: 10, commune: '00001', lon: 104, lat: 21 },
  { i: 11, commune: '00002', lon: 104.5, lat: 21 },
];

/** Hourly reports of `mmPerHour` over the `hours` hours ending at `end`. */
function rainOver(feed: (ts: number, mm: number) => void, end: number, hours: number, mmPerHour: number): void {
  for (let k = hours - 1; k >= 0; k--) feed(end - k * H, mmPerHour);
}

describe('HourlyRain: a gauge’s hourly totals, bounded', () => {
  it('keeps a fixed number of hours whatever arrives, and forgets what is older', () => {
    const r = new HourlyRain();
    // Ten times more hours than it keeps, 1 mm each.
    for (let k = 0; k < 10 * HOURLY_BINS; k++) expect(r.add(T0 + (k + 1) * H, 1)).toBe(true);
    const last = Math.floor((T0 + 10 * HOURLY_BINS * H - 1) / H);
    expect(r.sum(last, 10 * HOURLY_BINS)).toBe(HOURLY_BINS);
    // A report older than the bins reach is refused, not stored over a newer hour.
    expect(r.add(T0 + H, 50)).toBe(false);
    expect(r.sum(last, HOURLY_BINS)).toBe(HOURLY_BINS);
    expect(r.add(T0, Number.NaN)).toBe(false);
    expect(r.add(T0, -1)).toBe(false);
  });

  it('counts the consecutive days of rain before the last 24 h, stopping at a dry day', () => {
    const r = new HourlyRain();
    const feed = (ts: number, mm: number) => r.add(ts, mm);
    // Dry day 4 before, rain on days 3, 2 and 1 before, and today.
    rainOver(feed, NOW - 3 * DAY, 24, 0.5);
    rainOver(feed, NOW - 2 * DAY, 24, 0.5);
    rainOver(feed, NOW - DAY, 24, 0.5);
    rainOver(feed, NOW, 24, 5);
    expect(r.antecedentDays(NOW, 1)).toBe(3);
    // A day with less than the minimum is dry.
    expect(r.antecedentDays(NOW, 13)).toBe(0);
    // 12 mm on each day: exactly the minimum counts.
    expect(r.antecedentDays(NOW, 12)).toBe(3);
  });

  it('caps the run at MAX_ANTECEDENT_DAYS', () => {
    const r = new HourlyRain();
    rainOver((ts, mm) => r.add(ts, mm), NOW, HOURLY_BINS, 1);
    expect(r.antecedentDays(NOW, 1)).toBe(MAX_ANTECEDENT_DAYS);
  });
});

describe('CommuneRiskService: Điều 46 per commune', () => {
  function setup() {
    const svc = new CommuneRiskService(communes, gauges, zones, file);
    const h24 = new Map<number, number>();
    return { svc, h24, update: (now = NOW) => svc.update(now, { rain24h: (i) => h24.get(i) ?? null }) };
  }

  it('reads its own gauge, else the nearest within reach, else has no level', () => {
    const { svc, h24, update } = setup();
    h24.set(10, 20);
    h24.set(11, 30);
    update();
    expect(svc.of('00001')).toMatchObject({ rain24h: 20, rainFrom: 'commune', level: 0 });
    expect(svc.of('00003')).toMatchObject({ rain24h: 20, rainFrom: 'nearby' });
    expect(svc.of('00004')).toMatchObject({ rain24h: null, rainFrom: null, level: 0, antecedentRainDays: null });
    expect(svc.all()).toHaveLength(4);
  });

  it('steps each commune by its class: 150 mm after two days of rain is level 2 where high, 3 where very high (zone 1)', () => {
    const { svc, h24, update } = setup();
    for (const g of [10, 11]) {
      rainOver((ts, mm) => svc.onRain(g, ts, mm), NOW - DAY, 48, 1);
      rainOver((ts, mm) => svc.onRain(g, ts, mm), NOW, 24, 150 / 24);
      h24.set(g, 150);
    }
    const changed = update();
    expect(changed.map((c) => [c.code, c.level])).toEqual([
      ['00001', 2],
      ['00002', 3],
      // Low in zone 1: 1a lists "thấp hoặc trung bình" → level 1.
      ['00003', 1],
    ]);
    expect(svc.of('00001')).toMatchObject({ antecedentRainDays: 2, flashFlood: 2, zone: 1, susceptibility: 'high' });
    // Nothing new, nothing sent.
    expect(update()).toEqual([]);
    // Without days of rain before, no clause of Điều 46 applies.
    const dry = setup();
    dry.h24.set(10, 150);
    dry.update();
    expect(dry.svc.of('00001')).toMatchObject({ level: 0, antecedentRainDays: 0 });
  });

  it('refuses a commune without a zone or a class, naming it', () => {
    expect(() => new CommuneRiskService([{ code: '00009', lon: 1, lat: 1 }], [], zones, file)).toThrow(/00009.*susceptibility/);
  });

  it('raises an alarm at level 2, steps it up at 3, and clears it below 2 (rule disaster-risk)', () => {
    const h = makeHarness(defaultRules());
    const r = { code: '00001' };
    h.at(T0, riskSignal({ ...r, flashFlood: 1 }, T0));
    expect(h.changes).toEqual([]);
    h.at(T0 + 1000, riskSignal({ ...r, flashFlood: 2 }, T0 + 1000));
    h.at(T0 + 2000, riskSignal({ ...r, flashFlood: 3 }, T0 + 2000));
    h.at(T0 + 3000, riskSignal({ ...r, flashFlood: 1 }, T0 + 3000));
    expect(h.changes.map((c) => [c.change, c.alarm.severity, c.alarm.commune])).toEqual([
      ['raised', 'major', '00001'],
      ['updated', 'critical', '00001'],
      ['cleared', 'critical', '00001'],
    ]);
    expect(h.changes[1]!.alarm.title).toMatch(/cấp 3/);
  });
});
