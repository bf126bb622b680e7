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
    above.push(
      new ScatterplotLayer<number>({
        id: 'devices-iot',
        data: groups.iot,
        getPosition: (i) => positionOf(devices, i),
        getFillColor: fill,
        radiusUnits: 'pixels',
        getRadius: (i: number) => (isOffline(i) ? 3.4 : 2.2) * s,
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
