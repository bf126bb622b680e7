/**
 * Which commune (xã/phường/đặc khu) contains a point. Pure: the caller loads the communes GeoJSON.
 * A bbox test per polygon part rejects almost every commune before the exact point-in-polygon test.
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { FeatureCollection, Polygon } from 'geojson';

export interface CommuneRef {
  /** Official 5-digit code. */
  code: string;
  name: string;
}

export interface CommuneIndex {
  /** The commune containing (lon, lat), or null outside every commune (sea, another province). */
  communeAt(lon: number, lat: number): CommuneRef | null;
}

interface Part {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
  polygon: Polygon;
  commune: CommuneRef;
}

function partOf(rings: number[][][], commune: CommuneRef): Part {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  // The outer ring bounds the holes, so it alone gives the bbox.
  for (const [lon, lat] of rings[0] ?? []) {
    if (lon === undefined || lat === undefined) continue;
    if (lon < minLon) minLon = lon;
    if (lon > maxLon) maxLon = lon;
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
  }
  return { minLon, minLat, maxLon, maxLat, polygon: { type: 'Polygon', coordinates: rings }, commune };
}

/** Throws when a feature is not a (Multi)Polygon with string `code` and `name`: bad data is a build error. */
export function createCommuneIndex(communes: FeatureCollection): CommuneIndex {
  const parts: Part[] = [];
  for (const [i, f] of communes.features.entries()) {
    const code: unknown = f.properties?.code;
    const name: unknown = f.properties?.name;
    if (typeof code !== 'string' || typeof name !== 'string') {
      throw new Error(`commune feature ${i}: properties.code and properties.name must be strings`);
    }
    const commune = { code, name };
    const g = f.geometry;
    if (g.type === 'Polygon') parts.push(partOf(g.coordinates, commune));
    else if (g.type === 'MultiPolygon') for (const rings of g.coordinates) parts.push(partOf(rings, commune));
    else throw new Error(`commune ${code}: geometry ${g.type} is not a polygon`);
  }

  return {
    communeAt(lon, lat) {
      if (!Number.isFinite(lon) || !Number.isFinite(lat)) return null;
      for (const p of parts) {
        if (lon < p.minLon || lon > p.maxLon || lat < p.minLat || lat > p.maxLat) continue;
        if (booleanPointInPolygon([lon, lat], p.polygon)) return p.commune;
      }
      return null;
    },
  };
}
