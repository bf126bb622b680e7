/**
 * A traffic camera: classified counts, average speed and occupancy per window, and AI-detected
 * violations. Motorbikes dominate, commuting peaks at 7–8h and 17–18h, nights are quiet, weekends
 * lighter; trucks run at night on national highways (QL1A), when city truck bans do not apply.
 * An incident on the road near the camera (incidents.ts) caps the speed and thins the flow.
 */
import type { CameraEventInput, TelemetryInput, VehicleClass, ViolationType } from '../../shared/mqtt';
import type { Device } from '../../shared/devices';
import { gaussian, uniform, type RandomSource } from '../../shared/random';
import { clamp, hourBump, poisson, round, vnHour, vnWeekday } from './noise';
import type { RoadIncident } from './effects';
import { worstSlowdown } from './incidents';
import { makePlate } from './plates';

export interface CameraReport {
  telemetry: TelemetryInput['camera'];
  events: CameraEventInput[];
}

export interface CameraModel {
  /** Counts over the window (t - windowSec, t] and the violations detected in it. */
  report(t: number, windowSec: number): CameraReport;
  /** Expected flow (veh/h) per class at t, without sampling noise. */
  expectedIntensity(t: number): Record<VehicleClass, number>;
}

const NATIONAL_RE = /\b(QL|AH|CT)\s*\.?\s*\d|quốc lộ|cao tốc/i;
const QL1_RE = /\b(QL|quốc lộ)\s*\.?\s*1A?(?!\d)/i;
/** Passenger-car units, to turn a mix of vehicles into a load on the road. */
const PCU: Record<VehicleClass, number> = { motorbike: 0.3, car: 1, truck: 2.5, bus: 2.5 };
const CLASSES: readonly VehicleClass[] = ['motorbike', 'car', 'truck', 'bus'];
/** Violations per vehicle passing, and how much more often each class is caught. */
const VIOLATIONS_PER_VEHICLE = 0.0012;
const PROPENSITY: Record<VehicleClass, number> = { motorbike: 1.3, car: 1, truck: 1.2, bus: 0.7 };
const VIOLATION_MIX: Record<VehicleClass, ReadonlyArray<readonly [ViolationType, number]>> = {
  motorbike: [
    ['noHelmet', 0.25],
    ['redLight', 0.25],
    ['wrongLane', 0.2],
    ['speeding', 0.1],
    ['wrongWay', 0.1],
    ['phoneUse', 0.06],
    ['illegalParking', 0.04],
  ],
  car: [
    ['speeding', 0.35],
    ['redLight', 0.2],
    ['wrongLane', 0.2],
    ['illegalParking', 0.12],
    ['phoneUse', 0.06],
    ['wrongWay', 0.07],
  ],
  truck: [
    ['speeding', 0.3],
    ['wrongLane', 0.3],
    ['redLight', 0.2],
    ['illegalParking', 0.12],
    ['wrongWay', 0.08],
  ],
  bus: [
    ['speeding', 0.3],
    ['wrongLane', 0.25],
    ['redLight', 0.2],
    ['illegalParking', 0.2],
    ['wrongWay', 0.05],
  ],
};

function weighted<T>(r: RandomSource, items: ReadonlyArray<readonly [T, number]>): T {
  let total = 0;
  for (const [, w] of items) total += w;
  let x = r.next() * total;
  for (const [item, w] of items) {
    x -= w;
    if (x < 0) return item;
  }
  return items[items.length - 1]![0];
}

/** Smooth 0..1 window that is 1 between the hours `from` and `to`. */
function daytime(h: number, from: number, to: number): number {
  return (1 / (1 + Math.exp(-(h - from) * 2))) * (1 / (1 + Math.exp((h - to) * 2)));
}

/** Commuter traffic share of the peak hour, by hour and weekday. */
export function commuterProfile(h: number, weekday: number): number {
  const saturday = weekday === 6;
  const sunday = weekday === 0;
  const morning = sunday ? 0.35 : saturday ? 0.6 : 1;
  const overall = sunday ? 0.78 : saturday ? 0.88 : 1;
  const p =
    0.04 +
    0.22 * daytime(h, 6, 22) +
    0.75 * morning * hourBump(h, 7.25, 0.75) +
    0.8 * hourBump(h, 17.5, 1.0) +
    0.18 * hourBump(h, 11.5, 1.2);
  return overall * p;
}

function truckProfile(h: number, ql1: boolean): number {
  if (ql1) return 0.45 + 0.55 * hourBump(h, 1, 3) + 0.15 * daytime(h, 7, 18);
  return 0.08 + 0.5 * daytime(h, 6, 20);
}

