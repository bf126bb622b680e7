/** River gauges by alarm stage (BĐ I/II/III), each with a chip: station, level and stage; and the reservoirs. */
import { ScatterplotLayer } from '@deck.gl/layers';
import type { HydroDerived, ReservoirDerived } from '../../../shared/environment';
import { FLOOD_STAGE, OFFLINE, STAGE_SHORT, reservoirSwatch } from '../envStyles';
import { formatLevel } from '../../ui/envFormat';
import type { Layer } from '@deck.gl/core';
import { chipLayer, type Chip } from './chips';
import { INK, PAPER, chipBox, positionOf, rgba, type BuildContext, type ModeLayers } from './types';

export function hydroOf(ctx: BuildContext, i: number): HydroDerived | undefined {
  const x = ctx.store.env.derived[i];
  return x?.kind === 'hydro' ? x : undefined;
}

export function hydroLayers(ctx: BuildContext): ModeLayers {
  const { store, devices, scale: s } = ctx;
  const online = (i: number) => store.on[i] === 1;
  const stage = (i: number): number => (online(i) ? (hydroOf(ctx, i)?.stage ?? -1) : -1);
  const order = [...store.env.stations.hydro].sort((a, b) => stage(a) - stage(b));
  const px = 15 * s;
  const r = 11 * s;
  const candidates: Chip[] = [];
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k]!;
    const x = hydroOf(ctx, i);
    const name = String(devices[i]!.props?.station ?? devices[i]!.name);
    const st = stage(i);
    const level = x?.level ?? null;
    const text = !online(i) ? `${name}: mất kết nối` : level === null ? name : `${name} ${formatLevel(level)}${st > 0 ? ` · ${STAGE_SHORT[st]}` : ''}`;
    const fill = st > 0 ? rgba(FLOOD_STAGE[st]!.rgb, 245) : ([10, 20, 32, 225] as const);
    candidates.push({ position: positionOf(devices, i), text, ...chipBox(ctx, text, px, r), fill: [...fill], ink: st > 0 ? INK : PAPER });
  }
  // Reservoirs first among the chips: a release is the most urgent thing this mode shows.
  const lakes = reservoirLayers(ctx);
  const chips = ctx.place([...lakes.chips, ...candidates]);
  const v = `${store.env.typeVersion.hydro}:${store.deviceVersion}`;
  return {
    below: [],
    above: [
      ...lakes.layers,
      new ScatterplotLayer<number>({
        id: 'hydro-gauges',
        data: order,
        getPosition: (i) => positionOf(devices, i),
        getFillColor: (i) => (online(i) ? rgba(FLOOD_STAGE[Math.max(0, stage(i))]!.rgb) : rgba(OFFLINE.rgb)),
        getRadius: (i) => (stage(i) > 0 ? r * 1.3 : r),
        radiusUnits: 'pixels',
        stroked: true,
        getLineColor: (i) => (online(i) ? INK : PAPER),
        getLineWidth: 2.5 * s,
        lineWidthUnits: 'pixels',
        pickable: true,
        updateTriggers: { getFillColor: v, getRadius: v, getLineColor: v },
      }),
      chipLayer('hydro-chips', chips, px, r * 1.3, s),
    ],
  };
}

function reservoirOf(ctx: BuildContext, i: number): ReservoirDerived | undefined {
  const x = ctx.store.env.derived[i];
  return x?.kind === 'reservoir' ? x : undefined;
}


/** The dams: a large ringed disc (a gauge's is smaller), its chip "Hồ thủy điện Sơn La 197,12 m · Đang xả lũ". */
function reservoirLayers(ctx: BuildContext): { layers: Layer[]; chips: Chip[] } {
  const { store, devices, scale: s } = ctx;
  const list = store.env.stations.reservoir;
  if (list.length === 0) return { layers: [], chips: [] };
  const online = (i: number) => store.on[i] === 1;
  const px = 15 * s;
  const r = 15 * s;
  // A release outlives the plant's link: it keeps its colour and words, with the link's loss said beside them.
  const swatchOf = (i: number) => {
    const x = reservoirOf(ctx, i);
    return x && (online(i) || x.release) ? reservoirSwatch(x) : null;
  };
  const chips: Chip[] = list.map((i) => {
    const x = reservoirOf(ctx, i);
    const sw = swatchOf(i);
    const name = devices[i]!.name;
    const text = !online(i)
      ? x?.release
        ? `${name} · ${sw!.labelVi} (mất kết nối)`
        : `${name}: mất kết nối`
      : x?.level == null
        ? name
        : `${name} ${formatLevel(x.level)}${x.release || x.stage > 0 ? ` · ${sw!.labelVi}` : ''}`;
    const alarm = !!sw && !!x && (x.release !== null || x.stage > 0);
    return { position: positionOf(devices, i), text, ...chipBox(ctx, text, px, r), fill: alarm ? [...rgba(sw!.rgb, 245)] : [10, 20, 32, 225], ink: alarm ? INK : PAPER };
  });
  const v = `${store.env.typeVersion.reservoir}:${store.deviceVersion}`;
  const layer = new ScatterplotLayer<number>({
    id: 'reservoirs',
    data: list,
    getPosition: (i) => positionOf(devices, i),
    getFillColor: (i) => {
      const sw = swatchOf(i);
      return sw ? rgba(sw.rgb) : rgba(OFFLINE.rgb);
    },
    getRadius: r,
    radiusUnits: 'pixels',
    stroked: true,
    getLineColor: PAPER,
    getLineWidth: 4 * s,
    lineWidthUnits: 'pixels',
    pickable: true,
    updateTriggers: { getFillColor: v },
  });
  return { layers: [layer], chips };
}
