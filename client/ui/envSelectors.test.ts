/** The wall's per-gauge flood risk level: the server's rule on the levels the wall holds. */
import { describe, expect, it } from 'vitest';
import { LiveStore } from '../store/liveStore';
import { makeDevice, makeHydroDerived, makeRiskSnapshot, makeWallDelta, makeWallSnapshot, manualScheduler } from '../test-support/fixtures';
import { selectGaugeFloodRisk } from './envSelectors';

function wallStore() {
  const frames = manualScheduler();
  const store = new LiveStore({ view: 'wall', schedule: frames.schedule });
  store.setRegistry('r1', [
    makeDevice({ id: 'g-0', type: 'hydro', kind: 'river-gauge' }),
    makeDevice({ id: 'g-1', type: 'hydro', kind: 'river-gauge' }),
    makeDevice({ id: 'g-2', type: 'hydro', kind: 'river-gauge' }),
  ]);
  frames.flush();
  return { store, frames };
}

const bd = [3.5, 5, 6.5] as [number, number, number];
const flood = (basins: string[]) => ({
  verified: false,
  source: 'test',
  gauges: basins.map((basin, i) => ({ i, zone: 2 as const, basin, historic: null })),
});

describe('selectGaugeFloodRisk', () => {
  it("gives each gauge with a level Điều 45's level and clause, several basins together, and follows the deltas", () => {
    const { store, frames } = wallStore();
    store.applySnapshot(
      makeWallSnapshot({
        devices: [
          { i: 0, on: 1, ts: 1, x: makeHydroDerived({ level: 6.7, stage: 3, bd }) },
          { i: 1, on: 1, ts: 1, x: makeHydroDerived({ level: 4, stage: 1, bd }) },
          { i: 2, on: 1, ts: 1, x: makeHydroDerived({ level: null, stage: 0, bd }) },
        ],
        risk: makeRiskSnapshot({ flood: flood(['Trà Khúc', 'Vệ', 'Vệ']) }),
      }),
    );
    frames.flush();
    const first = selectGaugeFloodRisk(store);
    // Khu vực 2: BĐ III → 2c; BĐ I on a second basin with the first one in flood → 2d; no level yet → nothing.
    expect([...first]).toEqual([
      [0, { level: 2, clause: '2c' }],
      [1, { level: 2, clause: '2d' }],
    ]);
    // The same object until a level or the risk snapshot moves.
    expect(selectGaugeFloodRisk(store)).toBe(first);
    store.applyDelta(makeWallDelta({ seq: 11, devices: [{ i: 0, on: 1, ts: 2, x: makeHydroDerived({ level: 7.6, stage: 3, bd }) }] }));
    frames.flush();
    expect(selectGaugeFloodRisk(store).get(0)).toEqual({ level: 3, clause: '3c' });
  });

  it('is empty without flood levels from the server', () => {
    const { store, frames } = wallStore();
    store.applySnapshot(makeWallSnapshot({ devices: [{ i: 0, on: 1, ts: 1, x: makeHydroDerived({ level: 7, stage: 3, bd }) }], risk: makeRiskSnapshot({ flood: null }) }));
    frames.flush();
    expect(selectGaugeFloodRisk(store).size).toBe(0);
  });
});
