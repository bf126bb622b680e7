/** Seeded point placement inside a province: every point returned lies in a commune, at ~1 m precision. */
import { gaussian, type RandomSource } from '../../shared/random';
import { distanceM, roundCoord, type Commune, type ProvinceGeo } from './geo';

export interface Placed {
  lon: number;
  lat: number;
  commune: Commune;
}

const MAX_TRIES = 10_000;

/** Rounds first, then looks up: the stored coordinates are the ones that must fall in the commune. */
export function place(geo: ProvinceGeo, lon: number, lat: number): Placed | null {
  const x = roundCoord(lon);
  const y = roundCoord(lat);
  const ref = geo.index.communeAt(x, y);
  return ref ? { lon: x, lat: y, commune: geo.byCode.get(ref.code)! } : null;
}

export function weightedPick<T>(r: RandomSource, items: readonly T[], weight: (t: T) => number): T {
  let total = 0;
  for (const it of items) total += weight(it);
  let x = r.next() * total;
  for (const it of items) {
    x -= weight(it);
    if (x < 0) return it;
  }
  return items[items.length - 1]!;
}

/** Uniform inside one commune, by rejection from its bbox. */
export function pointInCommune(r: RandomSource, geo: ProvinceGeo, c: Commune): Placed {
  const [w, s, e, n] = c.bbox;
  for (let i = 0; i < MAX_TRIES; i++) {
    const p = place(geo, w + (e - w) * r.next(), s + (n - s) * r.next());
    if (p?.commune.code === c.code) return p;
  }
  throw new Error(`no point found in commune ${c.code}`);
}

/** Gaussian scatter around a centre; points outside the province are drawn again. */
export function pointNear(r: RandomSource, geo: ProvinceGeo, lon: number, lat: number, sdDeg: number): Placed {
  const kx = 1 / Math.cos((lat * Math.PI) / 180);
  for (let i = 0; i < MAX_TRIES; i++) {
    const p = place(geo, gaussian(r, lon, sdDeg * kx), gaussian(r, lat, sdDeg));
    if (p) return p;
  }
  throw new Error(`no point in the province near ${lon},${lat}`);
}

/**
 * A fixed site (a gauge) that may sit a little outside the province (a river bank that is the border, a
 * shoreline): the nearest inside point on rings of growing radius, searched in a fixed order.
 */
export function snapIntoProvince(geo: ProvinceGeo, lon: number, lat: number, maxDeg = 0.05): Placed {
  const here = place(geo, lon, lat);
  if (here) return here;
  for (let radius = 0.001; radius <= maxDeg + 1e-9; radius += 0.001) {
    let best: Placed | null = null;
    let bestD = Infinity;
    for (let k = 0; k < 32; k++) {
      const a = (2 * Math.PI * k) / 32;
      const p = place(geo, lon + radius * Math.cos(a), lat + radius * Math.sin(a));
      const d = p ? distanceM([lon, lat], [p.lon, p.lat]) : Infinity;
      if (p && d < bestD) {
        best = p;
        bestD = d;
      }
    }
    if (best) return best;
  }
  throw new Error(`${lon},${lat} is more than ${maxDeg}° from the province`);
}

/**
 * Mitchell's best-candidate sampling: of `candidates` draws, keep the one farthest from every point so far.
 * Spreads points evenly while the draw still decides where density goes.
 */
export function spreadPoints(
  r: RandomSource,
  n: number,
  draw: () => Placed,
  existing: readonly Placed[] = [],
  candidates = 8,
): Placed[] {
  const out: Placed[] = [];
  const all = [...existing];
  for (let i = 0; i < n; i++) {
    let best: Placed | null = null;
    let bestD = -1;
    for (let k = 0; k < candidates; k++) {
      const c = draw();
      let d = Infinity;
      for (const p of all) d = Math.min(d, distanceM([c.lon, c.lat], [p.lon, p.lat]));
      if (d > bestD) {
        best = c;
        bestD = d;
      }
    }
    out.push(best!);
    all.push(best!);
  }
  return out;
}

/** Splits `total` over weights by largest remainder; ties go to the earlier item; nothing when all weigh 0. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (!(sum > 0)) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => ({ i, frac: x - Math.floor(x) }))
    .filter(({ i }) => weights[i]! > 0)
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    counts[i]!++;
    left--;
  }
  return counts;
}
