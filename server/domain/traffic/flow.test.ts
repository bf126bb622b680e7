import { describe, expect, it } from 'vitest';
import type { Segment } from '../../../shared/traffic';
import {
  cameraFlow,
  DEFAULT_CAMERA_MAX_AGE_MS,
  mostCongested,
  networkVolume,
  segmentFlow,
  segmentFlows,
  type CameraSample,
} from './flow';

const T0 = Date.UTC(2025, 9, 28, 1, 0, 0); // 08:00 in Vietnam

const makeSegment = (overrides: Partial<Segment> = {}): Segment => ({
  id: 'ql1a-0100',
  road: 'QL1A',
  name: 'QL1A Km 10–13',
  fromKm: 10,
  toKm: 13,
  lengthKm: 3,
  freeFlowKmh: 70,
  coordinates: [
    [108.8, 15.1],
    [108.8, 15.07],
  ],
  commune: '21025',
  cameraIds: { forward: ['f1', 'f2'], backward: ['b1'] },
  ...overrides,
});

/** Flattened values as server/ingest/values.ts stores them. */
const makeValues = (speed: number, o: { car?: number; motorbike?: number; truck?: number; bus?: number; occupancy?: number } = {}) => {
  const v: Record<string, number> = { windowSec: 60, averageVehicleSpeed: speed, occupancy: o.occupancy ?? 0.1 };
  let total = 0;
  for (const c of ['car', 'motorbike', 'truck', 'bus'] as const) {
    if (o[c] === undefined) continue;
    v[`intensity.${c}`] = o[c];
    total += o[c];
  }
  v.intensity = total;
  return v;
};

const lookupOf = (m: Record<string, CameraSample>) => (id: string) => m[id];

describe('cameraFlow', () => {
  it('reads vehicles per hour by class, speed and occupancy', () => {
    const f = cameraFlow(makeValues(55, { car: 300, motorbike: 900, truck: 120, occupancy: 0.2 }))!;
    expect(f.vehiclesPerHour).toEqual({ car: 300, motorbike: 900, truck: 120, bus: 0 });
    expect(f.totalPerHour).toBe(1320);
    expect(f.speedKmh).toBe(55);
    expect(f.occupancy).toBe(0.2);
    expect(f.windowSec).toBe(60);
  });

  it('sums the classes when no total is given, and has nothing to grade without a speed', () => {
    expect(cameraFlow({ 'intensity.car': 10, 'intensity.bus': 5, averageVehicleSpeed: 40 })!.totalPerHour).toBe(15);
    expect(cameraFlow({ 'intensity.car': 10 })).toBeNull();
    expect(cameraFlow({ averageVehicleSpeed: Number.NaN })).toBeNull();
  });
});

