/**
 * Tomorrow's air forecast at start-up (issue 17): two weeks of each air station's PM hourly means from the reading
 * store's hourly rollups (the raw warm start keeps only 26 hours), then a replay of the hourly issues of the
 * last days over them, as they would have been made (each reads only the hours before its own time), so the
 * forecast, its interval and its skill are there at once instead of after a week of running.
 */
import type { Device } from '../../../shared/devices';
import { FORECAST_POLLUTANTS } from '../../domain/air/longHourly';
import type { TomorrowService } from '../../domain/air/tomorrowService';
import { forEachBucketed } from './forEachBucketed';
import type { ReadingStore } from './port';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The profile's window (14 days) and the replay's 8 days before now. */
export const TOMORROW_WARM_DAYS = 15;
export const TOMORROW_REPLAY_DAYS = 8;

export async function warmTomorrow(
  store: Pick<ReadingStore, 'rangeBucketedMany'>,
  devices: readonly Device[],
  svc: TomorrowService,
  now: number,
): Promise<{ stations: number; hours: number; replayedIssues: number }> {
  let stations = 0;
  let hours = 0;
  let earliest = Number.POSITIVE_INFINITY;
  const ids = devices.filter((d) => d.type === 'air').map((d) => d.id);
  await forEachBucketed(store, ids, now - TOMORROW_WARM_DAYS * DAY_MS, now + 1, '1h', (id, buckets) => {
    stations++;
    for (const b of buckets) {
      for (const p of FORECAST_POLLUTANTS) {
        const m = b.metrics[p];
        if (m) svc.addHourMean(id, b.ts, p, m.mean, m.count);
      }
      hours++;
    }
    earliest = Math.min(earliest, buckets[0]!.ts);
  }, { metrics: FORECAST_POLLUTANTS });
  let replayedIssues = 0;
  if (stations > 0) {
    // Hour by hour up to now, from a day after the first stored hour (nothing can be forecast from less).
    const from = Math.max(Math.ceil((earliest + DAY_MS) / HOUR_MS) * HOUR_MS, Math.ceil((now - TOMORROW_REPLAY_DAYS * DAY_MS) / HOUR_MS) * HOUR_MS);
    for (let t = from; t <= now; t += HOUR_MS) {
      svc.step(t);
      replayedIssues++;
    }
  }
  return { stations, hours, replayedIssues };
}
