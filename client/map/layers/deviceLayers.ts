/**
 * Every device by type (the "Thiết bị" mode and the phone map): the bulk IoT dots under the stations,
 * offline ones grey with a light ring and larger, since grey alone gets lost among 2,000 dots.
 */
import { ScatterplotLayer, SolidPolygonLayer } from '@deck.gl/layers';
import { DEVICE_TYPES } from '../../../shared/mqtt';
import { OFFLINE_RGB, TYPE_RGB } from '../colors';
import { positionOf, type BuildContext, type ModeLayers, type Rgba } from './types';
import type { Device } from '../../../shared/devices';

const TYPE_RGBA: Rgba[] = DEVICE_TYPES.map((t) => [...TYPE_RGB[t], 255]);
const OFFLINE_RGBA: Rgba = [...OFFLINE_RGB, 255];
const STATION_RING: Rgba = [6, 12, 20, 230];
const OFFLINE_RING: Rgba = [235, 240, 246, 255];
const IOT = DEVICE_TYPES.indexOf('iot');

const split = new WeakMap<readonly Device[], { iot: number[]; stations: number[] }>();

/**
 * The bulk IoT dots as deck.gl binary attributes: positions written once per registry, colour and
 * radius rewritten in place for the dots whose state changed since the last refresh (a compare over a
 * byte array; 1 % of 100,000 dots a tick), and handed to deck.gl again only when one did. The same
 * pass keeps the zoomed-out grid's counts (`IotGrid`), so either view is ready at any zoom.
 */
export interface IotColumns {
  /** The layer's `data`: the same object for the registry's life; its `attributes` are replaced when a dot changed. */
  data: { length: number; attributes: Record<string, { value: Float64Array | Float32Array | Uint8Array; size: number; normalized?: boolean }> };
  positions: Float64Array;
  fill: Uint8Array;
  radius: Float32Array;
  /** What each dot was last drawn as: 1 offline, 0 online, 2 not drawn yet. */
  drawnOff: Uint8Array;
  grid: IotGrid;
  /** Bumped when any dot changed (the grid's colour trigger). */
  version: number;
  /** The UI scale the radii were written for. */
  scale: number;
}

/** Above this many bulk devices the zoomed-out wall draws them as a grid of online share (issue 18). */
export const IOT_GRID_ABOVE = 20_000;
/** Zoomed in to this (an alarm's district, FOCUS_ZOOM 10.5), the wall draws the points again. */
export const IOT_GRID_MAX_ZOOM = 10;
/** The grid's cell side. */
export const IOT_GRID_KM = 2;

export interface IotCell {
  polygon: [number, number][];
  total: number;
  online: number;
}

/** Square cells of IOT_GRID_KM over the dots; each dot's cell is fixed per registry, the counts move. */
export interface IotGrid {
  cells: IotCell[];
  /** Cell of each IoT dot (by its rank among the IoT devices). */
  cellOf: Int32Array;
}

function buildGrid(devices: readonly Device[], iot: readonly number[]): IotGrid {
  let lat0 = 0;
  for (const i of iot) lat0 += devices[i]!.lat;
  lat0 = iot.length > 0 ? lat0 / iot.length : 0;
  const dLat = IOT_GRID_KM / 110.574;
  const dLon = IOT_GRID_KM / (111.32 * Math.cos((lat0 * Math.PI) / 180));
  const byKey = new Map<string, number>();
  const cells: IotCell[] = [];
  const cellOf = new Int32Array(iot.length);
  // A small gap between cells, so the grid reads as cells and not as a blur.
  const inset = 0.06;
  for (let k = 0; k < iot.length; k++) {
    const d = devices[iot[k]!]!;
    const cx = Math.floor(d.lon / dLon);
    const cy = Math.floor(d.lat / dLat);
    const key = `${cx}:${cy}`;
    let c = byKey.get(key);
    if (c === undefined) {
      c = cells.length;
      byKey.set(key, c);
      const x0 = (cx + inset) * dLon;
      const x1 = (cx + 1 - inset) * dLon;
      const y0 = (cy + inset) * dLat;
      const y1 = (cy + 1 - inset) * dLat;
      cells.push({ polygon: [[x0, y0], [x1, y0], [x1, y1], [x0, y1]], total: 0, online: 0 });
    }
    cells[c]!.total++;
    cellOf[k] = c;
  }
  return { cells, cellOf };
}

const iotColumns = new WeakMap<readonly Device[], IotColumns>();

