/**
 * Rain as a heat map over the gauges (24 h or 1 h totals), with the gauges as dots and the wettest
 * carrying a chip with their total (and, for 24 h, the category: mưa vừa / to / rất to).
 */
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { RainDerived } from '../../../shared/environment';
import { OFFLINE, RAIN_CLASSES, RAIN_HEAT_RANGE, rainClassOf } from '../envStyles';
import { formatMm } from '../../ui/envFormat';
import { chipLayer, type Chip } from './chips';
import { INK, PAPER, chipBox, positionOf, rgba, type BuildContext, type ModeLayers } from './types';

export type RainWindow = 'h24' | 'h1';

interface HeatPoint {
  position: [number, number];
  mm: number;
}

/** Heat domain (sum of weights under the kernel) per window, fitted so one gauge at mưa rất to saturates. */
const HEAT_DOMAIN: Record<RainWindow, [number, number]> = { h24: [2, 120], h1: [0.5, 30] };
/** Chips for gauges above this (mm): mưa vừa in 24 h; about 5 mm in an hour. */
const CHIP_ABOVE: Record<RainWindow, number> = { h24: 15, h1: 4.9 };

export function rainOf(ctx: BuildContext, i: number): RainDerived | undefined {
  const x = ctx.store.env.derived[i];
  return x?.kind === 'rain' ? x : undefined;
}

export function rainLayers(ctx: BuildContext, window: RainWindow): ModeLayers {
  const { store, devices, scale: s } = ctx;
  const online = (i: number) => store.on[i] === 1;
  const mm = (i: number) => rainOf(ctx, i)?.[window] ?? null;
  const gauges = store.env.stations.rain;
  const heat: HeatPoint[] = [];
  for (const i of gauges) {
    const v = mm(i);
    if (online(i) && v !== null && v > 0) heat.push({ position: positionOf(devices, i), mm: v });
  }
  const px = 15 * s;
  const r = 5 * s;
  const wettest = gauges.filter((i) => online(i) && (mm(i) ?? 0) > CHIP_ABOVE[window]).sort((a, b) => mm(b)! - mm(a)!);
  const candidates: Chip[] = wettest.map((i) => {
    const v = mm(i)!;
    const cls = window === 'h24' ? RAIN_CLASSES[rainClassOf(v)]! : null;
    const text = window === 'h24' ? `${formatMm(v)} · ${cls!.labelVi.toLowerCase()}` : `${formatMm(v)}/giờ`;
    return {
      position: positionOf(devices, i),
      text,
      ...chipBox(ctx, text, px, r),
      fill: cls ? rgba(cls.rgb, 240) : [20, 40, 70, 235],
      ink: cls && cls.textHex === '#000000' ? INK : PAPER,
    };
  });
  const chips = ctx.place(candidates);
  const v = `${store.env.typeVersion.rain}:${store.deviceVersion}:${window}`;
  return {
    below: [
      new HeatmapLayer<HeatPoint>({
        id: `rain-heat-${window}`,
        data: heat,
        getPosition: (p) => p.position,
        getWeight: (p) => p.mm,
        radiusPixels: Math.min(100, 70 * s),
        intensity: 1,
        threshold: 0.03,
        colorRange: RAIN_HEAT_RANGE,
        colorDomain: HEAT_DOMAIN[window],
        aggregation: 'SUM',
        debounceTimeout: 0,
      }),
    ],
    above: [
      new ScatterplotLayer<number>({
        id: 'rain-gauges',
        data: gauges,
        getPosition: (i) => positionOf(devices, i),
        getFillColor: (i) =>
          !online(i) ? rgba(OFFLINE.rgb) : window === 'h24' ? rgba(RAIN_CLASSES[rainClassOf(rainOf(ctx, i)?.h24 ?? 0)]!.rgb) : PAPER,
        getRadius: r,
        radiusUnits: 'pixels',
        stroked: true,
        getLineColor: (i) => (online(i) ? INK : PAPER),
        getLineWidth: 1.5 * s,
        lineWidthUnits: 'pixels',
        pickable: true,
        updateTriggers: { getFillColor: v, getLineColor: v },
      }),
      chipLayer(`rain-chips`, chips, px, r, s),
    ],
  };
}
