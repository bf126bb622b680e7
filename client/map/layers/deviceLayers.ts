/**
 * Every device by type (the "Thiết bị" mode and the phone map): the bulk IoT dots under the stations,
 * offline ones grey with a light ring and larger, since grey alone gets lost among 2,000 dots.
 */
import { ScatterplotLayer } from '@deck.gl/layers';
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
 * radius rewritten in place (a typed-array loop) when states change. deck.gl then uploads two
 * buffers instead of calling three accessors per dot (about 10 ms at 10,000 dots, per update).
 */
export interface IotColumns {
  /** The layer's `data`: the same object for the registry's life; its `attributes` are replaced on refresh. */
  data: { length: number; attributes: Record<string, { value: Float64Array | Float32Array | Uint8Array; size: number; normalized?: boolean }> };
  positions: Float64Array;
  fill: Uint8Array;
  radius: Float32Array;
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
    c = { data: { length: n, attributes: {} }, positions, fill: new Uint8Array(n * 4), radius: new Float32Array(n) };
    iotColumns.set(devices, c);
  }
  const { fill, radius } = c;
  const [or, og, ob, oa] = OFFLINE_RGBA;
  const [r, g, b, a] = TYPE_RGBA[IOT]!;
  const offR = 3.4 * scale;
  const onR = 2.2 * scale;
  for (let k = 0; k < iot.length; k++) {
    const off = isOffline(iot[k]!);
    const o = k * 4;
    fill[o] = off ? or : r;
    fill[o + 1] = off ? og : g;
    fill[o + 2] = off ? ob : b;
    fill[o + 3] = off ? oa : a;
    radius[k] = off ? offR : onR;
  }
  // New descriptors: deck.gl re-uploads a binary attribute when its descriptor object changes.
  c.data.attributes = {
    getPosition: (c.data.attributes.getPosition as IotColumns['data']['attributes'][string] | undefined) ?? { value: c.positions, size: 3 },
    getFillColor: { value: fill, size: 4, normalized: true },
    getRadius: { value: radius, size: 1 },
  };
  return c;
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
