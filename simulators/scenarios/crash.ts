/**
 * `rush-hour-crash`: the evening peak on the province's main road (province.json `roads.main`: QL1A on the
 * coast, QL6 in Sơn La) through the provincial capital, and at 17:00 a truck
 * overturns across the road: its segment stops, queues back up over the neighbouring segments on both
 * carriageways (deep enough for the server to open a congestion incident), and dissolve after the road is
 * cleared. The simulated clock starts at 16:30 in Vietnam on the current day; payload timestamps stay
 * wall-clock time, so the wall shows it live whatever the hour.
 */
import type { Device } from '../../shared/devices';
import { distanceKm } from '../fleet/catchment';
import type { RoadIncident } from '../fleet/effects';
import { DISSOLVE_MS } from '../fleet/incidents';
import { PROVINCES } from '../registry/catalog';
import { placesFor } from './places';
import { HOUR_MS, MINUTE_MS, phasesFrom, type Scenario, type ScenarioSetup } from './types';

const VN_OFFSET_MS = 7 * HOUR_MS;
const START_HOUR_VN = 16.5;
const CRASH_AFTER = 30 * MINUTE_MS;
const CLEARED_AFTER = 105 * MINUTE_MS;

export const crashPhases = (road: string): ReadonlyArray<readonly [number, string]> => [
  [0, `evening peak builds on ${road}`],
  [CRASH_AFTER, `crash: ${road} blocked`],
  [CRASH_AFTER + 20 * MINUTE_MS, 'queues back up over the neighbouring segments'],
  [CLEARED_AFTER, 'road cleared; queues dissolving'],
  [CLEARED_AFTER + DISSOLVE_MS, 'evening traffic'],
];

/** 16:30 (Vietnam) on the Vietnamese calendar day of `now`. */
export function eveningStart(now: number): number {
  const dayStartVn = Math.floor((now + VN_OFFSET_MS) / (24 * HOUR_MS)) * 24 * HOUR_MS - VN_OFFSET_MS;
  return dayStartVn + START_HOUR_VN * HOUR_MS;
}

/** The urban camera (speed limit ≤ 60) on `road` nearest the city centre; any camera on it if none is urban. */
export function crashCamera(devices: readonly Device[], centre: { lon: number; lat: number }, road: string): Device | null {
  const onRoad = devices.filter((d) => d.kind === 'traffic-camera' && d.props?.road === road && typeof d.props?.km === 'number');
  const urban = onRoad.filter((d) => Number(d.props?.speedLimit ?? 99) <= 60);
  const pool = urban.length > 0 ? urban : onRoad;
  let best: Device | null = null;
  for (const d of pool) if (!best || distanceKm(d, centre) < distanceKm(best, centre)) best = d;
  return best;
}

export function rushHourCrash(setup: ScenarioSetup): Scenario {
  const simStart = eveningStart(setup.now);
  // A province without a catalogue entry (a test registry) is taken to be on QL1A.
  const road = PROVINCES[setup.province]?.roads.main ?? 'QL1A';
  const cam = crashCamera(setup.devices, placesFor(setup.province, setup.devices).cityCentre, road);
  const incident: RoadIncident | null = cam
    ? {
        road: String(cam.props!.road),
        km: cam.props!.km as number,
        start: simStart + CRASH_AFTER,
        clearAt: simStart + CLEARED_AFTER,
        siteFactor: 0.06,
        queueKm: 2.5,
      }
    : null;
  return {
    name: 'rush-hour-crash',
    title: incident
      ? `rush-hour crash: ${incident.road} Km ${incident.km} near ${cam!.name}, from 17:00`
      : `rush-hour crash: no ${road} camera in this fleet`,
    simStart,
    phaseAt: phasesFrom(simStart, crashPhases(road)),
    effects: {
      incidents: (road) => (incident && road === incident.road ? [incident] : []),
    },
  };
}
