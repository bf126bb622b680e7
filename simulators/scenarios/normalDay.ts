/** `normal-day`: the ordinary daily cycle of every feed, phases by the time of day in Vietnam. */
import { vnHour } from '../fleet/noise';
import type { PhaseInfo, Scenario, ScenarioSetup } from './types';

/** [from hour, name], Asia/Ho_Chi_Minh. */
const DAY_PHASES: ReadonlyArray<readonly [number, string]> = [
  [0, 'night'],
  [5, 'dawn'],
  [6.5, 'morning peak'],
  [8.5, 'daytime'],
  [16.5, 'evening peak'],
  [18.5, 'evening'],
  [22, 'late evening'],
];

export function dayPhase(simT: number): PhaseInfo {
  const h = vnHour(simT);
  let index = 0;
  for (let k = 0; k < DAY_PHASES.length; k++) if (h >= DAY_PHASES[k]![0]) index = k;
  return { index, total: DAY_PHASES.length, name: DAY_PHASES[index]![1] };
}

export function normalDay(setup: ScenarioSetup): Scenario {
  return {
    name: 'normal-day',
    title: 'an ordinary day: every feed on its daily cycle',
    simStart: setup.now,
    phaseAt: dayPhase,
    effects: {},
  };
}
