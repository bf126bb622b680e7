/** LiveStore with the environment and traffic parts of the frames (issues 3 and 4). */
import { describe, expect, it } from 'vitest';
import { LiveStore } from './liveStore';
import { HYDRO_BUCKET_MS } from './hydroSeries';
import {
  makeAirDerived,
  makeCommune,
  makeDevice,
  makeHydroDerived,
  makeMobileSnapshot,
  makeSegmentState,
  makeTrafficDelta,
  makeTrafficSnapshot,
  makeViolation,
  makeWallDelta,
  makeWallSnapshot,
  manualScheduler,
} from '../test-support/fixtures';

const T0 = 1_700_000_400_000 - (1_700_000_400_000 % HYDRO_BUCKET_MS);

function wallStore() {
  const frames = manualScheduler();
  let now = 1_000;
  const store = new LiveStore({ view: 'wall', schedule: frames.schedule, now: () => now });
  store.setRegistry('r1', [
    makeDevice({ id: 'air-1', type: 'air', kind: 'air-station' }),
    makeDevice({ id: 'hydro-1', type: 'hydro', kind: 'river-gauge' }),
    makeDevice({ id: 'cam-1', type: 'camera', kind: 'traffic-camera' }),
    makeDevice({ id: 'air-2', type: 'air', kind: 'air-station' }),
  ]);
  frames.flush();
  return { store, frames, setNow: (t: number) => (now = t) };
}

describe('LiveStore: environment', () => {
  it('indexes the stations by type from the registry', () => {
    const { store } = wallStore();
    expect(store.env.stations).toEqual({ air: [0, 3], water: [], hydro: [1], rain: [], reservoir: [] });
    expect([...store.env.hydro.keys()]).toEqual([1]);
  });

  it('takes derived states, communes and hydrographs from a snapshot, then continues them from deltas', () => {
    const { store, frames } = wallStore();
    store.applySnapshot(
      makeWallSnapshot({
        seq: 10,
        devices: [
          { i: 0, on: 1, ts: T0, x: makeAirDerived({ aqi: 160, band: 4 }) },
          { i: 1, on: 1, ts: T0, v: { waterLevel: 3.6 }, x: makeHydroDerived({ level: 3.6, stage: 1 }) },
        ],
        communes: [makeCommune({ code: '21025', aqi: 160, band: 4 })],
        hydrographs: [{ i: 1, points: [[T0 - HYDRO_BUCKET_MS, 3.2], [T0, 3.6]] }],
      }),
    );
    frames.flush();
    expect(store.env.derived[0]).toMatchObject({ kind: 'air', aqi: 160, band: 4 });
    expect(store.env.communes.get('21025')!.band).toBe(4);
    // The snapshot's own latest level is already in its hydrograph: not counted twice.
    expect(store.env.hydro.get(1)!.points()).toEqual([
      [T0 - HYDRO_BUCKET_MS, 3.2],
      [T0, 3.6],
    ]);

    const v = { d: store.env.derivedVersion, c: store.env.communeVersion, h: store.env.hydroVersion };
    store.applyDelta(
      makeWallDelta({
        seq: 11,
        devices: [{ i: 1, on: 1, ts: T0 + HYDRO_BUCKET_MS, v: { waterLevel: 4.1 }, x: makeHydroDerived({ level: 4.1, stage: 1 }) }],
        communes: [makeCommune({ code: '21028', floodStage: 1 })],
      }),
    );
    frames.flush();
    expect(store.env.derivedVersion).toBe(v.d + 1);
    expect(store.env.communeVersion).toBe(v.c + 1);
    expect(store.env.hydroVersion).toBe(v.h + 1);
    expect(store.env.hydro.get(1)!.latest()).toEqual([T0 + HYDRO_BUCKET_MS, 4.1]);
    expect(store.env.communes.size).toBe(2);
  });

  it('moves no environment version when a patch repeats the same derived state', () => {
    const { store, frames } = wallStore();
    const x = makeAirDerived({ aqi: 60, band: 2 });
    store.applySnapshot(makeWallSnapshot({ seq: 10, devices: [{ i: 0, on: 1, ts: 1, x }] }));
    frames.flush();
    const dv = store.env.derivedVersion;
    store.applyDelta(makeWallDelta({ seq: 11, devices: [{ i: 0, on: 1, ts: 2, x: { ...x } }], communes: [] }));
    frames.flush();
    expect(store.env.derivedVersion).toBe(dv);
    store.applyDelta(makeWallDelta({ seq: 12, devices: [{ i: 0, on: 1, ts: 3, x: makeAirDerived({ aqi: 61, band: 2 }) }] }));
    frames.flush();
    expect(store.env.derivedVersion).toBe(dv + 1);
  });

  it('forgets the previous derived state on a fresh snapshot', () => {
    const { store } = wallStore();
    store.applySnapshot(makeWallSnapshot({ seq: 10, devices: [{ i: 0, on: 1, ts: 1, x: makeAirDerived() }] }));
    store.applySnapshot(makeWallSnapshot({ seq: 30, devices: [{ i: 3, on: 1, ts: 1, x: makeAirDerived() }] }));
    expect(store.env.derived[0]).toBeUndefined();
    expect(store.env.derived[3]).toBeDefined();
  });
});

