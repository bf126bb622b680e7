/** LiveStore with the forest communes' fire danger levels: the wall's snapshot and daily deltas. */
import { describe, expect, it } from 'vitest';
import type { HistoricWallSnapshot } from '../../shared/events';
import { LiveStore } from './liveStore';
import { makeCommuneFire, makeDevice, makeFireSnapshot, makeWallDelta, makeWallSnapshot, manualScheduler } from '../test-support/fixtures';

function wallStore() {
  const frames = manualScheduler();
  const store = new LiveStore({ view: 'wall', schedule: frames.schedule });
  store.setRegistry('r1', [makeDevice({ id: 'air-1', type: 'air', kind: 'air-station' })]);
  frames.flush();
  return { store, frames };
}

const SOURCE = 'Quyết định của UBND tỉnh về cấp dự báo cháy rừng (2024)';

describe('LiveStore: forest fire danger (wall)', () => {
  it('takes every forest commune, the rule, the source and the trust from a snapshot', () => {
    const { store, frames } = wallStore();
    expect(store.fire.available).toBe(false);
    expect(store.fire.rule).toBeNull();
    store.applySnapshot(
      makeWallSnapshot({
        seq: 10,
        fire: makeFireSnapshot({
          communes: [
            makeCommuneFire({ code: '21025', level: 1, p: 300 }),
            makeCommuneFire({ code: '21028', level: 4, p: 7200, dryDays: 12 }),
            makeCommuneFire({ code: '21034', level: 1, p: 0, dryDays: 0, day: null }),
          ],
          rule: { bands: [2000, 4000, 8000, 16000], resetRainMm: 3 },
          source: SOURCE,
          verified: true,
        }),
      }),
    );
    const before = store.fire.version;
    const levelsBefore = store.fire.levelVersion;
    frames.flush();
    expect(store.fire.version).toBe(before + 1);
    expect(store.fire.levelVersion).toBe(levelsBefore + 1);
    expect(store.fire.available).toBe(true);
    expect(store.fire.rule).toEqual({ bands: [2000, 4000, 8000, 16000], resetRainMm: 3 });
    expect(store.fire.source).toBe(SOURCE);
    expect(store.fire.verified).toBe(true);
    expect([...store.fire.communes.keys()]).toEqual(['21025', '21028', '21034']);
    expect(store.fire.communes.get('21028')).toMatchObject({ level: 4, p: 7200, dryDays: 12 });
    // The commune without a step yet is counted apart, not as level I.
    expect(store.fire.countByLevel()).toEqual([1, 1, 0, 0, 1, 0]);
  });

  it('replaces the communes a delta names, whole, and moves the map version only when a shown level changed', () => {
    const { store, frames } = wallStore();
    store.applySnapshot(
      makeWallSnapshot({
        seq: 10,
        fire: makeFireSnapshot({ communes: [makeCommuneFire({ code: '21025', p: 900 }), makeCommuneFire({ code: '21028', level: 2, p: 2400 })] }),
      }),
    );
    frames.flush();
    const v0 = store.fire.version;
    const l0 = store.fire.levelVersion;

    // The day's step: 21028 dries into level III, 21025 was rained on (P back to 0, still level I).
    const drier = makeCommuneFire({ code: '21028', level: 3, p: 2650, dryDays: 6, day: '2026-03-11' });
    const rained = makeCommuneFire({ code: '21025', level: 1, p: 0, dryDays: 0, day: '2026-03-11' });
    expect(store.applyDelta(makeWallDelta({ seq: 11, fire: [drier, rained] }))).toBe('applied');
    frames.flush();
    expect(store.fire.version).toBe(v0 + 1);
    expect(store.fire.levelVersion).toBe(l0 + 1);
    expect(store.fire.communes.get('21028')).toEqual(drier);
    expect(store.fire.communes.get('21025')).toEqual(rained);
    expect(store.fire.countByLevel()).toEqual([0, 1, 0, 1, 0, 0]);

    // The same again, and a delta without fire: nothing to redraw.
    store.applyDelta(makeWallDelta({ seq: 12, fire: [{ ...drier }] }));
    store.applyDelta(makeWallDelta({ seq: 13 }));
    frames.flush();
    expect(store.fire.version).toBe(v0 + 1);
    // The rule, source and trust are the snapshot's; deltas leave them.
    expect(store.fire.verified).toBe(false);
    expect(store.fire.rule?.resetRainMm).toBe(5);

    // A drier day at the same level: the page's version moves, not the map's.
    store.applyDelta(makeWallDelta({ seq: 14, fire: [{ ...drier, p: 3100, dryDays: 7, day: '2026-03-12' }] }));
    frames.flush();
    expect(store.fire.communes.get('21028')!.p).toBe(3100);
    expect(store.fire.version).toBe(v0 + 2);
    expect(store.fire.levelVersion).toBe(l0 + 1);
  });

  it("moves the map version when a commune's first step shows level I (it was unfilled before)", () => {
    const { store, frames } = wallStore();
    store.applySnapshot(makeWallSnapshot({ seq: 10, fire: makeFireSnapshot({ communes: [makeCommuneFire({ code: '21025', p: 0, dryDays: 0, day: null })] }) }));
    frames.flush();
    const l0 = store.fire.levelVersion;
    store.applyDelta(makeWallDelta({ seq: 11, fire: [makeCommuneFire({ code: '21025', level: 1, p: 310, dryDays: 1, day: '2026-03-11' })] }));
    frames.flush();
    expect(store.fire.levelVersion).toBe(l0 + 1);
    expect(store.fire.countByLevel()).toEqual([0, 1, 0, 0, 0, 0]);
  });

  it('stays bounded by the communes of the snapshot: a delta for an unknown code (a phường) is skipped', () => {
    const { store, frames } = wallStore();
    store.applySnapshot(makeWallSnapshot({ seq: 10, fire: makeFireSnapshot({ communes: [makeCommuneFire({ code: '21025' })] }) }));
    frames.flush();
    const v0 = store.fire.version;
    store.applyDelta(makeWallDelta({ seq: 11, fire: [makeCommuneFire({ code: '99999', level: 5, p: 15000 })] }));
    frames.flush();
    expect(store.fire.communes.size).toBe(1);
    expect(store.fire.communes.has('99999')).toBe(false);
    expect(store.fire.version).toBe(v0);
  });

  it('starts over with each snapshot: one without fire danger leaves none (a server without it, the past)', () => {
    const { store, frames } = wallStore();
    store.applySnapshot(makeWallSnapshot({ seq: 10, fire: makeFireSnapshot({ communes: [makeCommuneFire({ code: '21028', level: 4, p: 6000 })] }) }));
    frames.flush();
    store.applySnapshot(makeWallSnapshot({ seq: 20, fire: makeFireSnapshot({ communes: [makeCommuneFire({ code: '21025', level: 2, p: 1500 })] }) }));
    frames.flush();
    expect([...store.fire.communes.keys()]).toEqual(['21025']);

    const historic: HistoricWallSnapshot = { ...makeWallSnapshot({ seq: 0 }), historic: { at: 1_699_990_000_000 } };
    expect(store.applyHistoric(historic)).toBe('applied');
    frames.flush();
    expect(store.fire.available).toBe(false);
    expect(store.fire.communes.size).toBe(0);
    expect(store.fire.rule).toBeNull();
    expect(store.fire.source).toBeNull();
  });

  it('drops the fire danger of a delta while waiting for a snapshot (after a gap)', () => {
    const { store, frames } = wallStore();
    store.applySnapshot(makeWallSnapshot({ seq: 10, fire: makeFireSnapshot({ communes: [makeCommuneFire({ code: '21025' })] }) }));
    frames.flush();
    expect(store.applyDelta(makeWallDelta({ seq: 12, fire: [makeCommuneFire({ code: '21025', level: 3, p: 3000 })] }))).toBe('gap');
    expect(store.fire.communes.get('21025')!.level).toBe(1);
  });
});
