import { describe, expect, it } from 'vitest';
import type { Device } from '../../../shared/devices';
import type { BucketPoint } from './port';
import { perDevice } from './forEachBucketed';
import { warmRainHours } from './warmRain';
import { WARM_START_HOURS } from './warmStart';

const H = 3_600_000;
const NOW = Date.UTC(2026, 6, 20, 10, 30);
const dev = (id: string, type: Device['type']) => ({ id, type }) as Device;

describe('warmRainHours', () => {
  it('feeds each stored whole hour before the raw warm start, once, at the end of its hour', async () => {
    const asked: [string, number, number][] = [];
    // Hourly rollups of 2 mm from 8 days back up to now.
    const store = {
      rangeBucketedMany: perDevice(async (id: string, from: number, to: number): Promise<BucketPoint[]> => {
        asked.push([id, from, to]);
        const out: BucketPoint[] = [];
        for (let t = Math.floor((NOW - 200 * H) / H) * H; t < NOW; t += H) {
          if (t >= from && t < to) out.push({ ts: t, metrics: { precipitation: { sum: 2, mean: 1, min: 0, max: 2, count: 2 } } });
        }
        return out;
      }),
    };
    const fed: [number, number, number][] = [];
    const r = await warmRainHours(store, [dev('air-1', 'air'), dev('rain-1', 'rain')], (i, ts, mm) => fed.push([i, ts, mm]), NOW, 192);
    // Only the rain gauge is asked, from a whole hour 192 h back to the raw window.
    expect(asked).toEqual([['rain-1', Math.floor((NOW - 192 * H) / H) * H, NOW - WARM_START_HOURS * H]]);
    expect(fed.every(([i, , mm]) => i === 1 && mm === 2)).toBe(true);
    // Every fed hour ends at or before the raw window's start: nothing is counted twice.
    expect(Math.max(...fed.map(([, ts]) => ts))).toBeLessThanOrEqual(NOW - WARM_START_HOURS * H);
    expect(r).toEqual({ gauges: 1, hours: fed.length });
    expect(fed.length).toBe(192 - WARM_START_HOURS - 1 + 1);
  });

  it('asks nothing when the look-back is inside the raw warm start', async () => {
    let asked = 0;
    const store = { rangeBucketedMany: perDevice(async () => (asked++, [])) };
    expect(await warmRainHours(store, [dev('rain-1', 'rain')], () => undefined, NOW, 24)).toEqual({ gauges: 0, hours: 0 });
    expect(asked).toBe(0);
  });
});

describe('warmRainHours on a real store', () => {
  it('gives a restarted risk service the days of rain before from the hourly rollups', async () => {
    const { openSqliteReadingStore } = await import('./sqliteEngine');
    const { CommuneRiskService } = await import('../../domain/risk/communeRisk');
    const store = await openSqliteReadingStore({ file: ':memory:' });
    try {
      // Three days of 1 mm an hour at one gauge, up to now: raw readings, with their rollups.
      const rows = [];
      for (let t = NOW - 72 * H + H; t <= NOW; t += H) rows.push({ deviceId: 'rain-1', type: 'rain' as const, ts: t, values: { precipitation: 1, intervalSec: 3600 } });
      await store.append(rows);
      const zones = { parts: [{ formerProvince: 'X', zone: 1 as const, communeCodePrefixes: [''] }], verified: false, source: 't' };
      const restarted = () =>
        new CommuneRiskService([{ code: '00001', lon: 104, lat: 21 }], [{ i: 0, commune: '00001', lon: 104, lat: 21 }], zones, {
          provisional: true,
          source: 't',
          classes: { '00001': 'high' },
        });
      // The raw warm start alone (26 h): two hours of the day before make it "a day of rain", no more.
      const rawOnly = restarted();
      for (const p of await store.range('rain-1', NOW - WARM_START_HOURS * H, NOW + 1)) rawOnly.onRain(0, p.ts, p.values.precipitation!);
      rawOnly.update(NOW, { rain24h: () => 150 });
      expect(rawOnly.of('00001')!.antecedentRainDays).toBe(1);
      // With the rollups before it: both days.
      const warmed = restarted();
      for (const p of await store.range('rain-1', NOW - WARM_START_HOURS * H, NOW + 1)) warmed.onRain(0, p.ts, p.values.precipitation!);
      await warmRainHours(store, [dev('rain-1', 'rain')], (i, ts, mm) => warmed.onRain(i, ts, mm), NOW, 192);
      warmed.update(NOW, { rain24h: () => 150 });
      expect(warmed.of('00001')!.antecedentRainDays).toBe(2);
      expect(warmed.of('00001')!.level).toBe(2);
    } finally {
      await store.close();
    }
  });
});
