/**
 * The forest fire danger levels (cấp dự báo cháy rừng I–V, QĐ 127/2000/QĐ-BNN-KL) as the wall shows them: the
 * colours of the fire danger signs at forest edges and in the bulletins (I xanh lá cây, II xanh da trời,
 * III vàng, IV da cam, V đỏ), with the level's numeral and name from shared/fireDanger.ts and the band of P.
 * The shades are ours: the convention names the colours, not their values.
 */
import { FIRE_LEVEL_NAMES, type FireDangerRule, type FireLevel } from '../../shared/fireDanger';
import { formatInt } from '../ui/format';
import { hexRgb, type Rgb } from './envStyles';

export interface FireLevelStyle {
  level: FireLevel;
  /** "I" … "V". */
  roman: string;
  /** "thấp" … "cực kỳ nguy hiểm". */
  vi: string;
  /** The colour as the convention names it. */
  colourName: string;
  hex: string;
  rgb: Rgb;
  /** Text colour with WCAG contrast ≥ 4.5 on `hex` (checked in the tests). */
  textHex: string;
}

const style = (level: FireLevel, colourName: string, hex: string, textHex: string): FireLevelStyle => ({
  level,
  ...FIRE_LEVEL_NAMES[level],
  colourName,
  hex,
  rgb: hexRgb(hex),
  textHex,
});

export const FIRE_LEVELS: readonly FireLevelStyle[] = [
  // Black on all but red: white on this green is 3.4:1 and on this blue 4.1:1.
  style(1, 'xanh lá cây', '#2e9e44', '#000000'),
  style(2, 'xanh da trời', '#2f7fd1', '#000000'),
  style(3, 'vàng', '#f2d21b', '#000000'),
  style(4, 'da cam', '#f08a1c', '#000000'),
  style(5, 'đỏ', '#d92b2b', '#ffffff'),
];

export function fireLevelStyle(level: FireLevel): FireLevelStyle {
  const s = FIRE_LEVELS[level - 1];
  if (!s) throw new RangeError(`fire level must be 1–5, got ${level}`);
  return s;
}

/** The level's band of P in the province's rule: "P ≤ 1.000", "1.000 < P ≤ 2.500", …, "P > 10.000". */
export function fireBandText(level: FireLevel, rule: Pick<FireDangerRule, 'bands'>): string {
  const upper = rule.bands[level - 1];
  const lower = rule.bands[level - 2];
  if (lower === undefined) return `P ≤ ${formatInt(upper!)}`;
  if (upper === undefined) return `P > ${formatInt(lower)}`;
  return `${formatInt(lower)} < P ≤ ${formatInt(upper)}`;
}
