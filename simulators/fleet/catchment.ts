/**
 * Which rain gauges feed which river gauge: the rain a river answers is the rain its gauges upstream
 * reported. A simple rule, not hydrology: rain gauges within a radius that are not on the seaward side
 * (both provinces drain east to the sea), nearer ones weighing more.
 */
import type { Device } from '../../shared/devices';

export interface CatchmentGauge {
  id: string;
  lon: number;
  lat: number;
  weight: number;
}

/** A gauge up in the hills drains a small area; one on the coastal plain drains the whole basin above it. */
const RADIUS_KM = { upstream: 25, downstream: 50 } as const;
/** A rain gauge this far east of the river gauge (degrees) is downstream of it, toward the sea. */
const SEAWARD_DEG = 0.05;
const MAX_GAUGES = 8;

export function distanceKm(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const kx = 111.32 * Math.cos((((a.lat + b.lat) / 2) * Math.PI) / 180);
  return Math.hypot((a.lon - b.lon) * kx, (a.lat - b.lat) * 110.57);
}

/** Per river gauge id, its rain gauges (empty when none qualifies: the river then reads its own place). */
export function catchments(devices: readonly Device[]): Map<string, CatchmentGauge[]> {
  const rain = devices.filter((d) => d.kind === 'rain-gauge');
  const out = new Map<string, CatchmentGauge[]>();
  for (const river of devices) {
    if (river.kind !== 'river-gauge') continue;
    const radius = river.props?.upstream === true ? RADIUS_KM.upstream : RADIUS_KM.downstream;
    const near = rain
      .filter((g) => g.lon <= river.lon + SEAWARD_DEG)
      .map((g) => ({ g, d: distanceKm(river, g) }))
      .filter((x) => x.d <= radius)
      .sort((a, b) => a.d - b.d || a.g.id.localeCompare(b.g.id))
      .slice(0, MAX_GAUGES);
    out.set(
      river.id,
      near.map(({ g, d }) => ({ id: g.id, lon: g.lon, lat: g.lat, weight: 1 / (1 + d / 15) })),
    );
  }
  return out;
}
