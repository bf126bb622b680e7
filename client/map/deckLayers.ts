/**
 * deck.gl layers of the map for its current mode (STYLE.md 13): rebuilt only when something the mode
 * draws changed (a version of the store, the placed labels, the view), otherwise the very same array
 * comes back and deck.gl has nothing to redraw. Data arrays keep their identity per registry; colours
 * move through `updateTriggers`. Labels and station chips are placed in screen space once per change,
 * most important first, commune names in the space left.
 */
import type { Layer } from '@deck.gl/core';
import { TextLayer } from '@deck.gl/layers';
import type { LiveStore } from '../store/liveStore';
import type { CommuneLabel } from '../net/api';
import { UI_FONT } from '../ui/theme';
import { MAP_COLORS } from './colors';
import { declutter, placeInOrder, type LabelBox } from './declutter';
import { formatMm } from '../ui/envFormat';
import type { MapVariant } from './mapStyle';
import { STATIC_DEVICES_VIEW, isChoropleth, type MapMode, type MapView } from './modes';
import { airLayers } from './layers/airLayers';
import { deviceLayers } from './layers/deviceLayers';
import { focusLayers } from './layers/focusLayers';
import { hydroLayers } from './layers/hydroLayers';
import { rainLayers } from './layers/rainLayers';
import { pulseLayer, trafficLayers } from './layers/trafficLayers';
import type { BuildContext, ModeLayers, TextCandidate } from './layers/types';
import { waterLayers } from './layers/waterLayers';
import { appNow } from '../store/clock';
import { shownFireLevel } from '../store/fireState';
import { fireLevelStyle } from './fireStyles';

export const LABEL_FONT_WEIGHT = 600;

/** Layers whose objects are stations (registry indices) that open a detail card when picked. */
export const STATION_LAYER_IDS: ReadonlySet<string> = new Set(['air-stations', 'water-stations', 'hydro-gauges', 'rain-gauges', 'devices-stations']);

/** Screen geometry of the map, from MapLibre; without one (tests) every label is kept. */
export interface Projector {
  project(lonLat: [number, number]): [number, number];
  width: number;
  height: number;
  measure(text: string, px: number, weight: number): number;
  /** MapLibre's zoom. */
  zoom: number;
  /** Screen boxes covered by panels over the map (caption, legend): no label goes under them. */
  obstacles: LabelBox[];
}

export class DeckLayers {
  private allLabels: CommuneLabel[] = [];
  private labelsVersion = 0;
  private projector: Projector | null = null;
  private projectorVersion = 0;
  private offlineSet = new Set<number>();
  private offlineSource: LiveStore['offline'] | null = null;
  private built: { key: string; layers: Layer[]; labels: number; drawn: number } | null = null;
  private labelCache: { key: string; layers: Layer[] } | null = null;
  private drawnCount: { reg: object; n: number } | null = null;
  /** True while a violation pulse is running: the owner keeps asking for layers each frame. */
  animating = false;

  constructor(
    private readonly store: LiveStore,
    private readonly variant: MapVariant,
    /** UI scale: 1 at 1920 px wide, 2 at 3840. */
    private readonly scale: number,
    private readonly view: MapView = STATIC_DEVICES_VIEW,
  ) {}

  get labelFontPx(): number {
    return Math.round((this.variant === 'wall' ? 14 : 11) * this.scale);
  }

  /** Every commune label; which of them fit is decided per mode. */
  setLabels(labels: CommuneLabel[]): void {
    this.allLabels = labels;
    this.labelsVersion++;
  }

  setProjector(p: Projector | null): void {
    this.projector = p;
    this.projectorVersion++;
  }

  /** How many devices the devices mode draws (exposed to the browser tests). */
  drawnDevices(): number {
    const reg = this.store.registry;
    if (!reg) return 0;
    // Counted once per registry: the map asks on every redraw, and 100,000 devices take a while.
    if (this.drawnCount?.reg !== reg) {
      let iot = 0;
      for (let i = 0; i < reg.typeIndex.length; i++) if (reg.devices[i]!.type === 'iot') iot++;
      this.drawnCount = { reg, n: this.variant === 'wall' ? reg.typeIndex.length : reg.typeIndex.length - iot };
    }
    return this.drawnCount.n;
  }

