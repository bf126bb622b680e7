/**
 * Warm start of the rain gauges' older hours: the raw warm start (warmStart.ts) refills 26 hours, but the
 * days of rain before a flash-flood level (Điều 46) and a fire danger reset look back further. The hourly
 * rollups (their `sum` of precipitation) give each gauge the hours from `hours` back to where the raw warm
 * start begins, so a restart during a wet spell still counts the days of rain before it.
 */
import type { Device } from '../../../shared/devices';
import { forEachBucketed } from './forEachBucketed';
import type { ReadingStore } from './port';
import { WARM_START_HOURS } from './warmStart';

const HOUR_MS = 3_600_000;

/**
 * Feeds `feed(i, bucketEnd, mm)` once per stored hour of each rain gauge, for the whole hours in
 * [now − hours, now − WARM_START_HOURS): none overlaps the raw warm start's window, so nothing counts twice.
 * `until` moves that end (the time machine takes every hour up to its instant, `now`, from the rollups: the hour
 * under way ends at `now`).
 */
export async function warmRainHours(
  store: Pick<ReadingStore, 'rangeBucketedMany'>,
  devices: readonly Device[],
  feed: (i: number, ts: number, mm: number) => void,
  now: number,
  hours: number,
  until = now - WARM_START_HOURS * HOUR_MS,
): Promise<{ gauges: number; hours: number }> {
  const rawFrom = until;
  const from = Math.floor((now - hours * HOUR_MS) / HOUR_MS) * HOUR_MS;
  let gauges = 0;
  let fed = 0;
  if (from >= rawFrom) return { gauges, hours: fed };
  const index = new Map(devices.map((d, i) => [d.id, i]));
  const ids = devices.filter((d) => d.type === 'rain').map((d) => d.id);
  await forEachBucketed(store, ids, from, rawFrom, '1h', (id, buckets) => {
    const i = index.get(id)!;
    let any = false;
    for (const b of buckets) {
      const mm = b.metrics.precipitation?.sum;
      if (mm === undefined) continue;
      if (rawFrom < now) {
        // Only whole hours before the raw window: the hour it starts in is the raw warm start's.
        if (b.ts + HOUR_MS > rawFrom) continue;
        feed(i, b.ts + HOUR_MS, mm);
      } else {
        // Up to `now` itself: the hour under way ends there.
        feed(i, Math.min(b.ts + HOUR_MS, now), mm);
      }
      fed++;
      any = true;
    }
    if (any) gauges++;
  }, { metrics: ['precipitation'] });
  return { gauges, hours: fed };
}
