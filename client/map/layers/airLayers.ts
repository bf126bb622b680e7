/**
 * Air stations in the official VN_AQI band colours. Where there is room, a station is a badge with its
 * AQI number (worst stations get the room first); elsewhere a smaller dot of the same colour.
 */
import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { AirDerived } from '../../../shared/environment';
import { UI_FONT } from '../../ui/theme';
import { NO_VALUE, OFFLINE, aqiBandInfo, hexRgb } from '../envStyles';
import { INK, PAPER, positionOf, rgba, type BuildContext, type ModeLayers, type TextCandidate } from './types';

interface Badge extends TextCandidate {
  i: number;
  textHex: string;
}

export function airOf(ctx: BuildContext, i: number): AirDerived | undefined {
  const x = ctx.store.env.derived[i];
  return x?.kind === 'air' ? x : undefined;
}

export function airLayers(ctx: BuildContext): ModeLayers {
  const { store, devices, scale: s } = ctx;
  const online = (i: number) => store.on[i] === 1;
  const aqi = (i: number) => (online(i) ? (airOf(ctx, i)?.aqi ?? null) : null);
  // Worst drawn last (on top) and placed first.
  const order = [...store.env.stations.air].sort((a, b) => (aqi(a) ?? -1) - (aqi(b) ?? -1));
  const badgeR = 15 * s;
  const candidates: Badge[] = [];
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k]!;
    const x = airOf(ctx, i);
    if (!online(i) || !x || x.aqi === null || x.band === null) continue;
    const w = 2 * badgeR + (x.aqi >= 100 ? 6 * s : 0);
    candidates.push({ i, position: positionOf(devices, i), text: String(x.aqi), width: w, height: w, dx: 0, dy: 0, textHex: aqiBandInfo(x.band).textHex });
  }
  const badges = ctx.place(candidates);
  const isBadge = new Set(badges.map((b) => b.i));
  const fill = (i: number) => {
    if (!online(i)) return rgba(OFFLINE.rgb);
    const x = airOf(ctx, i);
    return x?.band ? rgba(aqiBandInfo(x.band).rgb) : rgba(NO_VALUE.rgb);
  };
  const v = `${store.env.typeVersion.air}:${store.deviceVersion}:${badges.length}:${badges.map((b) => b.i).join(',')}`;
  return {
    below: [],
    above: [
      new ScatterplotLayer<number>({
        id: 'air-stations',
        data: order,
        getPosition: (i) => positionOf(devices, i),
        getFillColor: fill,
        getRadius: (i) => (isBadge.has(i) ? badgeR + (aqi(i)! >= 100 ? 3 * s : 0) : online(i) ? 7 * s : 8 * s),
        radiusUnits: 'pixels',
        stroked: true,
        getLineColor: (i) => (online(i) ? INK : PAPER),
        getLineWidth: 2 * s,
        lineWidthUnits: 'pixels',
        pickable: true,
        updateTriggers: { getFillColor: v, getRadius: v, getLineColor: v },
      }),
      new TextLayer<Badge>({
        id: 'air-aqi',
        data: badges,
        getPosition: (b) => b.position,
        getText: (b) => b.text,
        getColor: (b) => rgba(hexRgb(b.textHex)),
        getSize: 15 * s,
        sizeUnits: 'pixels',
        fontFamily: UI_FONT,
        fontWeight: 800,
        characterSet: '0123456789',
        getTextAnchor: 'middle',
        getAlignmentBaseline: 'center',
      }),
    ],
  };
}
