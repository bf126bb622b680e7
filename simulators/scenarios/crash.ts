/**
 * `rush-hour-crash`: the evening peak on QL1A through the provincial capital, and at 17:00 a truck
 * overturns across the road: its segment stops, queues back up over the neighbouring segments on both
 * carriageways (deep enough for the server to open a congestion incident), and dissolve after the road is
 * cleared. The simulated clock starts at 16:30 in Vietnam on the current day; payload timestamps stay
 * wall-clock time, so the wall shows it live whatever the hour.
 */
import type { Device } from '../../shared/devices';
import { distanceKm } from '../fleet/catchment';
import type { RoadIncident } from '../fleet/effects';
import { DISSOLVE_MS } from '../fleet/incidents';
import { placesFor } from './places';
import { HOUR_MS, MINUTE_MS, phasesFrom, type Scenario, type ScenarioSetup } from './types';

const VN_OFFSET_MS = 7 * HOUR_MS;
const START_HOUR_VN = 16.5;
const CRASH_AFTER = 30 * MINUTE_MS;
const CLEARED_AFTER = 105 * MINUTE_MS;

export const CRASH_PHASES: ReadonlyArray<readonly [number, string]> = [
  [0, 'evening peak builds on QL1A'],
  [CRASH_AFTER, 'crash: QL1A blocked'],
  [CRASH_AFTER + 20 * MINUTE_MS, 'queues back up over the neighbouring segments'],
  [CLEARED_AFTER, 'road cleared; queues dissolving'],
  [CLEARED_AFTER + DISSOLVE_MS, 'evening traffic'],
];

/** 16:30 (Vietnam) on the Vietnamese calendar day of `now`. */
export function eveningStart(now: number): number {
  const dayStartVn = Math.floor((now + VN_OFFSET_MS) / (24 * HOUR_MS)) * 24 * HOUR_MS - VN_OFFSET_MS;
  return dayStartVn + START_HOUR_VN * HOUR_MS;
}

/** The urban QL1A camera (speed limit ≤ 60) nearest the city centre; any QL1A camera if none is urban. */
export function crashCamera(devices: readonly Device[], centre: { lon: number; lat: number }): Device | null {
  const ql1a = devices.filter(
    (d) => d.kind === 'traffic-camera' && /^QL\s*1A?$/i.test(String(d.props?.road ?? '')) && typeof d.props?.km === 'number',
  );
  const urban = ql1a.filter((d) => Number(d.props?.speedLimit ?? 99) <= 60);
  const pool = urban.length > 0 ? urban : ql1a;
  let best: Device | null = null;
  for (const d of pool) if (!best || distanceKm(d, centre) < distanceKm(best, centre)) best = d;
  return best;
}

export function rushHourCrash(setup: ScenarioSetup): Scenario {
  const simStart = eveningStart(setup.now);
  const cam = crashCamera(setup.devices, placesFor(setup.province, setup.devices).cityCentre);
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
      : 'rush-hour crash: no QL1A camera in this fleet',
    simStart,
    phaseAt: phasesFrom(simStart, CRASH_PHASES),
    effects: {
      incidents: (road) => (incident && road === incident.road ? [incident] : []),
    },
  };
}
