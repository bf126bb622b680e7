/** The wall's map modes: one key each, the keys operators learned kept, the risk map on 0, the fire map on Shift+0. */
import { describe, expect, it } from 'vitest';
import { MAP_MODES, MAP_MODE_INFO, MODE_BY_KEY, isChoropleth, keyShortcut, modeForKey, modeInfo } from './modes';

describe('map modes', () => {
  it('gives every mode one key, no key twice, listed in the keyboard order 1–9, 0, then Shift+0', () => {
    expect(new Set(MAP_MODE_INFO.map((m) => m.mode))).toEqual(new Set(MAP_MODES));
    const keys = MAP_MODE_INFO.map((m) => m.key);
    expect(keys).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '⇧0']);
    expect(MODE_BY_KEY.size).toBe(MAP_MODES.length);
    expect(MAP_MODE_INFO.map(keyShortcut).slice(-2)).toEqual(['0', 'Shift+0']);
  });

  it('keeps the keys of the existing modes, the disaster risk map on 0 and the forest fire map on Shift+0', () => {
    expect([...MODE_BY_KEY]).toEqual([
      ['1', 'air'],
      ['2', 'water'],
      ['3', 'hydro'],
      ['4', 'rain24'],
      ['5', 'rain1'],
      ['6', 'communeAqi'],
      ['7', 'communeRain'],
      ['8', 'traffic'],
      ['9', 'devices'],
      ['0', 'communeRisk'],
      ['⇧0', 'communeFire'],
    ]);
    expect(modeInfo('communeRisk')).toMatchObject({ labelVi: 'Xã: rủi ro thiên tai', titleVi: 'Cấp độ rủi ro thiên tai theo xã, phường' });
    expect(modeInfo('communeFire')).toMatchObject({ labelVi: 'Xã: cháy rừng', titleVi: 'Cấp dự báo cháy rừng theo xã (QĐ 127/2000)' });
  });

  it('reads a key press: digits by their character, Shift+0 by the physical key whatever it types', () => {
    const press = (key: string, code: string, shiftKey = false) => modeForKey({ key, code, shiftKey });
    expect(press('1', 'Digit1')).toBe('air');
    expect(press('0', 'Digit0')).toBe('communeRisk');
    expect(press('0', 'Numpad0')).toBe('communeRisk');
    // US layout: Shift+0 types ")".
    expect(press(')', 'Digit0', true)).toBe('communeFire');
    // Another layout's character for Shift+0, the same physical key.
    expect(press('=', 'Digit0', true)).toBe('communeFire');
    // Shift with another digit is no mode (yet), nor is ")" typed without Shift (AZERTY's own key for it).
    expect(press('!', 'Digit1', true)).toBeUndefined();
    expect(press(')', 'Minus')).toBeUndefined();
    // AZERTY: Shift types the digits; they keep their plain modes.
    expect(press('0', 'Digit0', true)).toBe('communeRisk');
    expect(press('3', 'Digit3', true)).toBe('hydro');
    expect(press('p', 'KeyP')).toBeUndefined();
  });

  it('counts the risk and fire maps among the commune choropleths', () => {
    expect(MAP_MODES.filter(isChoropleth)).toEqual(['communeAqi', 'communeRain', 'communeRisk', 'communeFire']);
  });
});
