/**
 * Colours and Vietnamese labels of the environmental layers, one table for the map, the legends and
 * the panels. AQI bands and levels of service come from shared/ (official colours, exactly); the
 * rest are the conventions Vietnamese bulletins use (flood alarms yellow → orange → red).
 */
import type { ReservoirDerived } from '../../shared/environment';
import type { ComplianceStatus, RainCategory } from '../../shared/environment';
import { AQI_BANDS, type AqiBandInfo, type AqiBandNumber } from '../../shared/vnAqi';

export type Rgb = readonly [number, number, number];

export interface Swatch {
  labelVi: string;
  rgb: Rgb;
  hex: string;
  /** Readable text colour on `hex`. */
  textHex: string;
}

const sw = (labelVi: string, hex: string, textHex: string): Swatch => ({ labelVi, rgb: hexRgb(hex), hex, textHex });

export function hexRgb(hex: string): Rgb {
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
}

export function aqiBandInfo(band: AqiBandNumber): AqiBandInfo {
  return AQI_BANDS[band - 1]!;
}

/** No reading, or not enough hours for an index: never a guessed colour. */
export const NO_VALUE = sw('Chưa đủ dữ liệu', '#6e7580', '#ffffff');
export const OFFLINE = sw('Mất kết nối', '#787e8a', '#ffffff');

export const COMPLIANCE: Record<ComplianceStatus, Swatch> = {
  within: sw('Trong giới hạn', '#2ecc71', '#000000'),
  near: sw('Gần ngưỡng (≥ 80 %)', '#ffc21a', '#000000'),
  exceeding: sw('Vượt QCVN 40', '#ff2d2d', '#000000'),
};
export const COMPLIANCE_SHORT: Record<ComplianceStatus, string> = {
  within: 'Đạt',
  near: 'Gần ngưỡng',
  exceeding: 'Vượt',
};

/** Flood stage 0 (below BĐ I) to 3 (BĐ III). */
export const FLOOD_STAGE: readonly Swatch[] = [
  sw('Dưới BĐ I', '#3fa7e0', '#000000'),
  sw('Báo động I', '#ffe11a', '#000000'),
  sw('Báo động II', '#ff8c1a', '#000000'),
  sw('Báo động III', '#ff2222', '#000000'),
];
export const STAGE_SHORT: readonly string[] = ['', 'BĐ I', 'BĐ II', 'BĐ III'];

/** A reservoir against its operating procedure (shared/reservoir.ts `reservoirStage`), and a release. */
export const RESERVOIR_STAGE: readonly Swatch[] = [
  sw('Trong giới hạn quy trình', '#3fa7e0', '#000000'),
  sw('Vượt mực nước trước lũ', '#ffe11a', '#000000'),
  // Violet, not orange: orange is an announced release, which a full lake is not (yet).
  sw('Đạt MNDBT', '#c08cff', '#000000'),
];
export const RELEASE_SWATCH = {
  announced: sw('Đã thông báo xả lũ', '#ff8c1a', '#000000'),
  releasing: sw('Đang xả lũ', '#ff2222', '#000000'),
} as const;

/** A reservoir's swatch: its release while there is one (a release outranks the level), else its stage. */
export function reservoirSwatch(x: Pick<ReservoirDerived, 'release' | 'stage'>): Swatch {
  return x.release ? RELEASE_SWATCH[x.release] : RESERVOIR_STAGE[x.stage]!;
}

/**
 * 24 h rain classes (STANDARDS.md §3: mưa vừa 16–50 mm, mưa to 51–100, mưa rất to > 100; the server's
 * category starts strictly above 15, 50 and 100 mm). Class 0 is "no category" (under 16 mm).
 */
export interface RainClass extends Swatch {
  category: RainCategory | null;
  /** The class starts strictly above this many mm. */
  above: number;
  rangeVi: string;
}
export const RAIN_CLASSES: readonly RainClass[] = [
  { ...sw('Không mưa, mưa nhỏ', '#6f8aa6', '#000000'), category: null, above: -Infinity, rangeVi: '< 16 mm' },
  { ...sw('Mưa vừa', '#38b6ff', '#000000'), category: 'mưa vừa', above: 15, rangeVi: '16–50 mm' },
  { ...sw('Mưa to', '#3d5afe', '#ffffff'), category: 'mưa to', above: 50, rangeVi: '51–100 mm' },
  { ...sw('Mưa rất to', '#d500f9', '#000000'), category: 'mưa rất to', above: 100, rangeVi: '> 100 mm' },
];

export function rainClassOf(mm: number): number {
  for (let k = RAIN_CLASSES.length - 1; k > 0; k--) if (mm > RAIN_CLASSES[k]!.above) return k;
  return 0;
}

export const RAIN_CATEGORY_CLASS: Record<RainCategory, number> = { 'mưa vừa': 1, 'mưa to': 2, 'mưa rất to': 3 };

/**
 * Heat map colours of the 24 h rain layer, on a 0–150 mm scale in 12.5 mm steps, so that the areas take
 * the colour of the class the interpolated total falls in (mưa vừa from 16, mưa to from 51, rất to above 100).
 */
export const RAIN24_HEAT_DOMAIN: [number, number] = [15, 150];
export const RAIN24_HEAT_RANGE: [number, number, number, number][] = [
  ...Array.from({ length: 4 }, () => [...RAIN_CLASSES[1]!.rgb, 170] as [number, number, number, number]),
  ...Array.from({ length: 4 }, () => [...RAIN_CLASSES[2]!.rgb, 190] as [number, number, number, number]),
  ...Array.from({ length: 4 }, () => [...RAIN_CLASSES[3]!.rgb, 205] as [number, number, number, number]),
];
/** 1 h rain: a continuous ramp over 0–50 mm in the hour, faint under 2 mm. */
export const RAIN1_HEAT_DOMAIN: [number, number] = [2, 50];
export const RAIN1_HEAT_RANGE: [number, number, number, number][] = [
  [56, 182, 255, 150],
  [40, 140, 255, 170],
  [61, 90, 254, 185],
  [120, 50, 250, 195],
  [213, 0, 249, 205],
];
