/**
 * Where traffic cameras go: on national highways, the province's main road first (QL1A on the coast, QL6 in
 * the north-west: province.json `roads`), denser where the road crosses a phường.
 */
import type { RandomSource } from '../../shared/random';
import { apportion } from './placement';
import type { ProvinceRoads } from '../../shared/provinces';
import type { Highway, RoadSample } from './roads';

export type Direction = 'N' | 'S' | 'E' | 'W';

export interface CameraSpot {
  road: Highway;
  sample: RoadSample;
  direction: Direction;
  speedLimit: number;
}

/** The main road carries most of the traffic (and of the violations): it gets this share of the cameras. */
const MAIN_ROAD_SHARE = 0.4;
/** Cameras per km in a phường relative to the countryside. */
const URBAN_DENSITY = 3;

/**
 * Speed limits in the spirit of Thông tư 38/2024/TT-BGTVT: lower inside built-up areas (phường), higher on
 * divided roads (QL1A for long stretches) than on the two-lane mountain highways.
 */
function speedLimitAt(road: Highway, s: RoadSample, roads: ProvinceRoads): number {
  const trunk = roads.divided.includes(road.short);
  if (s.unitType === 'phuong') return trunk ? 60 : 50;
  return trunk ? 80 : 70;
}

function placeOnRoad(r: RandomSource, road: Highway, n: number, roads: ProvinceRoads): CameraSpot[] {
  const { samples } = road;
  const cum: number[] = [];
  let total = 0;
  for (const s of samples) {
    total += s.unitType === 'phuong' ? URBAN_DENSITY : 1;
    cum.push(total);
  }
  const used = new Set<number>();
  const spots: CameraSpot[] = [];
  for (let i = 0; i < n; i++) {
    // Stratified: the i-th camera falls in the i-th slice of the weighted length, jittered inside it.
    const target = ((i + 0.2 + 0.6 * r.next()) / n) * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    while (used.has(lo) && lo < samples.length - 1) lo++;
    if (used.has(lo)) continue;
    used.add(lo);
    const sample = samples[lo]!;
    const forward = r.next() < 0.5;
    const direction: Direction = sample.axis === 'NS' ? (forward ? 'S' : 'N') : forward ? 'W' : 'E';
    spots.push({ road, sample, direction, speedLimit: speedLimitAt(road, sample, roads) });
  }
  return spots;
}

/** `highways` as from nationalHighways(): in a stable order. */
export function placeCameras(r: RandomSource, highways: readonly Highway[], total: number, roads: ProvinceRoads): CameraSpot[] {
  const main = highways.find((h) => h.short === roads.main);
  const others = highways.filter((h) => h !== main);
  // A main road alone takes every camera.
  const mainCount = main ? (others.length > 0 ? Math.round(total * MAIN_ROAD_SHARE) : total) : 0;
  const counts = apportion(
    total - mainCount,
    others.map((h) => h.lengthKm),
  );
  const plan: [Highway, number][] = main ? [[main, mainCount]] : [];
  others.forEach((h, i) => plan.push([h, counts[i]!]));
  return plan.flatMap(([road, n]) => placeOnRoad(r, road, n, roads));
}
