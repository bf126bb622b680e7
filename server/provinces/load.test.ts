import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ALARM_TIMINGS } from '../alarms/timings';
import { loadAlarmTimings, loadBasins, loadProvince, loadRegistry, PROVINCES_DIR } from './load';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ioc-province-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (json: unknown): void => writeFileSync(path.join(dir, 'alarms.json'), typeof json === 'string' ? json : JSON.stringify(json));

describe('alarm timings per province (alarms.json)', () => {
  it('without the file, the defaults: 5 min escalation to level 3 for critical, storms of 10 in 5 min, offline after 3 missed reports', () => {
    expect(loadAlarmTimings(dir)).toEqual({
      escalation: { afterMs: 300_000, maxLevel: 3, severities: ['critical'] },
      storm: { threshold: 10, windowMs: 300_000 },
      offline: { missedReports: 3 },
    });
    // The shipped provinces keep the defaults.
    expect(loadProvince('quang-ngai').alarmTimings).toEqual(loadAlarmTimings(dir));
  });

  it('overrides only the fields it names', () => {
    write({ escalation: { afterMs: 600_000, severities: ['critical', 'major'] }, storm: { threshold: 25 }, offline: { missedReports: 4 } });
    expect(loadAlarmTimings(dir)).toEqual({
      escalation: { afterMs: 600_000, maxLevel: DEFAULT_ALARM_TIMINGS.escalation.maxLevel, severities: ['critical', 'major'] },
      storm: { threshold: 25, windowMs: DEFAULT_ALARM_TIMINGS.storm.windowMs },
      offline: { missedReports: 4 },
    });
  });

  it('a bad file stops the start with its path and each bad field', () => {
    const file = path.join(dir, 'alarms.json');
    write({ escalation: { afterMs: '5 phút' }, storm: { threshold: 0 }, offlne: { missedReports: 3 } });
    expect(() => loadAlarmTimings(dir)).toThrow(file);
    expect(() => loadAlarmTimings(dir)).toThrow(/escalation\.afterMs: .*number/);
    expect(() => loadAlarmTimings(dir)).toThrow(/storm\.threshold: /);
    expect(() => loadAlarmTimings(dir)).toThrow(/offlne/);
    write('{ "storm": ');
    expect(() => loadAlarmTimings(dir)).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON`));
  });
});

describe('basins per province (basins.json)', () => {
  it('loads the shipped files of both provinces against their registries', () => {
    for (const slug of ['quang-ngai', 'ha-tinh'] as const) {
      const { registry } = loadRegistry(slug);
      const basins = loadBasins(registry, path.join(PROVINCES_DIR, slug));
      expect(basins.gauges.length).toBe(registry.devices.filter((d) => d.kind === 'river-gauge').length);
    }
  });

  it('a file naming a device that is not a river gauge stops the load with the file and the id', () => {
    const { registry } = loadRegistry('quang-ngai');
    const file = path.join(dir, 'basins.json');
    writeFileSync(file, JSON.stringify({ province: 'quang-ngai', generatedBy: 't', caveats: [], gauges: [{ gaugeId: 'qng-hydro-0001', river: 'x', upstream: [{ id: 'qng-rain-0001', travelH: 3, basis: 't' }], rainGauges: [] }] }));
    expect(() => loadBasins(registry, dir)).toThrow(file);
    expect(() => loadBasins(registry, dir)).toThrow(/upstream qng-rain-0001 is not a river gauge/);
  });
});
