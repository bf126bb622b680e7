/**
 * Where the scenarios happen in each province: storm cells over the upper river basins and the city
 * centre the crash is staged in. Coordinates read off the province maps (shared/provinces/<slug>/);
 * a province not listed gets its storm over the mean of its river gauges.
 */
import type { Device } from '../../shared/devices';

export interface StormCell {
  lon: number;
  lat: number;
  /** Gaussian radius (1 σ), km. */
  radiusKm: number;
  /** Peak rain rate at the centre, mm/h. */
  peakMmH: number;
}

export interface ProvincePlaces {
  /** The flood's storm: over the upper basins of the rivers named in `floodRivers`. */
  storm: readonly StormCell[];
  floodRivers: readonly string[];
  /** The provincial capital's centre: the crash happens on QL1A nearest to it. */
  cityCentre: { lon: number; lat: number };
}

export const PLACES: Readonly<Record<string, ProvincePlaces>> = {
  'quang-ngai': {
    storm: [
      // Upper Trà Khúc (Sơn Hà, Sơn Tây), upper Trà Bồng (Trà Bồng, Tây Trà), upper Vệ (Minh Long, Ba Tơ).
      { lon: 108.45, lat: 15.02, radiusKm: 24, peakMmH: 48 },
      { lon: 108.5, lat: 15.22, radiusKm: 18, peakMmH: 42 },
      { lon: 108.66, lat: 14.87, radiusKm: 18, peakMmH: 42 },
    ],
    floodRivers: ['Trà Khúc', 'Trà Bồng', 'Vệ'],
    cityCentre: { lon: 108.8, lat: 15.12 },
  },
  'ha-tinh': {
    storm: [
      // Upper Ngàn Sâu (Hương Khê, Vũ Quang), upper Ngàn Phố (Hương Sơn), and the La above Linh Cảm.
      { lon: 105.62, lat: 18.22, radiusKm: 24, peakMmH: 48 },
      { lon: 105.33, lat: 18.45, radiusKm: 20, peakMmH: 42 },
      { lon: 105.55, lat: 18.45, radiusKm: 16, peakMmH: 36 },
    ],
    floodRivers: ['Ngàn Sâu', 'La'],
    cityCentre: { lon: 105.9, lat: 18.34 },
  },
};

export function placesFor(province: string, devices: readonly Device[]): ProvincePlaces {
  const known = PLACES[province];
  if (known) return known;
  const rivers = devices.filter((d) => d.kind === 'river-gauge');
  const pool = rivers.length > 0 ? rivers : devices;
  const lon = pool.reduce((a, d) => a + d.lon, 0) / Math.max(1, pool.length);
  const lat = pool.reduce((a, d) => a + d.lat, 0) / Math.max(1, pool.length);
  return {
    storm: [{ lon: lon - 0.2, lat, radiusKm: 30, peakMmH: 48 }],
    floodRivers: [...new Set(rivers.map((d) => String(d.props?.river ?? '')))].filter(Boolean),
    cityCentre: { lon, lat },
  };
}
