/** DeckLayers per mode: the right layers, rebuilt only when what the mode draws changed, pulses only while alive. */
import { describe, expect, it } from 'vitest';
import { LiveStore } from '../store/liveStore';
import { PULSE_MS } from '../store/trafficState';
import {
  makeAirDerived,
  makeCommuneFire,
  makeCommuneRisk,
  makeDevice,
  makeFireSnapshot,
  makeHydroDerived,
  makeRiskSnapshot,
  makeSegmentState,
  makeTrafficDelta,
  makeTrafficSnapshot,
  makeViolation,
  makeWallDelta,
  makeWallSnapshot,
  manualScheduler,
} from '../test-support/fixtures';
import { DeckLayers } from './deckLayers';
import type { MapMode, MapView } from './modes';
import type { Segment } from '../../shared/traffic';

function fakeView(mode: MapMode): MapView & { set(m: MapMode): void } {
  const listeners = new Set<() => void>();
  const v = {
    mode,
    highlight: null as number | null,
    focusPoint: null,
    viewVersion: 0,
    subscribe: (l: () => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    set(m: MapMode) {
      v.mode = m;
      v.viewVersion++;
      for (const l of listeners) l();
    },
  };
  return v;
}

const SEGMENT: Segment = {
  id: 'ql1a-0000',
  road: 'QL1A',
  name: 'QL1A Km 0–2',
  fromKm: 0,
  toKm: 2,
  lengthKm: 2,
  freeFlowKmh: 70,
  coordinates: [
    [108.7, 15.3],
    [108.71, 15.29],
  ],
  commune: '21040',
  cameraIds: { forward: ['cam-1'], backward: [] },
};

function setup(mode: MapMode) {
  const frames = manualScheduler();
  let now = 0;
  const store = new LiveStore({ view: 'wall', schedule: frames.schedule, now: () => now });
  store.setRegistry('r1', [
    makeDevice({ id: 'air-1', type: 'air', kind: 'air-station' }),
    makeDevice({ id: 'hydro-1', type: 'hydro', kind: 'river-gauge', props: { station: 'Trà Khúc' } }),
    makeDevice({ id: 'cam-1', type: 'camera', kind: 'traffic-camera' }),
    makeDevice({ id: 'rain-1', type: 'rain', kind: 'rain-gauge' }),
  ]);
  store.setSegments([SEGMENT]);
  store.applySnapshot(
    makeWallSnapshot({
      seq: 1,
      devices: [
        { i: 0, on: 1, ts: 1, x: makeAirDerived({ aqi: 160, band: 4 }) },
        { i: 1, on: 1, ts: 1, x: makeHydroDerived({ level: 5.2, stage: 2 }) },
        { i: 2, on: 1, ts: 1 },
        { i: 3, on: 1, ts: 1, x: { kind: 'rain', h1: 4, h3: 9, h24: 60, category24h: 'mưa to' } },
      ],
      traffic: makeTrafficSnapshot({ segments: [makeSegmentState({ id: 'ql1a-0000', los: 'F', speedKmh: 9 })] }),
      risk: makeRiskSnapshot({ communes: [makeCommuneRisk({ code: '21025', level: 3 }), makeCommuneRisk({ code: '21040', level: 0 })] }),
      fire: makeFireSnapshot({
        communes: [makeCommuneFire({ code: '21025', level: 4, p: 6100 }), makeCommuneFire({ code: '21040', level: 1, p: 0, dryDays: 0, day: null })],
      }),
    }),
  );
  frames.flush();
  const view = fakeView(mode);
  return { store, frames, view, deck: new DeckLayers(store, 'wall', 1, view), setNow: (t: number) => (now = t) };
}

const ids = (deck: DeckLayers, now = 0) => deck.layers(now).map((l) => l.id);

describe('DeckLayers modes', () => {
  it('draws each mode with its own layers', () => {
    const { deck, view } = setup('air');
    expect(ids(deck)).toEqual(['air-stations', 'air-aqi']);
    view.set('water');
    expect(ids(deck)).toEqual(['water-stations', 'water-chips']);
    view.set('hydro');
    expect(ids(deck)).toEqual(['hydro-gauges', 'hydro-chips']);
    view.set('rain24');
    expect(ids(deck)).toEqual(['rain-heat-h24', 'rain-gauges', 'rain-chips']);
    view.set('rain1');
    expect(ids(deck)).toEqual(['rain-heat-h1', 'rain-gauges', 'rain-chips']);
    view.set('traffic');
    expect(ids(deck)).toEqual(['road-casing', 'road-los', 'cameras', 'traffic-chips']);
    view.set('devices');
    expect(ids(deck)).toEqual(['devices-iot', 'devices-stations']);
    view.set('communeAqi');
    expect(ids(deck)).toEqual([]);
    view.set('communeRisk');
    expect(ids(deck)).toEqual([]);
  });

  it('names the communes with their risk level in the risk mode, and names them again when a level changes', () => {
    const { store, frames, deck } = setup('communeRisk');
    deck.setLabels([
      { code: '21025', name: 'Cẩm Thành', unitType: 'phuong', position: [108.8, 15.1] },
      { code: '21040', name: 'Nghĩa Lộ', unitType: 'phuong', position: [108.78, 15.11] },
    ]);
    const texts = () => {
      const l = deck.layers().find((x) => x.id === 'commune-labels')!;
      const p = l.props as unknown as { data: { code: string }[]; getText: (d: unknown) => string };
      return p.data.map((d) => p.getText(d));
    };
    // Below level 1: the name alone, as the map leaves it unfilled.
    expect(texts()).toEqual(['Cẩm Thành cấp 3', 'Nghĩa Lộ']);
    const before = deck.layers();
    store.applyDelta(makeWallDelta({ seq: 2, risk: [makeCommuneRisk({ code: '21040', level: 4 })] }));
    frames.flush();
    const after = deck.layers();
    expect(after).not.toBe(before);
    expect(texts()).toEqual(['Cẩm Thành cấp 3', 'Nghĩa Lộ cấp 4']);
    // Only the rain behind a level changed: the names stay as placed.
    store.applyDelta(makeWallDelta({ seq: 3, risk: [makeCommuneRisk({ code: '21040', level: 4, rain24h: 300 })] }));
    frames.flush();
    expect(deck.layers()).toBe(after);
  });

  it('names the communes with their fire level in the fire mode (none before the first step), and again when one changes', () => {
    const { store, frames, deck, view } = setup('communeFire');
    expect(ids(deck)).toEqual([]);
    deck.setLabels([
      { code: '21025', name: 'Sơn Hà', unitType: 'xa', position: [108.5, 15.0] },
      { code: '21040', name: 'Ba Tơ', unitType: 'xa', position: [108.7, 14.8] },
      { code: '21050', name: 'Cẩm Thành', unitType: 'phuong', position: [108.8, 15.1] },
    ]);
    const texts = () => {
      const l = deck.layers().find((x) => x.id === 'commune-labels')!;
      const p = l.props as unknown as { data: { code: string }[]; getText: (d: unknown) => string };
      return p.data.map((d) => p.getText(d));
    };
    // Before its first daily step, and a phường (no forest): the name alone, as the map leaves them unfilled.
    expect(texts()).toEqual(['Sơn Hà cấp IV', 'Ba Tơ', 'Cẩm Thành']);
    const before = deck.layers();
    store.applyDelta(makeWallDelta({ seq: 2, fire: [makeCommuneFire({ code: '21040', level: 2, p: 1200, dryDays: 3 })] }));
    frames.flush();
    const after = deck.layers();
    expect(after).not.toBe(before);
    expect(texts()).toEqual(['Sơn Hà cấp IV', 'Ba Tơ cấp II', 'Cẩm Thành']);
    // Only P moved within its level: the names stay as placed.
    store.applyDelta(makeWallDelta({ seq: 3, fire: [makeCommuneFire({ code: '21040', level: 2, p: 1900, dryDays: 4 })] }));
    frames.flush();
    expect(deck.layers()).toBe(after);
    // The risk map names the same communes by their risk level.
    view.set('communeRisk');
    expect(texts()).toEqual(['Sơn Hà cấp 3', 'Ba Tơ', 'Cẩm Thành']);
  });

  it('keeps the layers of another mode when only risk levels changed', () => {
    const { store, frames, deck } = setup('air');
    const first = deck.layers();
    store.applyDelta(makeWallDelta({ seq: 2, risk: [makeCommuneRisk({ code: '21040', level: 2 })] }));
    frames.flush();
    expect(store.risk.communes.get('21040')!.level).toBe(2);
    expect(deck.layers()).toBe(first);
  });

  it('labels a river gauge with its level and stage, and a congested segment with its speed', () => {
    const { deck, view } = setup('hydro');
    const chips = deck.layers().find((l) => l.id === 'hydro-chips')!.props.data as { text: string }[];
    expect(chips.map((c) => c.text)).toEqual(['Trà Khúc 5,20 m · BĐ II']);
    view.set('traffic');
    const t = deck.layers().find((l) => l.id === 'traffic-chips')!.props.data as { text: string }[];
    expect(t.map((c) => c.text)).toEqual(['QL1A 9 km/h']);
  });

  it('keeps the same layers when only another domain changed', () => {
    const { store, frames, deck } = setup('air');
    const first = deck.layers();
    store.applyDelta(makeWallDelta({ seq: 2, devices: [{ i: 3, on: 1, ts: 2, x: { kind: 'rain', h1: 9, h3: 9, h24: 80, category24h: 'mưa to' } }] }));
    frames.flush();
    expect(deck.layers()).toBe(first);
    store.applyDelta(makeWallDelta({ seq: 3, devices: [{ i: 0, on: 1, ts: 2, x: makeAirDerived({ aqi: 210, band: 5 }) }] }));
    frames.flush();
    const second = deck.layers();
    expect(second).not.toBe(first);
    expect(second[0]!.id).toBe('air-stations');
  });

  it('animates a violation pulse while it lives, then stops with the layers it had before', () => {
    const { store, frames, deck, setNow } = setup('traffic');
    const still = deck.layers(0);
    expect(deck.animating).toBe(false);
    setNow(1_000);
    store.applyDelta(makeWallDelta({ seq: 2, traffic: makeTrafficDelta({ violations: [makeViolation({ id: 'v', cameraId: 'cam-1' })] }) }));
    frames.flush();
    const during = deck.layers(1_500);
    expect(during.at(-1)!.id).toBe('violation-pulses');
    expect(deck.animating).toBe(true);
    expect(deck.layers(1_600)).not.toBe(during);
    const after = deck.layers(1_000 + PULSE_MS);
    expect(deck.animating).toBe(false);
    expect(after.map((l) => l.id)).toEqual(still.map((l) => l.id));
    expect(deck.layers(1_000 + PULSE_MS + 5_000)).toBe(after);
  });

  it('rings the highlighted station', () => {
    const { deck, view } = setup('air');
    (view as { highlight: number | null }).highlight = 0;
    view.set('air');
    expect(ids(deck)).toContain('focus-rings');
  });
});
