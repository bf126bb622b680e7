/** The fire danger levels' colours, names and bands of P. */
import { describe, expect, it } from 'vitest';
import { CLASSIC_FIRE_RULE } from '../../shared/fireDanger';
import { FIRE_LEVELS, fireBandText, fireLevelStyle } from './fireStyles';

/** WCAG 2 relative luminance of "#rrggbb". */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

describe('fire danger level styles', () => {
  it('gives levels I–V the fire sign colours, in order, with the numeral and the name', () => {
    expect(FIRE_LEVELS.map((l) => [l.level, l.roman, l.vi, l.colourName, l.hex])).toEqual([
      [1, 'I', 'thấp', 'xanh lá cây', '#2e9e44'],
      [2, 'II', 'trung bình', 'xanh da trời', '#2f7fd1'],
      [3, 'III', 'cao', 'vàng', '#f2d21b'],
      [4, 'IV', 'nguy hiểm', 'da cam', '#f08a1c'],
      [5, 'V', 'cực kỳ nguy hiểm', 'đỏ', '#d92b2b'],
    ]);
    expect(fireLevelStyle(4).colourName).toBe('da cam');
    expect(() => fireLevelStyle(0 as never)).toThrow(RangeError);
  });

  it('keeps hex and RGB the same colour, and the text on each badge readable (WCAG ≥ 4.5)', () => {
    for (const l of FIRE_LEVELS) {
      expect(l.hex).toBe(`#${l.rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`);
      expect(contrast(l.hex, l.textHex), `level ${l.roman}`).toBeGreaterThanOrEqual(4.5);
    }
    // The check can fail: white on the green badge would not pass.
    expect(contrast('#2e9e44', '#ffffff')).toBeLessThan(4.5);
  });

  it('writes each level band of P from the rule, in Vietnamese number format', () => {
    expect(FIRE_LEVELS.map((l) => fireBandText(l.level, CLASSIC_FIRE_RULE))).toEqual([
      'P ≤ 1.000',
      '1.000 < P ≤ 2.500',
      '2.500 < P ≤ 5.000',
      '5.000 < P ≤ 10.000',
      'P > 10.000',
    ]);
    expect(fireBandText(5, { bands: [5000, 10000, 15000, 20000] })).toBe('P > 20.000');
  });
});
