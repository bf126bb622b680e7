/**
 * Where the scenarios happen in each province: storm cells over the upper river basins and the city centre
 * the crash is staged in, from the `scenarios` of its province.json (coordinates read off the province maps).
 * A registry of no known province (a test's handful of devices) gets its storm over the mean of its river gauges.
 */
import type { Device } from '../../shared/devices';
import type { ProvinceScenarioPlaces, StormCell } from '../../shared/provinces';
import { PROVINCES } from '../registry/catalog';

export type { StormCell };
export type ProvincePlaces = ProvinceScenarioPlaces;

export function placesFor(province: string, devices: readonly Device[]): ProvincePlaces {
  const known = PROVINCES[province]?.scenarios;
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
