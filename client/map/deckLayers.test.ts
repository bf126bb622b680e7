import { describe, expect, it } from 'vitest';
import { LiveStore } from '../store/liveStore';
import { makeDevices, makeWallDelta, makeWallSnapshot, manualScheduler } from '../test-support/fixtures';
import { DeckLayers } from './deckLayers';

function setup() {
  const frames = manualScheduler();
  const store = new LiveStore({ view: 'wall', schedule: frames.schedule });
  store.setRegistry('r1', makeDevices(12));
  store.applySnapshot(makeWallSnapshot({ seq: 1, devices: [{ i: 0, on: 1, ts: 1 }] }));
  frames.flush();
  return { store, frames, deck: new DeckLayers(store, 'wall', 1) };
}

describe('DeckLayers', () => {
  it('returns the very same layers while no device changed state, so deck.gl has nothing to redraw', () => {
    const { store, frames, deck } = setup();
    const first = deck.layers();
    expect(first.map((l) => l.id)).toEqual(['devices-iot', 'devices-stations']);
    store.applyDelta(makeWallDelta({ seq: 2, devices: [{ i: 0, on: 1, ts: 99 }], rateSamples: [[1, 1]] }));
    frames.flush();
    expect(deck.layers()).toBe(first);
  });

  it('keeps the data arrays and moves only the colour trigger when a device goes offline', () => {
    const { store, frames, deck } = setup();
    const before = deck.layers();
    store.applyDelta(makeWallDelta({ seq: 2, devices: [{ i: 0, on: 0, ts: 99 }] }));
    frames.flush();
    const after = deck.layers();
    expect(after).not.toBe(before);
    for (let k = 0; k < after.length; k++) {
      expect(after[k]!.id).toBe(before[k]!.id);
      expect(after[k]!.props.data).toBe(before[k]!.props.data);
      expect(after[k]!.props.updateTriggers).not.toEqual(before[k]!.props.updateTriggers);
    }
  });

  it('draws every registry device once: IoT under the stations', () => {
    const { deck } = setup();
    const [iot, stations] = deck.layers();
    expect((iot!.props.data as number[]).length + (stations!.props.data as number[]).length).toBe(12);
    expect(deck.drawnDevices()).toBe(12);
  });

  it('adds the commune names when labels are set', () => {
    const { deck } = setup();
    deck.setLabels([{ code: '21025', name: 'Cẩm Thành', unitType: 'phuong', position: [108.8, 15.1] }]);
    const layers = deck.layers();
    expect(layers.at(-1)!.id).toBe('commune-labels');
    expect((layers.at(-1)!.props as { characterSet?: unknown }).characterSet).toBe('auto');
  });
});
