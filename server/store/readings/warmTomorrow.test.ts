import { describe, expect, it } from 'vitest';
import type { Device } from '../../../shared/devices';
import { TomorrowService } from '../../domain/air/tomorrowService';
import { openSqliteReadingStore } from './sqliteEngine';
import { warmTomorrow } from './warmTomorrow';
import type { Reading } from './port';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// 2026-03-01 00:00 Asia/Ho_Chi_Minh.
const T0 = Date.UTC(2026, 1, 28, 17);

const air = (id: string) => ({ id, type: 'air', kind: 'air-station', name: id, lon: 0, lat: 0, commune: '1', reportIntervalSec: 600 }) as unknown as Device;

describe('warmTomorrow', () => {
  it("fills two weeks of hourly means from the rollups and replays the last days' issues: forecast, interval and skill at start", async () => {
    const store = await openSqliteReadingStore({ file: ':memory:' });
    try {
      const batch: Reading[] = [];
      for (let t = T0; t < T0 + 12 * DAY; t += 10 * 60_000) {
        const k = Math.floor(((t + 7 * HOUR) % DAY) / HOUR);
        batch.push({ deviceId: 'a', type: 'air', ts: t, values: { pm25: 40 + 8 * Math.sin((2 * Math.PI * k) / 24), pm10: 70 } });
      }
      await store.append(batch);
      const now = T0 + 12 * DAY - 1;
      const svc = new TomorrowService(['a', 'b'], (id) => (id === 'a' ? 0 : 1));
      const r = await warmTomorrow(store, [air('a'), air('b')], svc, now);
      expect(r.stations).toBe(1);
      expect(r.hours).toBe(12 * 24);
      expect(r.replayedIssues).toBe(8 * 24);
      const w = svc.tomorrowOf('a')!;
      expect(w.issuedAt).toBe(T0 + 12 * DAY - HOUR);
      expect(w.pm25!).toBeCloseTo(40, 0);
      // PM2.5 40 → AQI 80; PM10 70 → 60: Trung bình.
      expect(w.band).toBe(2);
      expect(w.skill.n).toBeGreaterThanOrEqual(6 * 24);
      expect(w.skill.bandHit).toBe(1);
      expect(w.aqiLow).toBeDefined();
      expect(svc.tomorrowOf('b')).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
