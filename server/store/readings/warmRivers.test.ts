import { describe, expect, it } from 'vitest';
import { ForecastService } from '../../domain/forecast/service';
import { upstreamLevel } from '../../domain/forecast/fixtures';
import { openSqliteReadingStore } from './sqliteEngine';
import type { Reading } from './port';
import { WARM_START_HOURS } from './warmStart';
import { feedRiverHistory, replayRiverForecasts, RIVER_WARM_DAYS } from './warmRivers';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 9, 1);
const BASINS = [{ gaugeId: 'down', upstream: [{ id: 'up', travelH: 8 }], rainGauges: ['r'] }];

describe('the river forecasts warmed from the reading store', () => {
  it('learn from the stored days before the first live issue: every lead trained, with its interval and skill', async () => {
    const store = await openSqliteReadingStore({ file: ':memory:' });
    try {
      const batch: Reading[] = [];
      const days = 9;
      for (let t = T0; t < T0 + days * DAY; t += 5 * MIN) {
        batch.push({ deviceId: 'up', type: 'hydro', ts: t, values: { waterLevel: upstreamLevel(t) } });
        batch.push({ deviceId: 'down', type: 'hydro', ts: t, values: { waterLevel: 2 + 0.8 * upstreamLevel(t - 8 * HOUR) } });
        batch.push({ deviceId: 'r', type: 'rain', ts: t, values: { precipitation: 0.2 } });
      }
      await store.append(batch);
      const now = T0 + days * DAY;
      const fc = new ForecastService(BASINS, () => 0);

      const fed = await feedRiverHistory(store, fc, now);
      // Minute rollups of the three gauges, from 7 days back to where the raw warm start begins (26 h back).
      expect(fed.gauges).toBe(3);
      expect(fed.minutes).toBe(3 * ((RIVER_WARM_DAYS * DAY - WARM_START_HOURS * HOUR) / (5 * MIN)));
      // The raw 26 hours, as warmStart gives them to the pipeline.
      for (const id of ['up', 'down', 'r']) {
        for (const p of await store.range(id, now - WARM_START_HOURS * HOUR, now + 1)) {
          if (p.values.waterLevel !== undefined) fc.addLevel(id, p.ts, p.values.waterLevel);
          if (p.values.precipitation !== undefined) fc.addRain(id, p.ts, p.values.precipitation);
        }
      }
      const steps = replayRiverForecasts(fc, now);
      expect(steps).toBe((RIVER_WARM_DAYS * DAY - 3 * HOUR) / (10 * MIN));

      const f = fc.forecastOf('down')!;
      expect(now - f.issuedAt).toBeLessThanOrEqual(10 * MIN);
      expect(f.leads).toHaveLength(6);
      for (const l of f.leads) {
        expect(l.warmingUp).toBe(false);
        expect(l.lower).toBeDefined();
        // Corresponding levels, learnt: the 6 h forecast within 2 cm of the truth.
        expect(Math.abs(l.level - (2 + 0.8 * upstreamLevel(l.validAt - 8 * HOUR)))).toBeLessThan(0.02);
      }
      expect(fc.wire('down')?.skill.every((s) => s.n > 0)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('with nothing stored, issues nothing and learns nothing', async () => {
    const store = await openSqliteReadingStore({ file: ':memory:' });
    try {
      const fc = new ForecastService(BASINS, () => 0);
      expect(await feedRiverHistory(store, fc, T0)).toEqual({ gauges: 0, minutes: 0 });
      replayRiverForecasts(fc, T0);
      expect(fc.forecastOf('down')).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
