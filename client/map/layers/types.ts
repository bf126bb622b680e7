/** What the per-mode layer builders share. */
import type { Layer } from '@deck.gl/core';
import type { Device } from '../../../shared/devices';
import type { LiveStore } from '../../store/liveStore';
import type { MapView } from '../modes';

export type Rgba = [number, number, number, number];

/** A text the map wants to show, with its screen box relative to its anchor (CSS px). */
export interface TextCandidate {
  position: [number, number];
  text: string;
  width: number;
  height: number;
  /** Offset of the box centre from the anchor point. */
  dx: number;
  dy: number;
}

export interface BuildContext {
  store: LiveStore;
  view: MapView;
  /** 1 at 1920 px wide, 2 at 3840. */
  scale: number;
  wall: boolean;
  /** The map's zoom (absent before the map has loaded, and in tests without a map). */
  zoom?: number;
  devices: readonly Device[];
  /** Keeps the candidates that fit, most important first (each one placed takes its space). */
  place<T extends TextCandidate>(candidates: readonly T[]): T[];
  /** Width of a text in px at a font size and weight. */
  measure(text: string, px: number, weight?: number): number;
}

/** A mode's layers: `below` goes under the commune names, `above` over them. */
export interface ModeLayers {
  below: Layer[];
  above: Layer[];
}

export const rgba = (rgb: readonly [number, number, number], a = 255): Rgba => [rgb[0], rgb[1], rgb[2], a];

/** Text chips (a coloured box with text) for station labels: readable on any base map. */
export const CHIP_FONT_WEIGHT = 700;
export const INK: Rgba = [6, 12, 20, 235];
export const PAPER: Rgba = [236, 242, 248, 255];

/** Position of registry device i. */
export function positionOf(devices: readonly Device[], i: number): [number, number] {
  const d = devices[i]!;
  return [d.lon, d.lat];
}

/** A chip's box for `text` at `px`, anchored at its left edge `gap` px right of the point. */
export function chipBox(ctx: BuildContext, text: string, px: number, gap: number): { width: number; height: number; dx: number; dy: number } {
  const width = ctx.measure(text, px, CHIP_FONT_WEIGHT) + px * 0.8;
  return { width, height: px * 1.55, dx: gap + width / 2, dy: 0 };
}