describe('LiveStore: traffic', () => {
  it('feeds the traffic part from snapshot and deltas, pulses stamped with the local clock', () => {
    const { store, frames, setNow } = wallStore();
    store.applySnapshot(makeWallSnapshot({ seq: 10, traffic: makeTrafficSnapshot({ segments: [makeSegmentState({ id: 's1' })] }) }));
    setNow(42_000);
    store.applyDelta(
      makeWallDelta({
        seq: 11,
        traffic: makeTrafficDelta({ segments: [makeSegmentState({ id: 's1', los: 'F' })], violations: [makeViolation({ id: 'v' })] }),
      }),
    );
    frames.flush();
    expect(store.traffic.segments.get('s1')!.los).toBe('F');
    expect(store.traffic.pulses).toEqual([{ id: 'v', cameraId: 'qng-cam-0001', startedAt: 42_000 }]);
  });

  it('keeps segment geometry across snapshots', () => {
    const { store, frames } = wallStore();
    store.setSegments([]);
    frames.flush();
    const gv = store.traffic.geometryVersion;
    store.applySnapshot(makeWallSnapshot({ seq: 10, traffic: makeTrafficSnapshot() }));
    frames.flush();
    expect(store.traffic.geometry).toEqual([]);
    expect(store.traffic.geometryVersion).toBe(gv);
  });
});

describe('LiveStore: phone summaries', () => {
  it('replaces the summaries (and moves the version) only when their content changes', () => {
    const frames = manualScheduler();
    const store = new LiveStore({ view: 'mobile', schedule: frames.schedule });
    store.setRegistry('r1', [makeDevice()]);
    const env = { aqiBands: [1, 0, 0, 0, 0, 0] as [number, number, number, number, number, number], worstAir: [], riversAboveBd1: [], wastewaterExceeding: [], heavyRain: [] };
    store.applySnapshot(makeMobileSnapshot({ seq: 5, env }));
    frames.flush();
    const first = store.mobile.env;
    const v = store.mobile.version;
    store.applyDelta(makeMobileSnapshot({ seq: 6, env: structuredClone(env) }));
    frames.flush();
    expect(store.mobile.env).toBe(first);
    expect(store.mobile.version).toBe(v);
    store.applyDelta(makeMobileSnapshot({ seq: 7, env: { ...env, aqiBands: [0, 1, 0, 0, 0, 0] } }));
    frames.flush();
    expect(store.mobile.env!.aqiBands).toEqual([0, 1, 0, 0, 0, 0]);
    expect(store.mobile.version).toBe(v + 1);
  });
});
