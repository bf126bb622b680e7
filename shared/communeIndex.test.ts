// Reading the checked-in fixtures needs the file system; shared/ code itself stays free of I/O.
// eslint-disable-next-line no-restricted-imports
import { readFileSync } from 'node:fs';
import type { FeatureCollection, Point } from 'geojson';
import { describe, expect, it } from 'vitest';
import { createCommuneIndex } from './communeIndex';

function load(slug: string, file: string): FeatureCollection {
  return JSON.parse(readFileSync(new URL(`./provinces/${slug}/${file}`, import.meta.url), 'utf8')) as FeatureCollection;
}

describe.each(['quang-ngai', 'ha-tinh'])('createCommuneIndex (%s)', (slug) => {
  const communes = load(slug, 'communes.geojson');
  const labels = load(slug, 'commune-labels.geojson');
  const index = createCommuneIndex(communes);

  it('maps every commune label point back to that commune', () => {
    expect(labels.features.length).toBe(communes.features.length);
    for (const f of labels.features) {
      const [lon, lat] = (f.geometry as Point).coordinates as [number, number];
      expect(index.communeAt(lon, lat), String(f.properties?.name)).toEqual({
        code: f.properties?.code,
        name: f.properties?.name,
      });
    }
  });

  it('returns null at sea, in Laos and for non-finite input', () => {
    expect(index.communeAt(110.5, 15.5)).toBeNull(); // East Sea, far offshore
    expect(index.communeAt(105.0, 17.0)).toBeNull(); // Laos
    expect(index.communeAt(Number.NaN, 15)).toBeNull();
  });
});

describe('createCommuneIndex', () => {
  const index = createCommuneIndex(load('quang-ngai', 'communes.geojson'));

  it('finds known places', () => {
    // Quảng Ngãi citadel area is in Phường Cẩm Thành; Lý Sơn island is its own đặc khu.
    expect(index.communeAt(108.8119, 15.1135)?.code).toBe('21025');
    expect(index.communeAt(109.11, 15.38)?.name).toBe('Lý Sơn');
    // Offshore between the mainland and Lý Sơn.
    expect(index.communeAt(109.0, 15.3)).toBeNull();
  });

  it('picks the right part of a MultiPolygon and respects holes', () => {
    const square = (x: number, y: number, s: number) => [
      [x, y],
      [x + s, y],
      [x + s, y + s],
      [x, y + s],
      [x, y],
    ];
    const idx = createCommuneIndex({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { code: '00001', name: 'A' },
          geometry: { type: 'MultiPolygon', coordinates: [[square(0, 0, 1)], [square(5, 5, 1)]] },
        },
        {
          type: 'Feature',
          properties: { code: '00002', name: 'B' },
          geometry: { type: 'Polygon', coordinates: [square(10, 0, 4), square(11, 1, 2)] },
        },
      ],
    });
    expect(idx.communeAt(5.5, 5.5)).toEqual({ code: '00001', name: 'A' });
    expect(idx.communeAt(3, 3)).toBeNull();
    expect(idx.communeAt(10.5, 0.5)?.code).toBe('00002');
    expect(idx.communeAt(12, 2)).toBeNull(); // in B's hole
  });

  it('rejects features without a code', () => {
    expect(() =>
      createCommuneIndex({
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: { name: 'X' }, geometry: { type: 'Point', coordinates: [0, 0] } }],
      }),
    ).toThrow(/code/);
  });
});
