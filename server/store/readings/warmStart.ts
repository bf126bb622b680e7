/**
 * Warm start: after a restart (or a crash) the environmental stations' memory — the 26-hour history rings
 * that hourly/daily VN_AQI, rain windows, rates of rise and the hydrographs are computed from — is refilled
 * from the reading store before the broker is heard, so the wall comes back with its past instead of
 * waiting a day for it. What the store does not hold stays missing.
 */
import { splitNotice } from '../../../shared/reservoir';
import type { Device } from '../../../shared/devices';
import type { ReadingStore } from './port';

/** The longest window a station index needs (daily VN_AQI over 24 complete hours, plus the hour being filled). */
export const WARM_START_HOURS = 26;
/** Readings per station read back at most (26 h at one a minute is 1,560). */
const MAX_POINTS_PER_STATION = 20_000;

export async function warmStart(
  store: Pick<ReadingStore, 'range'>,
  devices: readonly Device[],
  feed: (i: number, ts: number, values: Record<string, number>) => void,
  now: number,
  /** Called once per station with its newest reading, after its readings were fed. */
  latest?: (i: number, ts: number, values: Record<string, number>) => void,
): Promise<{ stations: number; readings: number }> {
  let stations = 0;
  let readings = 0;
  for (let i = 0; i < devices.length; i++) {
    const d = devices[i]!;
    if (d.type === 'iot' || d.type === 'camera') continue;
    const points = await store.range(d.id, now - WARM_START_HOURS * 3_600_000, now + 1, { limit: MAX_POINTS_PER_STATION });
    if (points.length === 0) continue;
    stations++;
    for (const p of points) feed(i, p.ts, p.values);
    readings += points.length;
    // The device table's latest is the newest report: a reservoir's release notice is stored beside them.
    for (let k = points.length - 1; k >= 0; k--) {
      const { report } = splitNotice(points[k]!.ts, points[k]!.values);
      if (!report) continue;
      latest?.(i, points[k]!.ts, report);
      break;
    }
  }
  return { stations, readings };
}
