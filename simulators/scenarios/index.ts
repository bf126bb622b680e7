/** The named scenarios (`npm run sim -- --scenario <name>`), built for a fleet, a seed and a start time. */
import { assertNever } from '../../shared/protocol';
import { rushHourCrash } from './crash';
import { faults } from './faults';
import { drySeason } from './drySeason';
import { flashFlood } from './flashFlood';
import { flood } from './flood';
import { normalDay } from './normalDay';
import { pollution } from './pollution';
import type { Scenario, ScenarioName, ScenarioSetup } from './types';

export { SCENARIO_NAMES, isScenarioName, type Scenario, type ScenarioName } from './types';

export const SCENARIO_SUMMARIES: Readonly<Record<ScenarioName, string>> = {
  'normal-day': 'the ordinary daily cycle of every feed (the default)',
  flood: 'a storm over the upper basins; rain first, rivers cross BĐ I → II → III hours later and recede',
  'flash-flood': 'two days of rain, then storm cells over the mountain communes one an hour: commune risk levels (QĐ 18/2021) step up, tributaries rise fast',
  'dry-season': 'a dry spell from 10 March: no rain, hot dry afternoons; forest fire danger climbs day by day to V (run it at --speed 3600 with --kinds air-station,rain-gauge)',
  pollution: "a wastewater station's COD and TSS beyond QCVN 40 for hours; nearby air stations worsen",
  'rush-hour-crash': 'evening peak on the main road (QL1A, QL6) through the city (clock starts 16:30); a crash at 17:00 backs it up',
  faults: 'drop-outs, stuck and drifting sensors, garbage payloads, clock skew and duplicates',
};

export function buildScenario(name: ScenarioName, setup: ScenarioSetup): Scenario {
  switch (name) {
    case 'normal-day':
      return normalDay(setup);
    case 'flood':
      return flood(setup);
    case 'flash-flood':
      return flashFlood(setup);
    case 'dry-season':
      return drySeason(setup);
    case 'pollution':
      return pollution(setup);
    case 'rush-hour-crash':
      return rushHourCrash(setup);
    case 'faults':
      return faults(setup);
    default:
      return assertNever(name, 'scenario');
  }
}
