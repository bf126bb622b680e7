/**
 * Small geometry helpers on lon/lat, pure, for the registry generator and the road-segment builder (one
 * copy: the chainage of a segment and the `km` a camera was labelled with come from the same formula).
 */

export type LonLat = readonly [number, number];

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in metres. */
export function distanceM(a: LonLat, b: LonLat): number {
  const dLat = rad(b[1] - a[1]);
  const dLon = rad(b[0] - a[0]);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** ~1 m: the precision of the checked-in geodata; the registry rounds camera positions the same way. */
export function roundCoord(x: number): number {
  return Math.round(x * 1e5) / 1e5;
}

export function lerp(a: LonLat, b: LonLat, t: number): [number, number] {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
}

/** Distance in metres from p to the segment ab (local equirectangular projection: fine at these scales). */
export function distanceToSegmentM(p: LonLat, a: LonLat, b: LonLat): number {
  const kx = Math.cos(rad(p[1])) * rad(1) * EARTH_RADIUS_M;
  const ky = rad(1) * EARTH_RADIUS_M;
  const ax = (a[0] - p[0]) * kx;
  const ay = (a[1] - p[1]) * ky;
  const bx = (b[0] - p[0]) * kx;
  const by = (b[1] - p[1]) * ky;
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
  return Math.hypot(ax + t * dx, ay + t * dy);
}

export interface Projection {
  /** Distance in metres from the point to the segment ab. */
  distM: number;
  /** Where the foot of the perpendicular falls on ab, 0..1. */
  t: number;
}

/** Projects p onto the segment ab in a local equirectangular frame (fine at road-segment scales). */
export function projectOnSegment(p: LonLat, a: LonLat, b: LonLat): Projection {
  const kx = Math.cos(rad(p[1])) * rad(1) * EARTH_RADIUS_M;
  const ky = rad(1) * EARTH_RADIUS_M;
  const ax = (a[0] - p[0]) * kx;
  const ay = (a[1] - p[1]) * ky;
  const dx = (b[0] - a[0]) * kx;
  const dy = (b[1] - a[1]) * ky;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
  return { distM: Math.hypot(ax + t * dx, ay + t * dy), t };
}

/**
 * Where segments ab and cd cross, as the parameter along ab (0..1), or null. Lon/lat treated as a plane:
 * only the crossing's existence and rough position matter here.
 */
export function crossingT(a: LonLat, b: LonLat, c: LonLat, d: LonLat): number | null {
  const rx = b[0] - a[0];
  const ry = b[1] - a[1];
  const sx = d[0] - c[0];
  const sy = d[1] - c[1];
  const den = rx * sy - ry * sx;
  if (den === 0) return null;
  const qx = c[0] - a[0];
  const qy = c[1] - a[1];
  const t = (qx * sy - qy * sx) / den;
  const u = (qx * ry - qy * rx) / den;
  return t >= 0 && t <= 1 && u >= 0 && u <= 1 ? t : null;
}

/** National highways and the Hồ Chí Minh road: the roads the cameras and segments sit on. */
export function isNationalHighway(name: string): boolean {
  return name.startsWith('Quốc lộ') || name.startsWith('Đường Hồ Chí Minh');
}

/** As on a sign: 'Quốc lộ 1A' → 'QL1A'. */
export function shortRoadName(name: string): string {
  if (name.startsWith('Đường Hồ Chí Minh')) return 'ĐHCM';
  return name.replace(/^Quốc lộ\s*/, 'QL');
}
