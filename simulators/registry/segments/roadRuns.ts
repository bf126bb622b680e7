/**
 * National highways inside a province as "runs": continuous stretches of road with a chainage (km).
 * The chainage is computed exactly as simulators/registry/roads.ts labels cameras (same orientation of the
 * road's parts, same 50 m sampling, same inside-a-commune test on rounded sample midpoints), so a camera's
 * `km` and a segment's `fromKm`/`toKm` are on one scale. The distance and rounding formulas are the one
 * copy in shared/geometry.ts; buildSegments checks that every camera's km agrees.
 */
import type { FeatureCollection, Position } from 'geojson';
import type { CommuneIndex } from '../../../shared/communeIndex';
import { distanceM, isNationalHighway, lerp, roundCoord, shortRoadName, type LonLat } from '../../../shared/geometry';

/** Sampling step along the road, as in the registry generator. */
const STEP_M = 50;

export interface RunNode {
  p: LonLat;
  km: number;
  /** An original vertex of the road line (kept in output geometry); other nodes are collinear samples. */
  vertex: boolean;
  /** Commune of the 50 m sample that ends at this node; absent on zero-length (out-of-province) pieces. */
  commune?: string;
}

export interface Run {
  /** As in the data: 'Quốc lộ 1A'. */
  roadName: string;
  /** As on a sign: 'QL1A'. */
  road: string;
  nodes: RunNode[];
  fromKm: number;
  toKm: number;
}

export interface RunOptions {
  /** A stretch outside the province longer than this ends a run (shorter ones are bridged, at zero km). */
  maxExcursionM: number;
  /** Consecutive parts of a road closer than this continue one run. */
  partJoinM: number;
  /** Runs shorter than this are slivers along the border and are dropped. */
  minRunKm: number;
}

const toLonLat = (p: Position): LonLat => [p[0]!, p[1]!];

/** Lines of every national highway, grouped by name, in file order (the order the generator used). */
export function highwayLines(roads: FeatureCollection): Map<string, LonLat[][]> {
  const out = new Map<string, LonLat[][]>();
  for (const f of roads.features) {
    const name: unknown = f.properties?.name;
    if (typeof name !== 'string' || !isNationalHighway(name)) continue;
    const g = f.geometry;
    const lines = g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' ? g.coordinates : [];
    const list = out.get(name) ?? [];
    for (const l of lines) list.push(l.map(toLonLat));
    out.set(name, list);
  }
  return out;
}

/** Orders and orients a road's parts so distance runs north→south (or east→west) over the whole road. */
function orientParts(lines: LonLat[][]): LonLat[][] {
  const all = lines.flat();
  const lons = all.map((p) => p[0]);
  const lats = all.map((p) => p[1]);
  const midLat = (Math.min(...lats) + Math.max(...lats)) / 2;
  const ns =
    Math.max(...lats) - Math.min(...lats) >=
    (Math.max(...lons) - Math.min(...lons)) * Math.cos((midLat * Math.PI) / 180);
  const key = (p: LonLat) => (ns ? p[1] : p[0]);
  return lines
    .filter((l) => l.length >= 2)
    .map((l) => (key(l[0]!) >= key(l[l.length - 1]!) ? l : [...l].reverse()))
    .sort((a, b) => key(b[0]!) - key(a[0]!));
}

/** Splits one highway into in-province runs with chainage. */
export function roadRuns(roadName: string, lines: LonLat[][], index: CommuneIndex, opt: RunOptions): Run[] {
  const road = shortRoadName(roadName);
  const runs: Run[] = [];
  let km = 0;
  let cur: RunNode[] | null = null;
  // Nodes of an excursion out of the province, kept only if the road comes back soon enough.
  let pending: RunNode[] = [];
  let outsideM = 0;

  const close = () => {
    if (cur && cur.length >= 2) {
      const fromKm = cur[0]!.km;
      const toKm = cur[cur.length - 1]!.km;
      if (toKm - fromKm >= opt.minRunKm) runs.push({ roadName, road, nodes: cur, fromKm, toKm });
    }
    cur = null;
    pending = [];
    outsideM = 0;
  };

  let prevEnd: LonLat | null = null;
  for (const line of orientParts(lines)) {
    if (cur !== null) {
      const joined = pending.length === 0 && prevEnd !== null && distanceM(prevEnd, line[0]!) <= opt.partJoinM;
      if (joined) (cur as RunNode[]).push({ p: line[0]!, km, vertex: true });
      else close();
    }
    for (let i = 1; i < line.length; i++) {
      const a = line[i - 1]!;
      const b = line[i]!;
      const len = distanceM(a, b);
      const steps = Math.max(1, Math.ceil(len / STEP_M));
      for (let s = 0; s < steps; s++) {
        const mid = lerp(a, b, (s + 0.5) / steps);
        const commune = index.communeAt(roundCoord(mid[0]), roundCoord(mid[1]));
        const end: LonLat = s === steps - 1 ? b : lerp(a, b, (s + 1) / steps);
        if (commune) {
          if (cur === null) cur = [{ p: s === 0 ? a : lerp(a, b, s / steps), km, vertex: s === 0 }];
          else if (pending.length > 0) {
            cur.push(...pending);
            pending = [];
            outsideM = 0;
          }
          km += len / steps / 1000;
          cur.push({ p: end, km, vertex: s === steps - 1, commune: commune.code });
        } else if (cur !== null) {
          outsideM += len / steps;
          pending.push({ p: end, km, vertex: s === steps - 1 });
          if (outsideM > opt.maxExcursionM) close();
        }
      }
    }
    prevEnd = line[line.length - 1]!;
  }
  close();
  return runs;
}

/** The point of a run at chainage `km`, and the index of the piece it lies on. */
export function pointAt(run: Run, km: number): { p: [number, number]; i: number } {
  const n = run.nodes;
  for (let i = 0; i + 1 < n.length; i++) {
    const a = n[i]!;
    const b = n[i + 1]!;
    if (b.km <= a.km || km > b.km) continue;
    const t = Math.max(0, Math.min(1, (km - a.km) / (b.km - a.km)));
    return { p: lerp(a.p, b.p, t), i };
  }
  const last = n[n.length - 1]!;
  return { p: [last.p[0], last.p[1]], i: n.length - 2 };
}
