/**
 * deck.gl layers for the live devices and the commune names, rebuilt from the store with stable
 * ids (STYLE.md 13). Data arrays keep their identity until the registry (or the placed labels)
 * change; colours are re-evaluated through `updateTriggers` keyed on the store's deviceVersion,
 * which only moves when some device went on- or offline. Nothing changed → no new layers → no
 * redraw.
 */
import type { Layer } from '@deck.gl/core';
import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { DEVICE_TYPES } from '../../shared/mqtt';
import type { LiveStore } from '../store/liveStore';
import type { CommuneLabel } from '../net/api';
import { UI_FONT } from '../ui/theme';
import { MAP_COLORS, OFFLINE_RGB, TYPE_RGB } from './colors';
import type { MapVariant } from './mapStyle';

type Rgba = [number, number, number, number];
const TYPE_RGBA: Rgba[] = DEVICE_TYPES.map((t) => [...TYPE_RGB[t], 255]);
const OFFLINE_RGBA: Rgba = [...OFFLINE_RGB, 255];
const STATION_RING: Rgba = [6, 12, 20, 230];
const OFFLINE_RING: Rgba = [235, 240, 246, 255];
const IOT = DEVICE_TYPES.indexOf('iot');

export const LABEL_FONT_WEIGHT = 600;

export class DeckLayers {
  private registry: LiveStore['registry'] = null;
  /** Registry indices, split so that the many small IoT dots sit under the stations. */
  private iotIdx: number[] = [];
  private stationIdx: number[] = [];
  private offlineSet = new Set<number>();
  private offlineSource: LiveStore['offline'] | null = null;
  private labels: CommuneLabel[] = [];
  private labelsVersion = 0;
  private built: { deviceVersion: number; labelsVersion: number; layers: Layer[] } | null = null;

  constructor(
    private readonly store: LiveStore,
    private readonly variant: MapVariant,
    /** UI scale: 1 at 1920 px wide, 2 at 3840. */
    private readonly scale: number,
  ) {}

  get labelFontPx(): number {
    return Math.round((this.variant === 'wall' ? 14 : 11) * this.scale);
  }

  setLabels(labels: CommuneLabel[]): void {
    this.labels = labels;
    this.labelsVersion++;
  }

  /** How many devices the layers draw (exposed to the browser tests). */
  drawnDevices(): number {
    return this.iotIdx.length + this.stationIdx.length;
  }

  /** The current layers; the same array (and layers) as last time when nothing changed. */
  layers(): Layer[] {
    const { store } = this;
    if (this.built && this.built.deviceVersion === store.deviceVersion && this.built.labelsVersion === this.labelsVersion) {
      return this.built.layers;
    }
    this.syncRegistry();
    this.syncOffline();
    const layers: Layer[] = [];
    const s = this.scale;
    const wall = this.variant === 'wall';
    const typeIndex = store.registry?.typeIndex ?? new Uint8Array(0);
    const devices = store.registry?.devices ?? [];
    const position = (i: number): [number, number] => [devices[i]!.lon, devices[i]!.lat];
    const isOffline = wall ? (i: number) => store.on[i] !== 1 : (i: number) => this.offlineSet.has(i);
    // Grey alone gets lost among 2,000 dots: an offline station also gets a light ring and more size.
    const fill = (i: number): Rgba => (isOffline(i) ? OFFLINE_RGBA : TYPE_RGBA[typeIndex[i]!]!);
    const ring = (i: number): Rgba => (isOffline(i) ? OFFLINE_RING : STATION_RING);
    const v = store.deviceVersion;
    const triggers = { getFillColor: v, getLineColor: v, getRadius: v };

    if (wall) {
      layers.push(
        new ScatterplotLayer<number>({
          id: 'devices-iot',
          data: this.iotIdx,
          getPosition: position,
          getFillColor: fill,
          radiusUnits: 'pixels',
          getRadius: (i: number) => (isOffline(i) ? 3.4 : 2.2) * s,
          opacity: 0.9,
          updateTriggers: triggers,
        }),
      );
    }
    layers.push(
      new ScatterplotLayer<number>({
        id: 'devices-stations',
        data: this.stationIdx,
        getPosition: position,
        getFillColor: fill,
        radiusUnits: 'pixels',
        getRadius: (i: number) => (isOffline(i) ? 6.5 : 5) * (wall ? 1 : 0.8) * s,
        stroked: true,
        getLineColor: ring,
        lineWidthUnits: 'pixels',
        getLineWidth: (wall ? 1.5 : 1.2) * s,
        updateTriggers: triggers,
      }),
    );
    if (this.labels.length > 0) {
      layers.push(
        new TextLayer<CommuneLabel>({
          id: 'commune-labels',
          data: this.labels,
          getPosition: (d) => d.position,
          getText: (d) => d.name,
          getSize: this.labelFontPx,
          sizeUnits: 'pixels',
          getColor: [...MAP_COLORS.label, 235],
          fontFamily: UI_FONT,
          fontWeight: LABEL_FONT_WEIGHT,
          // Vietnamese needs far more than the default ASCII atlas: take exactly the characters used.
          characterSet: 'auto',
          fontSettings: { sdf: true, fontSize: 64, buffer: 10, radius: 14 },
          outlineWidth: 5,
          outlineColor: [...MAP_COLORS.labelHalo, 230],
          getTextAnchor: 'middle',
          getAlignmentBaseline: 'center',
        }),
      );
    }
    this.built = { deviceVersion: store.deviceVersion, labelsVersion: this.labelsVersion, layers };
    return layers;
  }

  private syncRegistry(): void {
    const reg = this.store.registry;
    if (reg === this.registry) return;
    this.registry = reg;
    const iot: number[] = [];
    const stations: number[] = [];
    if (reg) {
      for (let i = 0; i < reg.typeIndex.length; i++) (reg.typeIndex[i] === IOT ? iot : stations).push(i);
    }
    // The phone map shows the monitoring stations only: the bulk IoT fleet has no state there.
    this.iotIdx = this.variant === 'wall' ? iot : [];
    this.stationIdx = stations;
  }

  private syncOffline(): void {
    if (this.store.offline === this.offlineSource) return;
    this.offlineSource = this.store.offline;
    this.offlineSet = new Set(this.store.offline.map((d) => d.i));
  }
}
