/**
 * National highways inside a province, sampled every few tens of metres, so cameras can be put exactly on
 * the line with a kilometre and a travel axis. Kilometres count in-province distance along the road,
 * north to south (or east to west), from where the road enters the province: not the official km posts,
 * which the context data does not carry.
 */
import { distanceM, isNationalHighway, roundCoord, shortRoadName } from '../../shared/geometry';
import type { LonLat, ProvinceGeo, UnitType } from './geo';

export { isNationalHighway, shortRoadName } from '../../shared/geometry';

/** Sampling step along the road. Cameras sit on these samples, so on the line itself. */
const STEP_M = 50;

export type Axis = 'NS' | 'EW';

export interface RoadSample {
  lon: number;
  lat: number;
  /** In-province distance from the road's start, km. */
  km: number;
  axis: Axis;
  commune: string;
  unitType: UnitType;
}

export interface Highway {
  /** As in the data: 'Quốc lộ 1A', 'Đường Hồ Chí Minh'. */
  name: string;
  /** As on a sign: 'QL1A', 'ĐHCM'. */
  short: string;
  lengthKm: number;
  samples: RoadSample[];
}

function axisOf(a: LonLat, b: LonLat): Axis {
  const dx = (b[0] - a[0]) * Math.cos((a[1] * Math.PI) / 180);
  const dy = b[1] - a[1];
  return Math.abs(dy) >= Math.abs(dx) ? 'NS' : 'EW';
}

/** Orders and orients a road's parts so distance runs north→south (or east→west) over the whole road. */
function orientParts(lines: LonLat[][]): LonLat[][] {
  const all = lines.flat();
  const lons = all.map((p) => p[0]);
  const lats = all.map((p) => p[1]);
  const midLat = (Math.min(...lats) + Math.max(...lats)) / 2;
  const spanLat = Math.max(...lats) - Math.min(...lats);
  const spanLon = (Math.max(...lons) - Math.min(...lons)) * Math.cos((midLat * Math.PI) / 180);
  const ns = spanLat >= spanLon;
  const key = (p: LonLat) => (ns ? p[1] : p[0]);
  return lines
    .filter((l) => l.length >= 2)
    .map((l) => (key(l[0]!) >= key(l[l.length - 1]!) ? l : [...l].reverse()))
    .sort((a, b) => key(b[0]!) - key(a[0]!));
}

export function nationalHighways(geo: ProvinceGeo): Highway[] {
  const out: Highway[] = [];
  for (const road of geo.roads) {
    if (!isNationalHighway(road.name)) continue;
    const samples: RoadSample[] = [];
    let km = 0;
    for (const line of orientParts(road.lines)) {
      for (let i = 1; i < line.length; i++) {
        const a = line[i - 1]!;
        const b = line[i]!;
        const len = distanceM(a, b);
        const steps = Math.max(1, Math.ceil(len / STEP_M));
        const axis = axisOf(a, b);
        for (let s = 0; s < steps; s++) {
          const t = (s + 0.5) / steps;
          // Rounded as devices.json stores them (~1 m), so a sample inside a commune stays inside once written.
          const lon = roundCoord(a[0] + (b[0] - a[0]) * t);
          const lat = roundCoord(a[1] + (b[1] - a[1]) * t);
          const commune = geo.index.communeAt(lon, lat);
          if (!commune) continue;
          km += len / steps / 1000;
          samples.push({ lon, lat, km, axis, commune: commune.code, unitType: geo.byCode.get(commune.code)!.unitType });
        }
      }
    }
    if (samples.length > 0) out.push({ name: road.name, short: shortRoadName(road.name), lengthKm: km, samples });
  }
  // Longest first, then by name: a stable order whatever the order of features in the file.
  return out.sort((a, b) => b.lengthKm - a.lengthKm || a.name.localeCompare(b.name));
}
