/**
 * Traffic flow from camera telemetry: per camera, then per segment and direction. Pure; the caller passes
 * `now` and a lookup of each camera's latest reading (the device table's flattened values).
 *
 * Units (README, MQTT contract): `intensity.<class>` is already vehicles per hour over the report window,
 * `intensity` is their total (added by ingest), `averageVehicleSpeed` km/h, `occupancy` 0..1.
 *
 * A segment's state, decided here:
 * - Only LIVE cameras count: a reading younger than maxAgeMs (three 30 s reports, as the device table)
 *   from a camera not marked offline. A direction, or a segment, with no live camera is 'noData'.
 * - Per direction, speed and occupancy are those of the slowest live camera (the bottleneck sets the travel
 *   time over the segment), volumes are the mean of the live cameras (the same vehicles pass each of them).
 * - The segment takes the worse direction (the map draws one line per segment), and both directions are
 *   kept for panels that show them apart. Its volume is the sum of the directions that have data.
 */
import { VEHICLE_CLASSES, type VehicleClass } from '../../../shared/mqtt';
import { levelOfService, losRank, type Segment, type SegmentLos } from '../../../shared/traffic';

export interface CameraSample {
  /** Epoch ms of the reading. */
  ts: number;
  values: Readonly<Record<string, number>>;
  /** false when the camera is known to be offline (status/last will); absent when unknown. */
  online?: boolean;
}

export type CameraLookup = (cameraId: string) => CameraSample | undefined;

export type ClassCounts = Record<VehicleClass, number>;

export interface CameraFlow {
  vehiclesPerHour: ClassCounts;
  totalPerHour: number;
  speedKmh: number;
  occupancy: number | null;
  windowSec: number | null;
}

export interface DirectionFlow {
  los: SegmentLos;
  /** Slowest live camera's average speed, km/h. */
  speedKmh: number | null;
  occupancy: number | null;
  /** Mean over live cameras. */
  vehiclesPerHour: ClassCounts | null;
  totalPerHour: number | null;
  liveCameras: number;
}

export interface SegmentFlow {
  segmentId: string;
  /** The worse of the two directions; 'noData' only when neither has a live camera. */
  los: SegmentLos;
  /** Speed of the worse direction. */
  speedKmh: number | null;
  /** speedKmh as a share of the segment's free-flow speed (what the level is graded on). */
  speedRatio: number | null;
  /** Summed over directions with data. */
  vehiclesPerHour: ClassCounts | null;
  totalPerHour: number | null;
  forward: DirectionFlow;
  backward: DirectionFlow;
  liveCameras: number;
  /** Newest reading among the live cameras. */
  asOf: number | null;
}

export interface FlowOptions {
  maxAgeMs?: number;
}

/** Three missed 30 s reports, as the device table's offline rule. */
export const DEFAULT_CAMERA_MAX_AGE_MS = 90_000;