  /** Objects (points, paths, heat points) the current mode draws, texts aside. */
  drawn(): number {
    return this.built?.drawn ?? 0;
  }

  /** Commune names on the map right now. */
  placedLabels(): number {
    return this.built?.labels ?? 0;
  }

  /** The current layers; the same array as last time when nothing changed (and no pulse runs). */
  layers(now = appNow()): Layer[] {
    const mode = this.variant === 'wall' ? this.view.mode : 'devices';
    const key = [mode, this.projectorVersion, this.labelsVersion, this.view.viewVersion, this.dataKey(mode)].join('|');
    if (!this.built || this.built.key !== key) this.built = { key, ...this.build(mode) };
    if (mode !== 'traffic') {
      this.animating = false;
      return this.built.layers;
    }
    const pulses = pulseLayer(this.context([]), now);
    this.animating = pulses !== null;
    return pulses ? [...this.built.layers, pulses] : this.built.layers;
  }

  private dataKey(mode: MapMode): string {
    const { store } = this;
    const env = store.env;
    switch (mode) {
      case 'air':
      case 'water':
        return `${env.typeVersion[mode]}:${store.deviceVersion}`;
      case 'hydro':
        return `${env.typeVersion.hydro}:${env.typeVersion.reservoir}:${store.deviceVersion}`;
      case 'rain24':
      case 'rain1':
        return `${env.typeVersion.rain}:${store.deviceVersion}`;
      case 'communeAqi':
      case 'communeRain':
      case 'communeRisk':
      case 'communeFire':
        return String(this.choroplethVersion(mode));
      case 'traffic':
        return `${store.traffic.geometryVersion}:${store.traffic.segmentsVersion}:${store.deviceVersion}`;
      case 'devices':
        return String(store.deviceVersion);
    }
  }

  /** What a choropleth's labels show moves with this (the rain and AQI aggregates, the risk or the fire levels). */
  private choroplethVersion(mode: MapMode): number | '' {
    if (!isChoropleth(mode)) return '';
    if (mode === 'communeRisk') return this.store.risk.levelVersion;
    if (mode === 'communeFire') return this.store.fire.levelVersion;
    return this.store.env.communeVersion;
  }

  private context(taken: LabelBox[]): BuildContext {
    const p = this.projector;
    return {
      store: this.store,
      view: this.view,
      scale: this.scale,
      wall: this.variant === 'wall',
      ...(p ? { zoom: p.zoom } : {}),
      devices: this.store.registry?.devices ?? [],
      measure: (text, px, weight = 700) => (p ? p.measure(text, px, weight) : text.length * px * 0.6),
      place: <T extends TextCandidate>(cands: readonly T[]): T[] => {
        if (!p) return cands.slice();
        const boxes = cands.map((c) => {
          const [x, y] = p.project(c.position);
          return { x: x + c.dx, y: y + c.dy, width: c.width, height: c.height };
        });
        const kept = placeInOrder(boxes, boxes.map((_, k) => k), p, Math.round(2 * this.scale), taken);
        for (const k of kept) taken.push(boxes[k]!);
        return kept.map((k) => cands[k]!);
      },
    };
  }

  private build(mode: MapMode): { layers: Layer[]; labels: number; drawn: number } {
    const taken: LabelBox[] = [...(this.projector?.obstacles ?? [])];
    const ctx = this.context(taken);
    const modeLayers = this.modeLayers(mode, ctx);
    const labels = this.communeLabels(mode, taken);
    const layers = [...modeLayers.below, ...labels, ...modeLayers.above, ...focusLayers(ctx)];
    const count = (l: Layer) => {
      const data = l.props.data as { length?: unknown } | null;
      return data && typeof data.length === 'number' ? data.length : 0;
    };
    let drawn = 0;
    for (const l of [...modeLayers.below, ...modeLayers.above]) if (!(l instanceof TextLayer) && l.id !== 'road-casing') drawn += count(l);
    return { layers, labels: labels.length > 0 ? count(labels[0]!) : 0, drawn };
  }

