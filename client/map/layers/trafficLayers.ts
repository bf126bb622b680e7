/**
 * Highways by level of service (deck.gl PathLayer from the segment geometry; 'noData' in NO_DATA_STYLE,
 * never a guessed colour), the cameras as points, congested segments with a chip (road and speed), and
 * new violations as short rings at their camera. Only the pulse layer changes per animation frame,
 * and only while a pulse lives.
 */
import { PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Device } from '../../../shared/devices';
import { LOS_BY_LEVEL, NO_DATA_STYLE, losRank, type Segment, type SegmentLos } from '../../../shared/traffic';
import { PULSE_MS, type Pulse } from '../../store/trafficState';
import { OFFLINE, hexRgb } from '../envStyles';
import { chipLayer, type Chip } from './chips';
import { INK, PAPER, chipBox, positionOf, rgba, type BuildContext, type ModeLayers, type Rgba } from './types';

const cameraCache = new WeakMap<readonly Device[], { idx: number[]; byId: Map<string, number> }>();

export function cameraIndex(devices: readonly Device[]): { idx: number[]; byId: Map<string, number> } {
  let c = cameraCache.get(devices);
  if (!c) {
    const idx: number[] = [];
    const byId = new Map<string, number>();
    devices.forEach((d, i) => {
      if (d.type !== 'camera') return;
      idx.push(i);
      byId.set(d.id, i);
    });
    c = { idx, byId };
    cameraCache.set(devices, c);
  }
  return c;
}

export function losColor(los: SegmentLos, alpha = 255): Rgba {
  return los === 'noData' ? rgba(NO_DATA_STYLE.rgb, alpha) : rgba(LOS_BY_LEVEL[los].rgb, alpha);
}

function midpoint(s: Segment): [number, number] {
  const c = s.coordinates;
  return c[Math.floor(c.length / 2)] as [number, number];
}

export function trafficLayers(ctx: BuildContext): ModeLayers {
  const { store, devices, scale: s } = ctx;
  const geometry = store.traffic.geometry ?? [];
  const los = (seg: Segment): SegmentLos => store.traffic.segments.get(seg.id)?.los ?? 'noData';
  const px = 15 * s;
  const congested = geometry.filter((seg) => losRank(los(seg)) >= 4).sort((a, b) => losRank(los(b)) - losRank(los(a)));
  const candidates: Chip[] = congested.map((seg) => {
    const st = store.traffic.segments.get(seg.id)!;
    const text = `${seg.road} ${st.speedKmh ?? '–'} km/h`;
    const band = LOS_BY_LEVEL[st.los as 'E' | 'F'];
    return { position: midpoint(seg), text, ...chipBox(ctx, text, px, 6 * s), fill: rgba(band.rgb, 245), ink: rgba(hexRgb(band.textHex)) };
  });
  const chips = ctx.place(candidates);
  const cams = cameraIndex(devices).idx;
  const v = store.traffic.segmentsVersion;
  const dv = store.deviceVersion;
  return {
    below: [
      new PathLayer<Segment>({
        id: 'road-casing',
        data: geometry,
        getPath: (seg) => seg.coordinates as [number, number][],
        getColor: [4, 9, 16, 230],
        getWidth: 11 * s,
        widthUnits: 'pixels',
        capRounded: true,
        jointRounded: true,
      }),
      new PathLayer<Segment>({
        id: 'road-los',
        data: geometry,
        getPath: (seg) => seg.coordinates as [number, number][],
        getColor: (seg) => losColor(los(seg)),
        getWidth: (seg) => (los(seg) === 'noData' ? 4 * s : 7 * s),
        widthUnits: 'pixels',
        capRounded: true,
        jointRounded: true,
        updateTriggers: { getColor: v, getWidth: v },
      }),
      new ScatterplotLayer<number>({
        id: 'cameras',
        data: cams,
        getPosition: (i) => positionOf(devices, i),
        getFillColor: (i) => (store.on[i] === 1 ? PAPER : rgba(OFFLINE.rgb)),
        getRadius: 2.6 * s,
        radiusUnits: 'pixels',
        stroked: true,
        getLineColor: INK,
        getLineWidth: 1.2 * s,
        lineWidthUnits: 'pixels',
        updateTriggers: { getFillColor: dv },
      }),
    ],
    above: [chipLayer('traffic-chips', chips, px, 6 * s, s)],
  };
}

interface LivePulse {
  position: [number, number];
  /** 0 at the start, 1 at the end of its life. */
  age: number;
}

/** The rings of the violations still pulsing at `now`; null when none is. */
export function pulseLayer(ctx: BuildContext, now: number): ScatterplotLayer<LivePulse> | null {
  const live: Pulse[] = ctx.store.traffic.livePulses(now);
  if (live.length === 0) return null;
  const byId = cameraIndex(ctx.devices).byId;
  const data: LivePulse[] = [];
  for (const p of live) {
    const i = byId.get(p.cameraId);
    if (i !== undefined) data.push({ position: positionOf(ctx.devices, i), age: (now - p.startedAt) / PULSE_MS });
  }
  const s = ctx.scale;
  return new ScatterplotLayer<LivePulse>({
    id: 'violation-pulses',
    data,
    getPosition: (p) => p.position,
    // Three rings over the pulse's life, each growing from the camera, fading out towards the end.
    getRadius: (p) => (8 + 34 * ((p.age * 3) % 1)) * s,
    getLineColor: (p) => [255, 64, 200, Math.round(255 * Math.min(1, 1.6 * (1 - p.age)))],
    getFillColor: (p) => [255, 64, 200, Math.round(70 * (1 - p.age))],
    radiusUnits: 'pixels',
    stroked: true,
    filled: true,
    getLineWidth: 4.5 * s,
    lineWidthUnits: 'pixels',
    updateTriggers: { getRadius: now, getLineColor: now, getFillColor: now },
  });
}
