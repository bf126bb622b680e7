/**
 * Everything a starting server takes back from the reading store before the broker is heard, in order: the
 * stations' 26 hours of raw readings (and each one's last reading into the device table), the rain gauges'
 * earlier days, the fire danger's dry spell and tomorrow's air's two weeks, each from the hourly rollups.
 */
import type { Device } from '../../../shared/devices';
import type { DeviceTable } from '../../devices/deviceTable';
import type { TomorrowService } from '../../domain/air/tomorrowService';
import type { ForecastService } from '../../domain/forecast/service';
import type { FireDangerService } from '../../domain/fire/fireDangerService';
import { HOURLY_BINS, type CommuneRiskService } from '../../domain/risk/communeRisk';
import type { Logger } from '../../log';
import type { ReadingStore } from './port';
import { warmFire } from './warmFire';
import { warmRainHours } from './warmRain';
import { feedRiverHistory, replayRiverForecasts } from './warmRivers';
import { warmStart } from './warmStart';
import { warmTomorrow } from './warmTomorrow';

export interface WarmTargets {
  devices: readonly Device[];
  /** The pipeline's own way of putting a reading into the stations' memory. */
  restoreReading(i: number, ts: number, values: Record<string, number>): void;
  table: Pick<DeviceTable, 'restore'>;
  risk?: CommuneRiskService;
  fire?: FireDangerService;
  airTomorrow: TomorrowService;
  /** The river forecasts, to learn from the stored days (absent in a rehearsal, whose clock is not yet known). */
  riverForecasts?: ForecastService;
}

export async function warmAll(store: Pick<ReadingStore, 'range' | 'rangeBucketedMany'>, t: WarmTargets, now: () => number, log: Logger): Promise<void> {
  const { devices, risk, fire } = t;
  const start = now();
  // The river forecasts' days before the raw window below (its minute rollups), oldest first.
  const rivers = t.riverForecasts ? await feedRiverHistory(store, t.riverForecasts, start) : undefined;
  // The stations' memory back from the store before anything new arrives (a restart keeps its past).
  // Each station's last reading goes back to the device table too: a restarted instance shows what it did before.
  const warm = await warmStart(store, devices, t.restoreReading, start, (i, ts, values) => t.table.restore(i, ts, values, now()));
  if (warm.readings > 0) log.info(warm, 'station history restored from the reading store');
  // Then the forecasts replayed over all of it: each lead has learnt before the first live issue.
  if (t.riverForecasts && (warm.readings > 0 || (rivers?.minutes ?? 0) > 0)) {
    const t0 = Date.now();
    const steps = replayRiverForecasts(t.riverForecasts, now());
    log.info({ ...rivers, steps, ms: Date.now() - t0 }, 'river forecasts learnt from the stored days');
  }
  // The days of rain before (risk levels, fire danger resets) look back 8 days: the hourly rollups give the rest.
  if (risk || fire) {
    const feed = (i: number, ts: number, mm: number) => {
      risk?.onRain(i, ts, mm);
      fire?.onRain(i, ts, mm);
    };
    const rain = await warmRainHours(store, devices, feed, now(), HOURLY_BINS);
    if (rain.hours > 0) log.info(rain, 'rain gauges’ earlier days restored from the hourly rollups');
  }
  // The fire danger's dry spell, replayed day by day from the rollups (weeks, not the warm start's 26 hours).
  if (fire) {
    const replayed = await warmFire(store, devices, fire, now());
    if (replayed.days > 0) log.info(replayed, 'forest fire danger replayed from the hourly rollups');
  }
  // Tomorrow's air needs two weeks of hourly means, from the rollups (the raw warm start above keeps 26 hours).
  const air = await warmTomorrow(store, devices, t.airTomorrow, now());
  if (air.stations > 0) log.info(air, "tomorrow's air forecast warmed from the hourly rollups");
}