  private modeLayers(mode: MapMode, ctx: BuildContext): ModeLayers {
    switch (mode) {
      case 'air':
        return airLayers(ctx);
      case 'water':
        return waterLayers(ctx);
      case 'hydro':
        return hydroLayers(ctx);
      case 'rain24':
        return rainLayers(ctx, 'h24');
      case 'rain1':
        return rainLayers(ctx, 'h1');
      case 'traffic':
        return trafficLayers(ctx);
      case 'communeAqi':
      case 'communeRain':
      case 'communeRisk':
      case 'communeFire':
        return { below: [], above: [] };
      case 'devices':
        return deviceLayers(ctx, this.offlineTest());
    }
  }

  private offlineTest(): (i: number) => boolean {
    if (this.variant === 'wall') return (i) => this.store.on[i] !== 1;
    if (this.store.offline !== this.offlineSource) {
      this.offlineSource = this.store.offline;
      this.offlineSet = new Set(this.store.offline.map((d) => d.i));
    }
    const set = this.offlineSet;
    return (i) => set.has(i);
  }

  /**
   * The commune names that fit around what the mode placed; in the choropleths, with the value.
   * Kept while their inputs stay the same: placing and measuring 2,000 names, and a new TextLayer
   * (whose glyphs deck.gl lays out again), cost more than the dots themselves on every state change.
   */
  private communeLabels(mode: MapMode, taken: LabelBox[]): Layer[] {
    if (this.allLabels.length === 0) return [];
    const key = [mode, this.projectorVersion, this.labelsVersion, this.choroplethVersion(mode), boxesKey(taken)].join('|');
    if (this.labelCache?.key !== key) this.labelCache = { key, layers: this.buildCommuneLabels(mode, taken) };
    return this.labelCache.layers;
  }

  private buildCommuneLabels(mode: MapMode, taken: LabelBox[]): Layer[] {
    const communes = this.store.env.communes;
    const risk = this.store.risk.communes;
    const fire = this.store.fire.communes;
    const text = (l: CommuneLabel): string => {
      if (!isChoropleth(mode)) return l.name;
      if (mode === 'communeRisk') {
        const level = risk.get(l.code)?.level ?? 0;
        return level > 0 ? `${l.name} cấp ${level}` : l.name;
      }
      if (mode === 'communeFire') {
        const c = fire.get(l.code);
        const level = c ? shownFireLevel(c) : 0;
        return level === 0 ? l.name : `${l.name} cấp ${fireLevelStyle(level).roman}`;
      }
      const c = communes.get(l.code);
      if (mode === 'communeAqi') return c?.aqi != null ? `${l.name} ${c.aqi}` : l.name;
      return c?.rain24h != null ? `${l.name} ${formatMm(c.rain24h)}` : l.name;
    };
    const size = this.labelFontPx;
    let shown = this.allLabels;
    const p = this.projector;
    if (p) {
      const boxes = this.allLabels.map((l) => {
        const [x, y] = p.project(l.position);
        return { x, y, width: p.measure(text(l), size, LABEL_FONT_WEIGHT) + size * 0.4, height: size * 1.25 };
      });
      const keep = declutter(boxes, p, Math.round(size * 0.3), taken);
      shown = keep.map((k) => this.allLabels[k]!);
    }
    return [
      new TextLayer<CommuneLabel>({
        id: 'commune-labels',
        data: shown,
        getPosition: (d) => d.position,
        getText: text,
        getSize: size,
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
        updateTriggers: { getText: `${mode}:${this.choroplethVersion(mode)}` },
      }),
    ];
  }
}

/** What the commune names must keep clear of, as a key (rounded to the pixel). */
function boxesKey(boxes: readonly LabelBox[]): string {
  let k = '';
  for (const b of boxes) k += `${Math.round(b.x)},${Math.round(b.y)},${Math.round(b.width)},${Math.round(b.height)};`;
  return k;
}
