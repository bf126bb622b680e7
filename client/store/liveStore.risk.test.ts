/** LiveStore with the communes' disaster risk levels: the wall's snapshot and deltas, the phone's summary. */
import { describe, expect, it } from 'vitest';
import type { HistoricWallSnapshot } from '../../shared/events';
import { LiveStore } from './liveStore';
import {
  makeCommuneRisk,
  makeDevice,
  makeMobileSnapshot,
  makeRiskSnapshot,
  makeWallDelta,
  makeWallSnapshot,
  manualScheduler,
} from '../test-support/fixtures';

function wallStore() {
  const frames = manualScheduler();
  const store = new LiveStore({ view: 'wall', schedule: frames.schedule });
  store.setRegistry('r1', [makeDevice({ id: 'rain-1', type: 'rain', kind: 'rain-gauge' })]);
  frames.flush();
  return { store, frames };
}

const SOURCE = 'Bản đồ phân vùng nguy cơ sạt lở, lũ quét tỉnh Quảng Ngãi (2024)';

describe('LiveStore: disaster risk levels (wall)', () => {
  it('takes every commune, the provisional flag and the source from a snapshot', () => {
    const { store, frames } = wallStore();
    expect(store.risk.available).toBe(false);
    store.applySnapshot(
      makeWallSnapshot({
        seq: 10,
        risk: makeRiskSnapshot({
          communes: [
            makeCommuneRisk({ code: '21025', level: 0 }),
            makeCommuneRisk({ code: '21028', level: 3, flashFlood: 3, rain24h: 230, antecedentRainDays: 2, susceptibility: 'very_high' }),
          ],
          provisional: false,
          susceptibilitySource: SOURCE,
        }),
      }),
    );
    const before = store.risk.version;
    frames.flush();
    expect(store.risk.version).toBe(before + 1);
    expect(store.risk.available).toBe(true);
    expect(store.risk.provisional).toBe(false);
    expect(store.risk.susceptibilitySource).toBe(SOURCE);
    expect([...store.risk.communes.keys()]).toEqual(['21025', '21028']);
    expect(store.risk.communes.get('21028')).toMatchObject({ level: 3, rain24h: 230, antecedentRainDays: 2, susceptibility: 'very_high' });
    expect(store.risk.countByLevel()).toEqual([1, 0, 0, 1, 0, 0]);
  });

  it('replaces the communes a delta names, whole, and moves the version only when something changed', () => {
    const { store, frames } = wallStore();
    store.applySnapshot(
      makeWallSnapshot({
        seq: 10,
        risk: makeRiskSnapshot({ communes: [makeCommuneRisk({ code: '21025' }), makeCommuneRisk({ code: '21028', rain24h: 80 })] }),
      }),
    );
    frames.flush();
    const v0 = store.risk.version;
    const l0 = store.risk.levelVersion;

    const raised = makeCommuneRisk({ code: '21028', level: 2, flashFlood: 2, rain24h: 160, antecedentRainDays: 1, rainFrom: 'nearby' });
    expect(store.applyDelta(makeWallDelta({ seq: 11, risk: [raised] }))).toBe('applied');
    frames.flush();
    expect(store.risk.version).toBe(v0 + 1);
    expect(store.risk.levelVersion).toBe(l0 + 1);
    expect(store.risk.communes.get('21028')).toEqual(raised);
    expect(store.risk.communes.get('21025')!.level).toBe(0);
    expect(store.risk.countByLevel()).toEqual([1, 0, 1, 0, 0, 0]);

    // The same levels again, and a delta without risk: nothing to redraw.
    store.applyDelta(makeWallDelta({ seq: 12, risk: [{ ...raised }] }));
    store.applyDelta(makeWallDelta({ seq: 13 }));
    frames.flush();
    expect(store.risk.version).toBe(v0 + 1);
    // The provisional flag and source are the snapshot's; deltas leave them.
    expect(store.risk.provisional).toBe(true);

    // More rain at the same level: the legend's version moves, not the map's.
    store.applyDelta(makeWallDelta({ seq: 14, risk: [{ ...raised, rain24h: 180 }] }));
    frames.flush();
    expect(store.risk.communes.get('21028')!.rain24h).toBe(180);
    expect(store.risk.version).toBe(v0 + 2);
    expect(store.risk.levelVersion).toBe(l0 + 1);
  });

  it('stays bounded by the communes of the snapshot: a delta for an unknown code is skipped', () => {
    const { store, frames } = wallStore();
    store.applySnapshot(makeWallSnapshot({ seq: 10, risk: makeRiskSnapshot({ communes: [makeCommuneRisk({ code: '21025' })] }) }));
    frames.flush();
    const v0 = store.risk.version;
    store.applyDelta(makeWallDelta({ seq: 11, risk: [makeCommuneRisk({ code: '99999', level: 5 })] }));
    frames.flush();
    expect(store.risk.communes.size).toBe(1);
    expect(store.risk.communes.has('99999')).toBe(false);
    expect(store.risk.version).toBe(v0);
  });

  it('starts over with each snapshot: one without risk leaves none (a server without levels, the past)', () => {
    const { store, frames } = wallStore();
    store.applySnapshot(makeWallSnapshot({ seq: 10, risk: makeRiskSnapshot({ communes: [makeCommuneRisk({ code: '21028', level: 4 })] }) }));
    frames.flush();
    store.applySnapshot(makeWallSnapshot({ seq: 20, risk: makeRiskSnapshot({ communes: [makeCommuneRisk({ code: '21025', level: 1 })] }) }));
    frames.flush();
    expect([...store.risk.communes.keys()]).toEqual(['21025']);

    const historic: HistoricWallSnapshot = { ...makeWallSnapshot({ seq: 0 }), historic: { at: 1_699_990_000_000 } };
    expect(store.applyHistoric(historic)).toBe('applied');
    frames.flush();
    expect(store.risk.available).toBe(false);
    expect(store.risk.communes.size).toBe(0);
    expect(store.risk.susceptibilitySource).toBeNull();
  });

  it('drops the risk of a delta while waiting for a snapshot (after a gap)', () => {
    const { store, frames } = wallStore();
    store.applySnapshot(makeWallSnapshot({ seq: 10, risk: makeRiskSnapshot({ communes: [makeCommuneRisk({ code: '21025' })] }) }));
    frames.flush();
    expect(store.applyDelta(makeWallDelta({ seq: 12, risk: [makeCommuneRisk({ code: '21025', level: 3 })] }))).toBe('gap');
    expect(store.risk.communes.get('21025')!.level).toBe(0);
  });
});

describe('LiveStore: disaster risk levels (phone)', () => {
  it('keeps the summary while its content is the same, and drops it when a frame has none', () => {
    const frames = manualScheduler();
    const store = new LiveStore({ view: 'mobile', schedule: frames.schedule });
    store.setRegistry('r1', []);
    const risk = { communes: [makeCommuneRisk({ code: '21028', level: 4, rain24h: 310 })], provisional: true };
    store.applySnapshot(makeMobileSnapshot({ seq: 5, risk }));
    frames.flush();
    const held = store.mobile.risk;
    const v = store.mobile.version;
    expect(held).toEqual(risk);
    store.applyDelta(makeMobileSnapshot({ seq: 6, risk: structuredClone(risk) }));
    frames.flush();
    expect(store.mobile.risk).toBe(held);
    expect(store.mobile.version).toBe(v);
    store.applyDelta(makeMobileSnapshot({ seq: 7 }));
    frames.flush();
    expect(store.mobile.risk).toBeNull();
    expect(store.mobile.version).toBe(v + 1);
  });
});