const zeroCounts = (): ClassCounts => ({ car: 0, motorbike: 0, truck: 0, bus: 0 });
const num = (v: number | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * One camera's flow from its flattened telemetry values; null without a usable speed (nothing to grade).
 * A class the camera does not report counts as 0; the total is `intensity` when present, else the sum.
 */
export function cameraFlow(values: Readonly<Record<string, number>>): CameraFlow | null {
  const speed = num(values.averageVehicleSpeed);
  if (speed === null || speed < 0) return null;
  const vehiclesPerHour = zeroCounts();
  let sum = 0;
  for (const c of VEHICLE_CLASSES) {
    const v = num(values[`intensity.${c}`]);
    if (v !== null && v >= 0) {
      vehiclesPerHour[c] = v;
      sum += v;
    }
  }
  const total = num(values.intensity);
  return {
    vehiclesPerHour,
    totalPerHour: total !== null && total >= 0 ? total : sum,
    speedKmh: speed,
    occupancy: num(values.occupancy),
    windowSec: num(values.windowSec),
  };
}

function isLive(s: CameraSample | undefined, now: number, maxAgeMs: number): s is CameraSample {
  return s !== undefined && s.online !== false && now - s.ts < maxAgeMs;
}

const NO_DATA: DirectionFlow = {
  los: 'noData',
  speedKmh: null,
  occupancy: null,
  vehiclesPerHour: null,
  totalPerHour: null,
  liveCameras: 0,
};

function directionFlow(flows: readonly CameraFlow[], freeFlowKmh: number): DirectionFlow {
  if (flows.length === 0) return { ...NO_DATA };
  let slowest = flows[0]!;
  const mean = zeroCounts();
  let total = 0;
  for (const f of flows) {
    if (f.speedKmh < slowest.speedKmh) slowest = f;
    for (const c of VEHICLE_CLASSES) mean[c] += f.vehiclesPerHour[c] / flows.length;
    total += f.totalPerHour / flows.length;
  }
  return {
    los: levelOfService(slowest.speedKmh, freeFlowKmh),
    speedKmh: slowest.speedKmh,
    occupancy: slowest.occupancy,
    vehiclesPerHour: mean,
    totalPerHour: total,
    liveCameras: flows.length,
  };
}

export function segmentFlow(segment: Segment, lookup: CameraLookup, now: number, opts: FlowOptions = {}): SegmentFlow {
  const maxAgeMs = opts.maxAgeMs ?? DEFAULT_CAMERA_MAX_AGE_MS;
  let asOf: number | null = null;
  const live = (ids: readonly string[]): CameraFlow[] => {
    const out: CameraFlow[] = [];
    for (const id of ids) {
      const s = lookup(id);
      if (!isLive(s, now, maxAgeMs)) continue;
      const f = cameraFlow(s.values);
      if (!f) continue;
      out.push(f);
      if (asOf === null || s.ts > asOf) asOf = s.ts;
    }
    return out;
  };
  const forward = directionFlow(live(segment.cameraIds.forward), segment.freeFlowKmh);
  const backward = directionFlow(live(segment.cameraIds.backward), segment.freeFlowKmh);

  const rf = losRank(forward.los);
  const rb = losRank(backward.los);
  // Same level both ways: the slower direction is the worse one.
  const worse = rb > rf || (rb === rf && (backward.speedKmh ?? Infinity) < (forward.speedKmh ?? Infinity)) ? backward : forward;

  let vehiclesPerHour: ClassCounts | null = null;
  let totalPerHour: number | null = null;
  for (const d of [forward, backward]) {
    if (!d.vehiclesPerHour || d.totalPerHour === null) continue;
    vehiclesPerHour ??= zeroCounts();
    for (const c of VEHICLE_CLASSES) vehiclesPerHour[c] += d.vehiclesPerHour[c];
    totalPerHour = (totalPerHour ?? 0) + d.totalPerHour;
  }
  return {
    segmentId: segment.id,
    los: worse.los,
    speedKmh: worse.speedKmh,
    speedRatio: worse.speedKmh === null ? null : worse.speedKmh / segment.freeFlowKmh,
    vehiclesPerHour,
    totalPerHour,
    forward,
    backward,
    liveCameras: forward.liveCameras + backward.liveCameras,
    asOf,
  };
}

export function segmentFlows(
  segments: readonly Segment[],
  lookup: CameraLookup,
  now: number,
  opts: FlowOptions = {},
): SegmentFlow[] {
  return segments.map((s) => segmentFlow(s, lookup, now, opts));
}

export interface NetworkVolume {
  vehiclesPerHour: ClassCounts;
  totalPerHour: number;
  /** Segments that contributed (had a live camera). */
  segmentsWithData: number;
}

/**
 * Vehicles per hour on the province's highways for the 24 h chart: the sum over segments with data.
 * Summing segments rather than cameras counts a vehicle once per segment it uses, not once per camera it
 * passes; it is a load index for the network, not a count of distinct vehicles.
 */
export function networkVolume(flows: readonly SegmentFlow[]): NetworkVolume {
  const vehiclesPerHour = zeroCounts();
  let totalPerHour = 0;
  let segmentsWithData = 0;
  for (const f of flows) {
    if (!f.vehiclesPerHour || f.totalPerHour === null) continue;
    segmentsWithData += 1;
    totalPerHour += f.totalPerHour;
    for (const c of VEHICLE_CLASSES) vehiclesPerHour[c] += f.vehiclesPerHour[c];
  }
  return { vehiclesPerHour, totalPerHour, segmentsWithData };
}

/**
 * The most congested segments now, for the wall's list: worst level first, then the lowest share of
 * free-flow speed, then id (a stable order between ticks). Segments without data are left out.
 */
export function mostCongested(flows: readonly SegmentFlow[], limit = 10): SegmentFlow[] {
  return flows
    .filter((f) => f.los !== 'noData' && f.speedRatio !== null)
    .sort(
      (a, b) =>
        losRank(b.los) - losRank(a.los) ||
        a.speedRatio! - b.speedRatio! ||
        (a.segmentId < b.segmentId ? -1 : a.segmentId > b.segmentId ? 1 : 0),
    )
    .slice(0, Math.max(0, limit));
}