describe('segmentFlow', () => {
  it('is noData, never a guessed level, without a live camera', () => {
    const seg = makeSegment();
    const f = segmentFlow(seg, () => undefined, T0);
    expect(f.los).toBe('noData');
    expect(f.speedKmh).toBeNull();
    expect(f.totalPerHour).toBeNull();
    expect(f.forward.los).toBe('noData');
    expect(f.liveCameras).toBe(0);
    expect(f.asOf).toBeNull();
  });

  it('ignores stale readings and cameras reported offline', () => {
    const seg = makeSegment();
    const stale = { ts: T0 - DEFAULT_CAMERA_MAX_AGE_MS, values: makeValues(10, { car: 100 }) };
    const offline = { ts: T0 - 1000, values: makeValues(10, { car: 100 }), online: false };
    expect(segmentFlow(seg, lookupOf({ f1: stale, b1: offline }), T0).los).toBe('noData');
    const fresh = { ts: T0 - DEFAULT_CAMERA_MAX_AGE_MS + 1, values: makeValues(10, { car: 100 }) };
    expect(segmentFlow(seg, lookupOf({ f1: fresh }), T0).los).toBe('F');
    expect(segmentFlow(seg, lookupOf({ f1: stale }), T0, { maxAgeMs: 10 * 60_000 }).los).toBe('F');
  });

  it('grades each direction by its slowest live camera and the segment by the worse direction', () => {
    const seg = makeSegment();
    const f = segmentFlow(
      seg,
      lookupOf({
        f1: { ts: T0 - 5000, values: makeValues(65, { car: 200, motorbike: 600, occupancy: 0.1 }) },
        f2: { ts: T0 - 2000, values: makeValues(30, { car: 100, motorbike: 400, occupancy: 0.4 }) },
        b1: { ts: T0 - 8000, values: makeValues(50, { car: 150, truck: 50 }) },
      }),
      T0,
    );
    // forward: slowest 30 km/h of 70 = 42.9 % → D; backward: 50 of 70 = 71 % → B
    expect(f.forward).toMatchObject({ los: 'D', speedKmh: 30, occupancy: 0.4, liveCameras: 2 });
    expect(f.forward.vehiclesPerHour).toEqual({ car: 150, motorbike: 500, truck: 0, bus: 0 });
    expect(f.backward).toMatchObject({ los: 'B', speedKmh: 50, liveCameras: 1 });
    expect(f.los).toBe('D');
    expect(f.speedKmh).toBe(30);
    expect(f.speedRatio).toBeCloseTo(30 / 70, 10);
    expect(f.vehiclesPerHour).toEqual({ car: 300, motorbike: 500, truck: 50, bus: 0 });
    expect(f.totalPerHour).toBe(850);
    expect(f.liveCameras).toBe(3);
    expect(f.asOf).toBe(T0 - 2000);
  });

  it('takes the slower direction when both are at the same level', () => {
    const seg = makeSegment();
    const f = segmentFlow(
      seg,
      lookupOf({ f1: { ts: T0, values: makeValues(20) }, b1: { ts: T0, values: makeValues(15) } }),
      T0,
    );
    expect(f.los).toBe('F');
    expect(f.speedKmh).toBe(15);
  });

  it('shows the direction that has data when the other has none', () => {
    const f = segmentFlow(makeSegment(), lookupOf({ b1: { ts: T0, values: makeValues(25, { car: 80 }) } }), T0);
    expect(f.forward.los).toBe('noData');
    expect(f.los).toBe('E');
    expect(f.totalPerHour).toBe(80);
  });
});

describe('networkVolume', () => {
  it('sums segments with data only', () => {
    const a = makeSegment({ id: 'a', cameraIds: { forward: ['x'], backward: [] } });
    const b = makeSegment({ id: 'b', cameraIds: { forward: ['y'], backward: [] } });
    const c = makeSegment({ id: 'c', cameraIds: { forward: ['z'], backward: [] } });
    const flows = segmentFlows(
      [a, b, c],
      lookupOf({
        x: { ts: T0, values: makeValues(60, { car: 100, motorbike: 300 }) },
        y: { ts: T0, values: makeValues(60, { car: 50, bus: 10 }) },
      }),
      T0,
    );
    expect(networkVolume(flows)).toEqual({
      vehiclesPerHour: { car: 150, motorbike: 300, truck: 0, bus: 10 },
      totalPerHour: 460,
      segmentsWithData: 2,
    });
  });
});

describe('mostCongested', () => {
  it('lists the worst level first, then the slowest share of free flow, without no-data segments', () => {
    const segs = ['a', 'b', 'c', 'd', 'e'].map((id) => makeSegment({ id, cameraIds: { forward: [id], backward: [] } }));
    const speeds: Record<string, number> = { a: 60, b: 25, c: 18, d: 27 };
    const flows = segmentFlows(segs, (id) => (id in speeds ? { ts: T0, values: makeValues(speeds[id]!) } : undefined), T0);
    // c 26 % F; b 36 % E; d 39 % E; a 86 % A; e no data
    expect(mostCongested(flows).map((f) => [f.segmentId, f.los])).toEqual([
      ['c', 'F'],
      ['b', 'E'],
      ['d', 'E'],
      ['a', 'A'],
    ]);
    expect(mostCongested(flows, 2).map((f) => f.segmentId)).toEqual(['c', 'b']);
    expect(mostCongested(flows, 0)).toEqual([]);
  });
});
