/**
 * The river forecasts at start-up (issue 17: "refitted as data arrives … on the stored history"): the basins'
 * river levels and rain from the reading store, then a replay of the 10-minute issues of the last days over
 * them, as they would have been made (the forecaster reads nothing stamped after each issue time), so each lead
 * has learnt, earned its interval and its skill before the broker is heard, instead of learning for the first
 * hours of every run. Rain forecasts are not stored: their terms learn from the live ones.
 *
 * Older than the raw warm start's window (warmStart.ts, 26 h, raw readings fed by the pipeline), the store's
 * minute rollups are read: a level's minute mean at the minute's start, a rain gauge's minute sum at its end.
 */
import { REHEARSAL_MAX_HISTORY_AGE_MS } from '../../../shared/mqtt';
import type { ForecastService } from '../../domain/forecast/service';
import type { Logger } from '../../log';
import { forEachBucketed } from './forEachBucketed';
import type { ReadingStore } from './port';
import { WARM_START_HOURS } from './warmStart';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** Days of history the models learn from at start (about 1,000 issues: a few seconds). */
export const RIVER_WARM_DAYS = 7;

/**
 * Feeds the minute rollups of the basins' gauges older than the raw warm start (`now` is the raw warm start's),
 * or those of [from, to) when given (a rehearsal learning again: all of it is in the rollups). `first` is the
 * oldest minute fed.
 */
export async function feedRiverHistory(
  store: Pick<ReadingStore, 'rangeBucketedMany'>,
  fc: Pick<ForecastService, 'inputs' | 'addLevel' | 'addRain'>,
  now: number,
  span: { from: number; to: number } = { from: now - RIVER_WARM_DAYS * 24 * HOUR_MS, to: now - WARM_START_HOURS * HOUR_MS },
): Promise<{ gauges: number; minutes: number; first: number | undefined }> {
  const { levels, rain } = fc.inputs();
  const { from, to } = span;
  let gauges = 0;
  let minutes = 0;
  let first: number | undefined;
  const seen = (points: { ts: number }[]) => {
    gauges++;
    minutes += points.length;
    if (points.length > 0 && (first === undefined || points[0]!.ts < first)) first = points[0]!.ts;
  };
  await forEachBucketed(store, levels, from, to, '1m', (id, points) => {
    seen(points);
    for (const p of points) {
      const m = p.metrics.waterLevel;
      if (m) fc.addLevel(id, p.ts, m.mean);
    }
  }, { metrics: ['waterLevel'] });
  await forEachBucketed(store, rain, from, to, '1m', (id, points) => {
    seen(points);
    for (const p of points) {
      const m = p.metrics.precipitation;
      // The minute's rain, stamped at its end like a gauge's report (the mm since the previous one).
      if (m) fc.addRain(id, Math.min(p.ts + MINUTE_MS - 1, to - 1), m.sum);
    }
  }, { metrics: ['precipitation'] });
  return { gauges, minutes, first };
}

/**
 * Steps the forecasts every 10 minutes over the warm days up to `now` (a step before a gauge has 3 hours of
 * levels issues nothing for it): each step verifies what came due and learns from it.
 */
export function replayRiverForecasts(fc: ForecastService, now: number): number {
  let steps = 0;
  for (const n of fc.replaying(now - RIVER_WARM_DAYS * 24 * HOUR_MS, now)) steps = n;
  return steps;
}

/**
 * A rehearsal's river forecasts learn again once its fleet's learning period is in the store (the clock's
 * `backfilling` turned false, server/clock.ts): the readings taken so far are written, the stored history of
 * the basins' gauges (at most REHEARSAL_MAX_HISTORY_AGE_MS back) is fed to fresh models, and their issues are
 * replayed up to now beside the live ones, which they then replace (ForecastService.relearn).
 */
export async function relearnRivers(o: {
  store: Pick<ReadingStore, 'rangeBucketedMany'>;
  fc: ForecastService;
  /** Writes what the pipeline has taken so far, so the store holds all of the learning period. */
  flush: () => Promise<void>;
  now: () => number;
  log: Pick<Logger, 'info'>;
}): Promise<{ minutes: number; steps: number }> {
  const t0 = performance.now();
  await o.flush();
  const now = o.now();
  let minutes = 0;
  const steps = await o.fc.relearn(async (fresh) => {
    const fed = await feedRiverHistory(o.store, fresh, now, { from: now - REHEARSAL_MAX_HISTORY_AGE_MS, to: now });
    minutes = fed.minutes;
    return fed.first;
  }, now, () => new Promise((r) => setImmediate(r)));
  o.log.info({ minutes, steps, ms: Math.round(performance.now() - t0) }, 'river forecasts learnt again from the rehearsal\'s learning period');
  return { minutes, steps };
}

/**
 * Learns again each time the rehearsal's fleet says its history is all sent (`RehearsalClock.onHistorySent`),
 * one at a time; closing waits for one under way.
 */
export function relearnOnHistorySent(clock: { onHistorySent?: () => void }, o: Parameters<typeof relearnRivers>[0] & { log: Pick<Logger, 'warn'> }): { close(): Promise<void> } {
  let running: Promise<unknown> | null = null;
  clock.onHistorySent = () => {
    running ??= relearnRivers(o)
      .catch((err: Error) => o.log.warn({ err }, 'river forecasts could not learn again'))
      .finally(() => (running = null));
  };
  return {
    close: async () => {
      clock.onHistorySent = undefined;
      await running;
    },
  };
}