/** Incidents on the camera's road at t (natural and scenario ones). */
export type IncidentsAt = (road: string, t: number) => readonly RoadIncident[];

export function createCameraModel(
  device: Device,
  r: RandomSource,
  plateCodes: readonly string[],
  incidentsAt?: IncidentsAt,
): CameraModel {
  const road = typeof device.props?.road === 'string' ? device.props.road : '';
  const km = typeof device.props?.km === 'number' ? device.props.km : null;
  const national = NATIONAL_RE.test(road);
  const ql1 = QL1_RE.test(road);
  const propLimit = device.props?.speedLimit;
  const speedLimit = typeof propLimit === 'number' && propLimit > 0 ? propLimit : national ? 80 : 50;
  const scale = uniform(r, 0.6, 1.4);
  const base: Record<VehicleClass, number> = national
    ? { motorbike: uniform(r, 700, 1600), car: uniform(r, 350, 900), truck: uniform(r, 150, 380), bus: uniform(r, 25, 70) }
    : { motorbike: uniform(r, 1800, 3600), car: uniform(r, 250, 650), truck: uniform(r, 15, 60), bus: uniform(r, 10, 35) };
  for (const c of CLASSES) base[c] *= scale;
  const freeFlow = speedLimit * uniform(r, 0.78, 0.92);
  let peakPcu = 0;
  for (const c of CLASSES) peakPcu += base[c] * PCU[c];
  const capacity = peakPcu * uniform(r, 1.1, 1.35);

  function expectedIntensity(t: number): Record<VehicleClass, number> {
    const h = vnHour(t);
    const commuter = commuterProfile(h, vnWeekday(t));
    return {
      motorbike: base.motorbike * commuter,
      car: base.car * (0.7 * commuter + 0.06),
      truck: base.truck * truckProfile(h, ql1),
      bus: base.bus * daytime(h, 5.5, 20),
    };
  }

  function violation(ts: number, flows: Record<VehicleClass, number>): CameraEventInput {
    const vehicleType = weighted(
      r,
      CLASSES.map((c) => [c, flows[c] * PROPENSITY[c]] as const),
    );
    const kind = weighted(r, VIOLATION_MIX[vehicleType]);
    const event: CameraEventInput = { ts, violation: kind, plate: makePlate(r, vehicleType, plateCodes), vehicleType };
    if (kind === 'speeding') {
      // Most offenders are a little over the limit; a few are far over.
      const over = 5 + Math.min(60, -Math.log(1 - r.next()) * 9);
      event.speed = Math.round(speedLimit + over);
      event.speedLimit = speedLimit;
    }
    return event;
  }

  function report(t: number, windowSec: number): CameraReport {
    const slowdown = incidentsAt && km !== null && road ? worstSlowdown(incidentsAt(road, t), km, t) : null;
    const flows = expectedIntensity(t);
    if (slowdown) for (const c of CLASSES) flows[c] *= slowdown.flowFactor;
    const intensity: Record<VehicleClass, number> = { motorbike: 0, car: 0, truck: 0, bus: 0 };
    let pcu = 0;
    let total = 0;
    for (const c of CLASSES) {
      const count = poisson(r, (flows[c] * windowSec) / 3600);
      intensity[c] = Math.round((count * 3600) / windowSec);
      pcu += flows[c] * PCU[c];
      total += flows[c];
    }
    const load = clamp(pcu / capacity, 0, 1.2);
    let speed = freeFlow * (1 - 0.6 * load ** 2.5) * (1 + 0.03 * gaussian(r));
    let occupancy = clamp(0.01 + 0.35 * load + 0.45 * load ** 4 + 0.01 * gaussian(r), 0, 0.98);
    if (slowdown) {
      // Stop-and-go: the queue's speed, vehicles packed close over the detector.
      speed = Math.min(speed, speedLimit * slowdown.speedFactor * (1 + 0.05 * gaussian(r)));
      occupancy = Math.max(occupancy, clamp(0.95 - slowdown.speedFactor, 0, 0.95));
    }
    const telemetry: TelemetryInput['camera'] = {
      ts: t,
      windowSec,
      intensity,
      averageVehicleSpeed: round(clamp(speed, slowdown ? 1 : 5, speedLimit - 1), 1),
      occupancy: round(occupancy, 3),
    };
    const windowMs = windowSec * 1000;
    const n = poisson(r, (total * VIOLATIONS_PER_VEHICLE * windowSec) / 3600);
    const stamps: number[] = [];
    for (let i = 0; i < n; i++) stamps.push(Math.round(t - windowMs + r.next() * windowMs));
    stamps.sort((a, b) => a - b);
    return { telemetry, events: stamps.map((ts) => violation(ts, flows)) };
  }

  return { report, expectedIntensity };
}
