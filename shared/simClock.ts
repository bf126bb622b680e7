/**
 * The rehearsal clock (DIỄN TẬP). A scenario played faster than real time publishes its simulated time
 * on one retained topic; a server started with CLOCK=scenario runs every time-based rule (rates, rain
 * windows, offline detection, alarm durations, escalation, incidents, charts) on that time, and readings
 * carry simulated timestamps. A live server (the default) does not listen to it, and refuses simulated
 * timestamps as it refuses any clock far from its own.
 *
 * Message on `ioc/v1/sim/clock` (retained, QoS 1), sent at the start of a rehearsal and then every second:
 *   { "simTime": 1796400000000, "speed": 60, "scenario": "flood", "phase": "torrential rain upstream", "backfilling": false }
 * `simTime` is the simulated time (epoch ms) when the message was sent; the server advances it by
 * `speed` × the real time since the message arrived. An empty retained message ends the rehearsal.
 */
import { z } from 'zod';
import { TOPIC_ROOT } from './mqtt';

/** The simulators' scenarios (simulators/scenarios/): `SIM_SCENARIO` for `npm start`, `--scenario` for `npm run sim`. */
export const SCENARIO_NAMES = ['normal-day', 'flood', 'flash-flood', 'dry-season', 'pollution', 'rush-hour-crash', 'faults'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export const SIM_CLOCK_TOPIC = `${TOPIC_ROOT}/sim/clock`;
/** How often a rehearsal publishes its clock (real ms). */
export const SIM_CLOCK_EVERY_MS = 1000;

export const simClockSchema = z.object({
  simTime: z.number().finite().positive(),
  speed: z.number().positive().max(100_000),
  scenario: z.string().max(64).optional(),
  phase: z.string().max(128).optional(),
  /**
   * True while the fleet is still sending history (the stations' backfill, a rehearsal's learning period);
   * false once all of it is acknowledged. A rehearsal server learns its river forecasts again from its store
   * when it turns false (server/store/readings/warmRivers.ts).
   */
  backfilling: z.boolean().optional(),
});
export type SimClockMessage = z.infer<typeof simClockSchema>;

/** What a view shows about the clock it runs on: the header says DIỄN TẬP in a rehearsal. */
export type ClockInfo =
  | { mode: 'live' }
  | {
      mode: 'rehearsal';
      /** False until the rehearsal's first clock message has arrived. */
      synced: boolean;
      speed: number;
      scenario: string | null;
      phase: string | null;
    };
