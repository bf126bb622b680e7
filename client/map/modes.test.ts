/** The wall's map modes: one number key each, the keys operators learned kept, the risk map on 0. */
import { describe, expect, it } from 'vitest';
import { MAP_MODES, MAP_MODE_INFO, MODE_BY_KEY, isChoropleth, modeInfo } from './modes';

describe('map modes', () => {
  it('gives every mode one single-digit key, no key twice, listed in the keyboard order 1–9 then 0', () => {
    expect(new Set(MAP_MODE_INFO.map((m) => m.mode))).toEqual(new Set(MAP_MODES));
    const keys = MAP_MODE_INFO.map((m) => m.key);
    expect(keys).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '0']);
    expect(MODE_BY_KEY.size).toBe(MAP_MODES.length);
  });

  it('keeps the keys of the existing modes and puts the disaster risk map on 0', () => {
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
    ]);
    expect(modeInfo('communeRisk')).toMatchObject({ labelVi: 'Xã: rủi ro thiên tai', titleVi: 'Cấp độ rủi ro thiên tai theo xã, phường' });
  });

  it('counts the risk map among the commune choropleths', () => {
    expect(MAP_MODES.filter(isChoropleth)).toEqual(['communeAqi', 'communeRain', 'communeRisk']);
  });
});
