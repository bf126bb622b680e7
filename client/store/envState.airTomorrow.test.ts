import { describe, expect, it } from 'vitest';
import type { AirTomorrow } from '../../shared/airForecast';
import { makeDevice, makeWallDelta, makeWallSnapshot, manualScheduler } from '../test-support/fixtures';
import { LiveStore } from './liveStore';
import { selectAirTomorrow } from '../ui/airTomorrow';

const a = (i: number, aqi: number, issuedAt: number): AirTomorrow => ({ i, issuedAt, day: 86_400_000, pm25: 30, pm10: 50, aqi, band: aqi > 50 ? 2 : 1, skill: { n: 0, maeAqi: null, bandHit: null } });

describe("tomorrow's air in the wall's live state", () => {
  it("takes a snapshot's forecasts whole, replaces a station's on a delta, ignores non-air devices, and moves the version", () => {
    const frames = manualScheduler();
    const store = new LiveStore({ view: 'wall', schedule: frames.schedule });
    store.setRegistry('r1', [makeDevice({ id: 'a0', type: 'air' }), makeDevice({ id: 'h1', type: 'hydro' }), makeDevice({ id: 'a2', type: 'air' })]);
    store.applySnapshot(makeWallSnapshot({ seq: 1, devices: [], airTomorrow: [a(0, 40, 1), a(2, 70, 1), a(1, 99, 1)] }));
    frames.flush();
    expect(selectAirTomorrow(store).rows.map((r) => r.i)).toEqual([2, 0]);
    const v = store.env.airTomorrowVersion;
    store.applyDelta(makeWallDelta({ seq: 2, devices: [], airTomorrow: [a(0, 120, 2)] }));
    frames.flush();
    expect(store.env.airTomorrowVersion).toBeGreaterThan(v);
    const view = selectAirTomorrow(store);
    expect(view.rows.map((r) => [r.i, r.aqi])).toEqual([
      [0, 120],
      [2, 70],
    ]);
    // Nothing new: the same view object (the panel does not re-render).
    store.applyDelta(makeWallDelta({ seq: 3, devices: [] }));
    frames.flush();
    expect(selectAirTomorrow(store)).toBe(view);
    // A snapshot without them (a restart, the past) clears them.
    store.applySnapshot(makeWallSnapshot({ seq: 4, devices: [] }));
    frames.flush();
    expect(selectAirTomorrow(store).rows).toEqual([]);
  });
});
