/**
 * `dry-season` (mùa khô, cháy rừng): a dry spell in the hot weeks before the rains, when the north-west's
 * forests burn. The simulated clock starts at 06:00 on 10 March of the current year (Vietnam); from then no
 * rain falls and the afternoons are hotter and drier (fleet/weather.ts `drought`), so the communes' forest fire
 * danger (QĐ 127/2000, the Nesterov index stepped each day after 13:00) climbs a level every few days to V.
 * On the 21st day a front brings rain again, and the index resets.
 *
 * Days pass only at high speed: rehearse it with the air stations and rain gauges alone,
 * `npm run sim -- --scenario dry-season --speed 3600 --rehearsal --kinds air-station,rain-gauge`.
 */
import { HOUR_MS, phasesFrom, type Scenario, type ScenarioSetup } from './types';

const DAY_MS = 24 * HOUR_MS;
const VN_OFFSET_MS = 7 * HOUR_MS;
/** The front that ends the spell arrives this many days in. */
export const SPELL_DAYS = 20;
/** The spell reaches full strength over its first day. */
const ONSET_DAYS = 1;

export const DRY_SEASON_PHASES: ReadonlyArray<readonly [number, string]> = [
  [0, 'the dry spell sets in: no rain, hot dry afternoons'],
  [2 * DAY_MS, 'day 3: fire danger rising (cấp II–III)'],
  [6 * DAY_MS, 'day 7: fire danger dangerous (cấp IV) in the lowest, hottest valleys'],
  [12 * DAY_MS, 'day 13: fire danger extreme (cấp V)'],
  [SPELL_DAYS * DAY_MS, 'a front brings rain: the index resets'],
];

/** 06:00 in Vietnam on 10 March of `now`'s year. */
export function drySeasonStart(now: number): number {
  const year = new Date(now + VN_OFFSET_MS).getUTCFullYear();
  return Date.UTC(year, 2, 10, 6) - VN_OFFSET_MS;
}

export function drySeason(setup: ScenarioSetup): Scenario {
  const t0 = drySeasonStart(setup.now);
  return {
    name: 'dry-season',
    title: `dry-season: ${SPELL_DAYS} days without rain from 10 March; forest fire danger climbs to V`,
    simStart: t0,
    phaseAt: phasesFrom(t0, DRY_SEASON_PHASES),
    effects: {
      drought(_place, t) {
        const d = (t - t0) / DAY_MS;
        if (d < 0 || d >= SPELL_DAYS) return 0;
        return Math.min(1, d / ONSET_DAYS + 0.5);
      },
    },
  };
}
