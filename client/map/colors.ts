/**
 * Device colours by type, one palette for the map, the legend and the counts. Based on Okabe–Ito
 * (distinguishable with the common colour-vision deficiencies), lifted for a dark background.
 * Offline is a neutral grey that none of the type colours comes near.
 */
import type { DeviceType } from '../../shared/mqtt';

type Rgb = [number, number, number];

export const TYPE_RGB: Record<DeviceType, Rgb> = {
  air: [86, 180, 233],
  water: [230, 121, 182],
  hydro: [0, 200, 160],
  rain: [140, 150, 255],
  camera: [240, 160, 20],
  iot: [240, 228, 66],
  reservoir: [0, 114, 178],
};
export const OFFLINE_RGB: Rgb = [120, 126, 138];

export function cssRgb([r, g, b]: Rgb): string {
  return `rgb(${r} ${g} ${b})`;
}

/** Base map palette (dark, low-contrast context so the province and the devices stand out). */
export const MAP_COLORS = {
  sea: '#06111d',
  land: '#141c26',
  neighbourFill: '#18222e',
  neighbourLine: '#2b3947',
  communeFill: '#14324c',
  communeLine: '#3d6a8c',
  provinceLine: '#9fdcff',
  provinceGlow: '#2f8fd1',
  river: '#2e6fae',
  roadMain: '#8a7752',
  roadMinor: '#5e5444',
  rail: '#6b6b78',
  label: [226, 236, 246] as Rgb,
  labelHalo: [6, 17, 29] as Rgb,
} as const;
