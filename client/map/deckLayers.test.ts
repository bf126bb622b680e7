import { describe, expect, it } from 'vitest';
import { LiveStore } from '../store/liveStore';
import { makeDevices, makeWallDelta, makeWallSnapshot, manualScheduler } from '../test-support/fixtures';
import { DeckLayers } from './deckLayers';
import { OFFLINE_RGB, TYPE_RGB } from './colors';
import { DEVICE_TYPES } from '../../shared/mqtt';

type Binary = { length: number; attributes: Record<string, { value: ArrayLike<number>; size: number }> };

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

  it('counts the devices again for a new registry (the count is kept per registry)', () => {
    const { store, deck } = setup();
    expect(deck.drawnDevices()).toBe(12);
    store.setRegistry('r2', makeDevices(5));
    expect(deck.drawnDevices()).toBe(5);
  });

  it('adds the commune names when labels are set', () => {
    const { deck } = setup();
    deck.setLabels([{ code: '21025', name: 'Cẩm Thành', unitType: 'phuong', position: [108.8, 15.1] }]);
    const layers = deck.layers();
    expect(layers.at(-1)!.id).toBe('commune-labels');
    expect((layers.at(-1)!.props as { characterSet?: unknown }).characterSet).toBe('auto');
  });

  it('feeds the IoT dots as binary columns: colour and radius rewritten in place, positions kept', () => {
    const { store, frames, deck } = setup();
    const iotIndex = DEVICE_TYPES.indexOf('iot');
    const iotDevice = store.registry!.typeIndex.findIndex((t) => t === iotIndex);
    store.applyDelta(makeWallDelta({ seq: 2, devices: [{ i: iotDevice, on: 1, ts: 5 }] }));
    frames.flush();
    const before = deck.layers()[0]!.props.data as unknown as Binary;
    const positions = before.attributes.getPosition;
    expect(Array.from(before.attributes.getFillColor!.value).slice(0, 4)).toEqual([...TYPE_RGB.iot, 255]);
    store.applyDelta(makeWallDelta({ seq: 3, devices: [{ i: iotDevice, on: 0, ts: 6 }] }));
    frames.flush();
    const after = deck.layers()[0]!.props.data as unknown as Binary;
    expect(after.attributes.getPosition).toBe(positions);
    expect(Array.from(after.attributes.getFillColor!.value).slice(0, 4)).toEqual([...OFFLINE_RGB, 255]);
    expect(after.attributes.getRadius!.value[0]).toBeCloseTo(3.4);
    expect(Array.from(positions!.value).slice(0, 2)).toEqual([store.registry!.devices[iotDevice]!.lon, store.registry!.devices[iotDevice]!.lat]);
  });

  it('keeps the commune names layer while only device states change', () => {
    const { store, frames, deck } = setup();
    deck.setLabels([{ code: '21025', name: 'Cẩm Thành', unitType: 'phuong', position: [108.8, 15.1] }]);
    const before = deck.layers();
    const labels = before.at(-1)!;
    store.applyDelta(makeWallDelta({ seq: 2, devices: [{ i: 0, on: 0, ts: 99 }] }));
    frames.flush();
    const layers = deck.layers();
    expect(layers).not.toBe(before);
    expect(layers.at(-1)).toBe(labels);
    deck.setLabels([{ code: '21025', name: 'Cẩm Thành', unitType: 'phuong', position: [108.8, 15.1] }]);
    expect(deck.layers().at(-1)).not.toBe(labels);
  });
});
