/**
 * Rain as a heat map over the gauges (24 h or 1 h totals), with the gauges as dots and the wettest
 * carrying a chip with their total (and, for 24 h, the category: mưa vừa / to / rất to).
 */
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { RainDerived } from '../../../shared/environment';
import { OFFLINE, RAIN1_HEAT_DOMAIN, RAIN1_HEAT_RANGE, RAIN24_HEAT_DOMAIN, RAIN24_HEAT_RANGE, RAIN_CLASSES, rainClassOf } from '../envStyles';
import { formatMm } from '../../ui/envFormat';
import { chipLayer, type Chip } from './chips';
import { INK, PAPER, chipBox, positionOf, rgba, type BuildContext, type ModeLayers } from './types';

export type RainWindow = 'h24' | 'h1';

interface HeatPoint {
  position: [number, number];
  mm: number;
}

/**
 * MEAN aggregation: each pixel takes the kernel-weighted mean of the gauges around it, so the colour is an
 * interpolated total in mm (the domain is in mm), fading out where no gauge is near. Dry gauges count too.
 */
const HEAT: Record<RainWindow, { domain: [number, number]; range: [number, number, number, number][] }> = {
  h24: { domain: RAIN24_HEAT_DOMAIN, range: RAIN24_HEAT_RANGE },
  h1: { domain: RAIN1_HEAT_DOMAIN, range: RAIN1_HEAT_RANGE },
};
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
    if (online(i) && v !== null) heat.push({ position: positionOf(devices, i), mm: v });
  }
  const px = 15 * s;
  const r = 5 * s;
  const wettest = gauges.filter((i) => online(i) && (mm(i) ?? 0) > CHIP_ABOVE[window]).sort((a, b) => mm(b)! - mm(a)!);
  const candidates: Chip[] = wettest.map((i) => {
    const v = mm(i)!;
    const cls = window === 'h24' ? RAIN_CLASSES[rainClassOf(v)]! : null;
    const text = window === 'h24' ? `${formatMm(v)} · ${cls!.labelVi.toLowerCase()}` : formatMm(v);
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
        radiusPixels: 100,
        intensity: 1,
        colorRange: HEAT[window].range,
        colorDomain: HEAT[window].domain,
        aggregation: 'MEAN',
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
