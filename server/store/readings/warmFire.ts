/**
 * Warm start of the forest fire danger: the Nesterov index sums every dry day since the last rain, which in a
 * dry season is weeks. At start, the past days are replayed from the hourly rollups: each air station's 13:00
 * hour (its mean temperature and humidity from 13:00 to 14:00 stands in for the 13:00 reading) and each rain
 * gauge's rain in the 24 h to 13:00. The last two days are left to the live step, which reads the raw warm
 * start's readings.
 */
import type { Device } from '../../../shared/devices';
import type { FireDangerService } from '../../domain/fire/fireDangerService';
import { vnDay, vnOnePm } from '../../domain/fire/fireDangerService';
import { forEachBucketed } from './forEachBucketed';
import type { ReadingStore } from './port';

const HOUR_MS = 3_600_000;
/** Days replayed at most: a dry spell longer than this starts its sum late. */
export const FIRE_WARM_DAYS = 45;

export async function warmFire(
  store: Pick<ReadingStore, 'rangeBucketedMany'>,
  devices: readonly Device[],
  fire: Pick<FireDangerService, 'replayDay'>,
  now: number,
  days = FIRE_WARM_DAYS,
  /** The last day replayed (default: two days back, the live step takes the rest; the time machine: its day). */
  lastDay = vnDay(now) - 2,
): Promise<{ days: number }> {
  const today = vnDay(now);
  const first = today - days;
  const last = lastDay;
  if (last < first) return { days: 0 };
  const from = vnOnePm(first) - 24 * HOUR_MS;
  // Never past `now`: the time machine's instant may fall inside the last day's 13:00 hour.
  const to = Math.min(vnOnePm(last) + HOUR_MS, now + 1);
  const noon = new Map<number, Map<number, { t: number; rh: number }>>();
  const rain = new Map<number, Map<number, number>>();
  const index = new Map(devices.map((d, i) => [d.id, i]));
  const ofType = (type: Device['type']) => devices.filter((d) => d.type === type).map((d) => d.id);
  await forEachBucketed(store, ofType('air'), vnOnePm(first), to, '1h', (id, buckets) => {
    const i = index.get(id)!;
    for (const b of buckets) {
      const t = b.metrics.temperature?.mean;
      const rh = b.metrics.relativeHumidity?.mean;
      const day = vnDay(b.ts);
      if (t === undefined || rh === undefined || b.ts !== vnOnePm(day)) continue;
      const m = noon.get(day) ?? new Map<number, { t: number; rh: number }>();
      m.set(i, { t, rh });
      noon.set(day, m);
    }
  }, { metrics: ['temperature', 'relativeHumidity'] });
  await forEachBucketed(store, ofType('rain'), from, to, '1h', (id, buckets) => {
    const i = index.get(id)!;
    for (const b of buckets) {
      const mm = b.metrics.precipitation?.sum;
      if (mm === undefined) continue;
      // The hour [ts, ts + 1 h) counts for the day whose 13:00 ends the 24 h it falls in.
      const day = vnDay(b.ts + 11 * HOUR_MS);
      const m = rain.get(day) ?? new Map<number, number>();
      m.set(i, (m.get(i) ?? 0) + mm);
      rain.set(day, m);
    }
  }, { metrics: ['precipitation'] });
  let replayed = 0;
  for (let day = first; day <= last; day++) {
    const n = noon.get(day);
    if (!n) continue;
    fire.replayDay(day, n, rain.get(day) ?? new Map());
    replayed++;
  }
  return { days: replayed };
}
