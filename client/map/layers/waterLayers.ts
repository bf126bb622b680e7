/** Wastewater stations by QCVN 40 compliance; the stations near or over a limit carry a chip naming the parameters. */
import { ScatterplotLayer } from '@deck.gl/layers';
import type { ComplianceStatus, WaterDerived } from '../../../shared/environment';
import { COMPLIANCE, NO_VALUE, OFFLINE } from '../envStyles';
import { paramLabel } from '../../ui/envFormat';
import { chipLayer, type Chip } from './chips';
import { INK, PAPER, chipBox, positionOf, rgba, type BuildContext, type ModeLayers } from './types';

const RANK: Record<ComplianceStatus, number> = { within: 0, near: 1, exceeding: 2 };

export function waterOf(ctx: BuildContext, i: number): WaterDerived | undefined {
  const x = ctx.store.env.derived[i];
  return x?.kind === 'water' ? x : undefined;
}

export function waterLayers(ctx: BuildContext): ModeLayers {
  const { store, devices, scale: s } = ctx;
  const online = (i: number) => store.on[i] === 1;
  const status = (i: number): ComplianceStatus | null => (online(i) ? (waterOf(ctx, i)?.status ?? null) : null);
  const rank = (i: number) => {
    const st = status(i);
    return st === null ? -1 : RANK[st];
  };
  const order = [...store.env.stations.water].sort((a, b) => rank(a) - rank(b));
  const px = 15 * s;
  const r = 10 * s;
  const candidates: Chip[] = [];
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k]!;
    const x = waterOf(ctx, i);
    const st = status(i);
    if (!x || (st !== 'exceeding' && st !== 'near')) continue;
    const params = Object.entries(x.params)
      .filter(([, p]) => p?.status === st)
      .map(([name]) => paramLabel(name));
    const text = `${st === 'exceeding' ? 'Vượt' : 'Gần ngưỡng'}: ${params.join(', ')}`;
    const sw = COMPLIANCE[st];
    candidates.push({ position: positionOf(devices, i), text, ...chipBox(ctx, text, px, r), fill: rgba(sw.rgb, 240), ink: INK });
  }
  const chips = ctx.place(candidates);
  const fill = (i: number) => {
    if (!online(i)) return rgba(OFFLINE.rgb);
    const st = status(i);
    return st === null ? rgba(NO_VALUE.rgb) : rgba(COMPLIANCE[st].rgb);
  };
  const v = `${store.env.typeVersion.water}:${store.deviceVersion}`;
  return {
    below: [],
    above: [
      new ScatterplotLayer<number>({
        id: 'water-stations',
        data: order,
        getPosition: (i) => positionOf(devices, i),
        getFillColor: fill,
        getRadius: (i) => (rank(i) === 2 ? r * 1.25 : r),
        radiusUnits: 'pixels',
        stroked: true,
        getLineColor: (i) => (online(i) ? INK : PAPER),
        getLineWidth: 2 * s,
        lineWidthUnits: 'pixels',
        pickable: true,
        updateTriggers: { getFillColor: v, getRadius: v, getLineColor: v },
      }),
      chipLayer('water-chips', chips, px, r * 1.25, s),
    ],
  };
}