/** The IoT dots' columns for this registry, refreshed for the current states. */
export function refreshIotColumns(devices: readonly Device[], iot: readonly number[], isOffline: (i: number) => boolean, scale: number): IotColumns {
  let c = iotColumns.get(devices);
  if (!c) {
    const n = iot.length;
    const positions = new Float64Array(n * 3);
    for (let k = 0; k < n; k++) {
      const d = devices[iot[k]!]!;
      positions[k * 3] = d.lon;
      positions[k * 3 + 1] = d.lat;
    }
    const drawnOff = new Uint8Array(n).fill(2);
    c = { data: { length: n, attributes: {} }, positions, fill: new Uint8Array(n * 4), radius: new Float32Array(n), drawnOff, grid: buildGrid(devices, iot), version: 0, scale: 0 };
    iotColumns.set(devices, c);
  }
  const { fill, radius, drawnOff, grid } = c;
  const [or, og, ob, oa] = OFFLINE_RGBA;
  const [r, g, b, a] = TYPE_RGBA[IOT]!;
  const offR = 3.4 * scale;
  const onR = 2.2 * scale;
  // Another UI scale (a test mounting the wall at 4K with the same registry): every radius again.
  const rescale = c.scale !== scale;
  c.scale = scale;
  let changed = false;
  for (let k = 0; k < iot.length; k++) {
    const off = isOffline(iot[k]!) ? 1 : 0;
    const was = drawnOff[k]!;
    if (was === off && !rescale) continue;
    changed = true;
    drawnOff[k] = off;
    const o = k * 4;
    fill[o] = off ? or : r;
    fill[o + 1] = off ? og : g;
    fill[o + 2] = off ? ob : b;
    fill[o + 3] = off ? oa : a;
    radius[k] = off ? offR : onR;
    if (was !== off) {
      const cell = grid.cells[grid.cellOf[k]!]!;
      if (off === 0) cell.online++;
      else if (was === 0) cell.online--;
    }
  }
  if (!changed) return c;
  c.version++;
  // New descriptors: deck.gl re-uploads a binary attribute when its descriptor object changes.
  c.data.attributes = {
    getPosition: (c.data.attributes.getPosition as IotColumns['data']['attributes'][string] | undefined) ?? { value: c.positions, size: 3 },
    getFillColor: { value: fill, size: 4, normalized: true },
    getRadius: { value: radius, size: 1 },
  };
  return c;
}

/** A cell's colour by the share of its devices online: the IoT blue when all are, lighter, then amber. */
export function gridCellColor(cell: Pick<IotCell, 'total' | 'online'>): Rgba {
  const share = cell.total > 0 ? cell.online / cell.total : 1;
  for (const step of IOT_GRID_STEPS) if (share >= step.minShare) return step.rgba;
  return IOT_GRID_STEPS[IOT_GRID_STEPS.length - 1]!.rgba;
}

/** The grid's colour steps, most online first (the legend lists them). */
export const IOT_GRID_STEPS: readonly { minShare: number; rgba: Rgba; label: string }[] = [
  { minShare: 1, rgba: [...TYPE_RGB.iot, 120], label: 'Tất cả trực tuyến' },
  { minShare: 0.95, rgba: [...TYPE_RGB.iot, 235], label: 'Mất kết nối dưới 5 %' },
  { minShare: 0.8, rgba: [235, 240, 246, 235], label: 'Mất kết nối 5–20 %' },
  { minShare: 0, rgba: [255, 176, 32, 245], label: 'Mất kết nối trên 20 %' },
];

/** Whether the wall draws the bulk devices as the grid: many of them, zoomed out. */
export function drawsIotGrid(iotCount: number, zoom: number | undefined): boolean {
  return iotCount > IOT_GRID_ABOVE && (zoom ?? 0) < IOT_GRID_MAX_ZOOM;
}

/** Registry indices, IoT apart from the stations; kept per registry so the data arrays keep their identity. */
export function deviceGroups(devices: readonly Device[], typeIndex: Uint8Array): { iot: number[]; stations: number[] } {
  let g = split.get(devices);
  if (!g) {
    g = { iot: [], stations: [] };
    for (let i = 0; i < typeIndex.length; i++) (typeIndex[i] === IOT ? g.iot : g.stations).push(i);
    split.set(devices, g);
  }
  return g;
}

export function deviceLayers(ctx: BuildContext, isOffline: (i: number) => boolean): ModeLayers {
  const { store, devices, scale: s, wall } = ctx;
  const typeIndex = store.registry?.typeIndex ?? new Uint8Array(0);
  const groups = deviceGroups(devices, typeIndex);
  const fill = (i: number): Rgba => (isOffline(i) ? OFFLINE_RGBA : TYPE_RGBA[typeIndex[i]!]!);
  const ring = (i: number): Rgba => (isOffline(i) ? OFFLINE_RING : STATION_RING);
  const v = store.deviceVersion;
  const triggers = { getFillColor: v, getLineColor: v, getRadius: v };
  const above = [];
  if (wall) {
    const iot = refreshIotColumns(devices, groups.iot, isOffline, s);
    if (drawsIotGrid(groups.iot.length, ctx.zoom)) {
      above.push(
        new SolidPolygonLayer<IotCell>({
          id: 'devices-iot-grid',
          data: iot.grid.cells,
          getPolygon: (c) => c.polygon,
          getFillColor: gridCellColor,
          updateTriggers: { getFillColor: iot.version },
        }),
      );
    } else {
      above.push(
        new ScatterplotLayer({
          id: 'devices-iot',
          data: iot.data,
          radiusUnits: 'pixels',
          opacity: 0.9,
          updateTriggers: triggers,
        }),
      );
    }
  }
  above.push(
    new ScatterplotLayer<number>({
      id: 'devices-stations',
      data: groups.stations,
      getPosition: (i) => positionOf(devices, i),
      getFillColor: fill,
      radiusUnits: 'pixels',
      getRadius: (i: number) => (isOffline(i) ? 6.5 : 5) * (wall ? 1 : 0.8) * s,
      stroked: true,
      getLineColor: ring,
      lineWidthUnits: 'pixels',
      getLineWidth: (wall ? 1.5 : 1.2) * s,
      pickable: wall,
      updateTriggers: triggers,
    }),
  );
  return { below: above, above: [] };
}
