/** River gauges by alarm stage (BĐ I/II/III), each with a chip: station, level and stage. */
import { ScatterplotLayer } from '@deck.gl/layers';
import type { HydroDerived } from '../../../shared/environment';
import { FLOOD_STAGE, OFFLINE, STAGE_SHORT } from '../envStyles';
import { formatLevel } from '../../ui/envFormat';
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
  const chips = ctx.place(candidates);
  const v = `${store.env.typeVersion.hydro}:${store.deviceVersion}`;
  return {
    below: [],
    above: [
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
