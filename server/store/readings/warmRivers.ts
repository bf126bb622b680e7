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
import type { ForecastService } from '../../domain/forecast/service';
import { forEachBucketed } from './forEachBucketed';
import type { ReadingStore } from './port';
import { WARM_START_HOURS } from './warmStart';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** Days of history the models learn from at start (about 1,000 issues: a few seconds). */
export const RIVER_WARM_DAYS = 7;
/** The replay's step: the forecasts' issue interval. */
const REPLAY_STEP_MS = 10 * MINUTE_MS;
/** A gauge's first forecast needs its level 3 h back. */
const FIRST_ISSUE_AFTER_MS = 3 * HOUR_MS;

/** Feeds the minute rollups of the basins' gauges older than the raw warm start (`now` is the raw warm start's). */
export async function feedRiverHistory(
  store: Pick<ReadingStore, 'rangeBucketedMany'>,
  fc: ForecastService,
  now: number,
): Promise<{ gauges: number; minutes: number }> {
  const { levels, rain } = fc.inputs();
  const from = now - RIVER_WARM_DAYS * 24 * HOUR_MS;
  const to = now - WARM_START_HOURS * HOUR_MS;
  let gauges = 0;
  let minutes = 0;
  const seen = (points: { ts: number }[]) => {
    gauges++;
    minutes += points.length;
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
  return { gauges, minutes };
}

/**
 * Steps the forecasts every 10 minutes over the warm days up to `now` (a step before a gauge has 3 hours of
 * levels issues nothing for it): each step verifies what came due and learns from it.
 */
export function replayRiverForecasts(fc: ForecastService, now: number): number {
  const first = now - RIVER_WARM_DAYS * 24 * HOUR_MS + FIRST_ISSUE_AFTER_MS;
  let steps = 0;
  for (let t = Math.ceil(first / REPLAY_STEP_MS) * REPLAY_STEP_MS; t < now; t += REPLAY_STEP_MS) {
    fc.step(t);
    steps++;
  }
  return steps;
}
