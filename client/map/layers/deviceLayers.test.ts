import { describe, expect, it } from 'vitest';
import type { Device } from '../../../shared/devices';
import { packDevices } from '../../../shared/packedDevices';
import { LiveStore } from '../../store/liveStore';
import { makeDevice, makeWallDelta, makeWallSnapshot, manualScheduler } from '../../test-support/fixtures';
import { DeckLayers, type Projector } from '../deckLayers';
import { IOT_GRID_ABOVE, IOT_GRID_KM, IOT_GRID_STEPS, gridCellColor, refreshIotColumns, type IotCell } from './deviceLayers';

/** `n` street lights on a line of about 1 km a device, 3 stations first. */
function fleet(n: number): Device[] {
  const stations = [0, 1, 2].map((k) => makeDevice({ id: `AIR-${k}`, lon: 108 + k * 0.01 }));
  const lights = Array.from({ length: n }, (_, k) => makeDevice({ id: `IOT-${k}`, type: 'iot', kind: 'street-light', lon: 108 + (k % 500) * 0.01, lat: 15 + Math.floor(k / 500) * 0.01 }));
  return [...stations, ...lights];
}

function projector(zoom: number): Projector {
  return { project: () => [0, 0], width: 1920, height: 1080, measure: (t, px) => t.length * px * 0.6, zoom, obstacles: [] };
}

function wall(devices: Device[]) {
  const frames = manualScheduler();
  const store = new LiveStore({ view: 'wall', schedule: frames.schedule });
  store.setRegistry('r1', devices);
  // Everyone online: stations as patches, the bulk devices packed.
  const bulk = devices.flatMap((d, i) => (d.type === 'iot' ? [{ i, on: 1 as const, ts: 1 }] : []));
  store.applySnapshot(makeWallSnapshot({ seq: 1, devices: devices.map((_, i) => ({ i, on: 1, ts: 1 })) }));
  frames.flush();
  const deck = new DeckLayers(store, 'wall', 1);
  const flip = (seq: number, i: number[], on: 0 | 1) => {
    store.applyDelta(makeWallDelta({ seq, packed: packDevices(i.map((x) => ({ i: x, on, ts: seq }))) }));
    frames.flush();
  };
  return { store, deck, flip, bulk };
}

describe('IoT dots', () => {
  it('rewrite only the dots that changed, and hand deck.gl nothing new when none did', () => {
    const devices = fleet(10);
    const iot = devices.flatMap((d, i) => (d.type === 'iot' ? [i] : []));
    const off = new Set<number>();
    const first = refreshIotColumns(devices, iot, (i) => off.has(i), 1);
    const attrs = first.data.attributes;
    expect(refreshIotColumns(devices, iot, (i) => off.has(i), 1).data.attributes).toBe(attrs);
    off.add(iot[4]!);
    const after = refreshIotColumns(devices, iot, (i) => off.has(i), 1);
    expect(after.data.attributes).not.toBe(attrs);
    expect(after.data.attributes.getPosition).toBe(attrs.getPosition);
    expect(Array.from(after.radius)).toEqual(iot.map((i) => (off.has(i) ? 3.4 : 2.2)).map((r) => Math.fround(r)));
    // Another scale (the wall at 4K) rewrites every radius.
    expect(Array.from(refreshIotColumns(devices, iot, (i) => off.has(i), 2).radius)).toEqual(iot.map((i) => Math.fround(off.has(i) ? 6.8 : 4.4)));
  });
});

describe('the zoomed-out grid of many IoT devices', () => {
  const n = IOT_GRID_ABOVE + 500;

  it('draws a grid of online share past IOT_GRID_ABOVE devices zoomed out, and the points zoomed in', () => {
    const { deck } = wall(fleet(n));
    deck.setProjector(projector(8.5));
    const grid = deck.layers().find((l) => l.id === 'devices-iot-grid')!;
    const cells = grid.props.data as IotCell[];
    // Devices 1.1 km apart in 2 km cells: every device in one cell, every cell full and online.
    expect(IOT_GRID_KM).toBe(2);
    expect(cells.reduce((s, c) => s + c.total, 0)).toBe(n);
    expect(cells.every((c) => c.online === c.total && c.total >= 1 && c.total <= 4)).toBe(true);
    expect(deck.layers().some((l) => l.id === 'devices-iot')).toBe(false);
    deck.setProjector(projector(11));
    expect(deck.layers().map((l) => l.id)).toEqual(['devices-iot', 'devices-stations']);
  });

  it('counts a cell down when its devices go offline and up when they come back, and colours it by the share', () => {
    const devices = fleet(n);
    const { deck, flip } = wall(devices);
    deck.setProjector(projector(8.5));
    const grid = () => deck.layers().find((l) => l.id === 'devices-iot-grid')!;
    const cells = () => grid().props.data as IotCell[];
    const trigger = () => (grid().props.updateTriggers as { getFillColor: number }).getFillColor;
    const cellOf = (i: number) =>
      cells().find(({ polygon: p }) => devices[i]!.lon >= p[0]![0] - 1e-3 && devices[i]!.lon <= p[1]![0] + 1e-3 && devices[i]!.lat >= p[0]![1] - 1e-3 && devices[i]!.lat <= p[2]![1] + 1e-3)!;
    const online = () => cells().reduce((s, c) => s + c.online, 0);
    // Registry indices 3 and 503 are street lights 1.1 km apart north–south.
    const a = cellOf(3);
    const before = trigger();
    expect(gridCellColor(a)).toEqual(IOT_GRID_STEPS[0]!.rgba);
    flip(2, [3, 503], 0);
    expect(online()).toBe(n - 2);
    expect(a.online).toBe(a.total - (cellOf(503) === a ? 2 : 1));
    expect(trigger()).not.toBe(before);
    expect(gridCellColor(a)).not.toEqual(IOT_GRID_STEPS[0]!.rgba);
    flip(3, [3], 1);
    expect(online()).toBe(n - 1);
    // Going offline twice is counted once.
    flip(4, [503], 0);
    expect(online()).toBe(n - 1);
    // The cells are the same objects throughout: deck.gl keeps their polygons and moves only the colours.
    expect(cellOf(3)).toBe(a);
  });

  it('colours cells in the legend’s steps', () => {
    expect([1, 0.97, 0.9, 0.5].map((s) => gridCellColor({ total: 100, online: Math.round(100 * s) }))).toEqual(IOT_GRID_STEPS.map((x) => x.rgba));
  });
});
