/**
 * Cuts the national highways inside a province into road segments of about 1–5 km for the congestion map.
 * Pure: the caller passes the roads, communes and cameras; the script buildSegments.ts writes the result.
 *
 * - A run (continuous in-province stretch, see roadRuns.ts) is first cut where another national highway
 *   meets or crosses it: traffic changes at junctions.
 * - Each piece between junctions is then cut on a 0.1 km grid, never within 100 m of a camera (so a camera
 *   never sits on a boundary), choosing cuts that keep lengths near 3 km and put at most one camera in a
 *   segment where the cameras' spacing allows: a segment then shows what its own camera sees.
 * - Every camera is placed on its road (props.road) by projection; its direction of travel (props.direction,
 *   N/S/E/W) is compared with the road's heading there to file it under `forward` (increasing km) or
 *   `backward`.
 */
import type { FeatureCollection } from 'geojson';
import { createCommuneIndex } from '../../../shared/communeIndex';
import type { Device } from '../../../shared/devices';
import type { Segment } from '../../../shared/traffic';
import { crossingT, projectOnSegment, roundCoord, type LonLat } from '../../../shared/geometry';
import { highwayLines, pointAt, roadRuns, type Run, type RunOptions } from './roadRuns';

export interface FreeFlowByArea {
  /** Outside phường. */
  rural: number;
  /** Where the segment's midpoint is in a phường (built-up area, lower limits). */
  urban: number;
}

export interface SegmentConfig extends RunOptions {
  minKm: number;
  maxKm: number;
  targetKm: number;
  /** Cuts stay at least this far from a camera. */
  cameraClearanceKm: number;
  /** Cost of each camera beyond the first in one segment, against the squared relative length deviation. */
  extraCameraCost: number;
  /** A camera farther than this from its road is a data error. */
  cameraSnapM: number;
  /** Another highway's end this close to the road is a junction. */
  junctionM: number;
  /** A camera whose `km` differs more than this from its projected chainage is reported. */
  kmToleranceKm: number;
  /** Roads that get the `trunk` free-flow speeds (divided for long stretches, more lanes). */
  trunkRoads: readonly string[];
  /**
   * Free-flow speed (km/h) by road class: a little under the usual limits (Thông tư 38/2024/TT-BGTVT:
   * 80/60 on QL1A, 70/50 on other highways), because mixed traffic with many motorbikes rarely reaches the
   * limit even when the road is empty.
   */
  freeFlowKmh: { trunk: FreeFlowByArea; national: FreeFlowByArea };
}

export const DEFAULT_SEGMENT_CONFIG: SegmentConfig = {
  minKm: 1,
  maxKm: 5,
  targetKm: 3,
  cameraClearanceKm: 0.1,
  extraCameraCost: 1,
  cameraSnapM: 60,
  junctionM: 50,
  kmToleranceKm: 0.15,
  maxExcursionM: 300,
  partJoinM: 30,
  minRunKm: 0.3,
  trunkRoads: ['QL1A', 'ĐHCM'],
  freeFlowKmh: { trunk: { rural: 70, urban: 50 }, national: { rural: 60, urban: 45 } },
};

export interface SegmentBuildInput {
  /** roads.geojson: features with properties.name; only national highways are used. */
  roads: FeatureCollection;
  /** communes.geojson: properties.code, name and unitType ('phuong' counts as urban). */
  communes: FeatureCollection;
  /** Devices of kind 'traffic-camera' are placed; other devices are ignored. */
  devices: readonly Device[];
  config?: Partial<SegmentConfig>;
}

export interface SegmentBuildResult {
  segments: Segment[];
  /** Data oddities worth a look that did not stop the build (camera km disagreeing with the chainage). */
  warnings: string[];
}

const GRID = 10; // cut positions are multiples of 1/GRID km

interface PlacedCamera {
  id: string;
  run: Run;
  km: number;
  direction: 'forward' | 'backward';
}

const DIRECTION_VECTORS: Record<string, LonLat> = { N: [0, 1], S: [0, -1], E: [1, 0], W: [-1, 0] };

function placeCamera(cam: Device, runs: readonly Run[], cfg: SegmentConfig): PlacedCamera & { labelKm: number | null } {
  const road = cam.props?.road;
  const dirVec = DIRECTION_VECTORS[String(cam.props?.direction)];
  if (typeof road !== 'string') throw new Error(`camera ${cam.id}: props.road is missing`);
  if (!dirVec) throw new Error(`camera ${cam.id}: props.direction must be N, S, E or W`);
  const labelKm = typeof cam.props?.km === 'number' ? cam.props.km : null;
  const p: LonLat = [cam.lon, cam.lat];
  let best: { run: Run; i: number; km: number; score: number } | null = null;
  for (const run of runs) {
    if (run.road !== road) continue;
    const n = run.nodes;
    for (let i = 0; i + 1 < n.length; i++) {
      const a = n[i]!;
      const b = n[i + 1]!;
      if (b.km <= a.km) continue;
      const pr = projectOnSegment(p, a.p, b.p);
      if (pr.distM > cfg.cameraSnapM) continue;
      const km = a.km + pr.t * (b.km - a.km);
      // Where the road passes close to itself, the registry's km label picks the right stretch.
      const score = labelKm === null ? pr.distM : Math.abs(km - labelKm) * 1000 + pr.distM;
      if (!best || score < best.score) best = { run, i, km, score };
    }
  }
  if (!best) throw new Error(`camera ${cam.id} (${road}) is not within ${cfg.cameraSnapM} m of ${road} in the province`);
  const a = best.run.nodes[best.i]!.p;
  const b = best.run.nodes[best.i + 1]!.p;
  const heading: LonLat = [(b[0] - a[0]) * Math.cos((a[1] * Math.PI) / 180), b[1] - a[1]];
  const dot = heading[0] * dirVec[0] + heading[1] * dirVec[1];
  return { id: cam.id, run: best.run, km: best.km, direction: dot >= 0 ? 'forward' : 'backward', labelKm };
}

type Box = [number, number, number, number];

function bboxOf(points: readonly LonLat[], pad: number): Box {
  const b: Box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) {
    b[0] = Math.min(b[0], x);
    b[1] = Math.min(b[1], y);
    b[2] = Math.max(b[2], x);
    b[3] = Math.max(b[3], y);
  }
  return [b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad];
}

const boxesMeet = (a: Box, b: Box) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/** Chainages on `run` where another national highway ends on it or crosses it. */
function junctionsOn(run: Run, others: readonly LonLat[][], cfg: SegmentConfig): number[] {
  const out: number[] = [];
  const n = run.nodes;
  // Boxed chunks of the run, so each line segment of another road is tested against a few dozen nodes.
  // The pad (~100 m) exceeds junctionM, so an end within junctionM of the run is always inside a box.
  const CHUNK = 64;
  const chunks: { i0: number; i1: number; box: Box }[] = [];
  for (let i0 = 0; i0 + 1 < n.length; i0 += CHUNK) {
    const i1 = Math.min(n.length - 1, i0 + CHUNK);
    chunks.push({ i0, i1, box: bboxOf(n.slice(i0, i1 + 1).map((x) => x.p), 0.001) });
  }
  const kmAt = (i: number, t: number) => n[i]!.km + t * (n[i + 1]!.km - n[i]!.km);
  for (const line of others) {
    for (const end of [line[0]!, line[line.length - 1]!]) {
      let bestKm: number | null = null;
      let bestD = cfg.junctionM;
      for (const ch of chunks) {
        if (!boxesMeet(ch.box, [end[0], end[1], end[0], end[1]])) continue;
        for (let i = ch.i0; i < ch.i1; i++) {
          const pr = projectOnSegment(end, n[i]!.p, n[i + 1]!.p);
          if (pr.distM <= bestD) {
            bestD = pr.distM;
            bestKm = kmAt(i, pr.t);
          }
        }
      }
      if (bestKm !== null) out.push(bestKm);
    }
    for (let j = 1; j < line.length; j++) {
      const c = line[j - 1]!;
      const d = line[j]!;
      const cd = bboxOf([c, d], 0);
      for (const ch of chunks) {
        if (!boxesMeet(ch.box, cd)) continue;
        for (let i = ch.i0; i < ch.i1; i++) {
          const t = crossingT(n[i]!.p, n[i + 1]!.p, c, d);
          if (t !== null) out.push(kmAt(i, t));
        }
      }
    }
  }
  return out.sort((x, y) => x - y);
}

/** Junction cuts that leave every piece at least minKm long (the earlier of two close junctions wins). */
function junctionCuts(run: Run, kms: readonly number[], minKm: number): number[] {
  const cuts: number[] = [];
  let last = run.fromKm;
  for (const k of kms) {
    if (k - last >= minKm && run.toKm - k >= minKm) {
      cuts.push(k);
      last = k;
    }
  }
  return cuts;
}

/**
 * Cut positions for [a, b] (both included): a shortest-path choice over grid candidates with each piece
 * between minKm and maxKm, cost = ((len − target)/target)² + extraCameraCost × (cameras in piece − 1)⁺.
 */
function splitLink(a: number, b: number, cams: readonly number[], cfg: SegmentConfig, clearance = cfg.cameraClearanceKm): number[] {
  if (b - a < 2 * cfg.minKm) return [a, b];
  const pos = [a];
  for (let k = Math.floor(a * GRID) + 1; k / GRID < b - 1e-9; k++) {
    const x = k / GRID;
    if (cams.every((c) => Math.abs(c - x) >= clearance - 1e-9)) pos.push(x);
  }
  pos.push(b);
  const camsBefore = pos.map((x) => cams.filter((c) => c < x).length);
  const best = new Array<number>(pos.length).fill(Infinity);
  const prev = new Array<number>(pos.length).fill(-1);
  best[0] = 0;
  for (let i = 1; i < pos.length; i++) {
    for (let j = i - 1; j >= 0; j--) {
      const len = pos[i]! - pos[j]!;
      if (len > cfg.maxKm + 1e-9) break;
      if (len < cfg.minKm - 1e-9 || best[j] === Infinity) continue;
      const inPiece = camsBefore[i]! - camsBefore[j]!;
      const cost = ((len - cfg.targetKm) / cfg.targetKm) ** 2 + cfg.extraCameraCost * Math.max(0, inPiece - 1);
      if (best[j]! + cost < best[i]!) {
        best[i] = best[j]! + cost;
        prev[i] = j;
      }
    }
  }
  if (best[pos.length - 1] === Infinity) {
    // Only possible when cameras crowd out every grid point: give up the clearance, then the split.
    return clearance > 0 ? splitLink(a, b, cams, cfg, 0) : [a, b];
  }
  const cuts: number[] = [];
  for (let i = pos.length - 1; i >= 0; i = prev[i]!) cuts.push(pos[i]!);
  return cuts.reverse();
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const fmtKm = (x: number) => String(Math.round(x * 10) / 10);

export function roadSlug(road: string): string {
  return road
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[Đđ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

function segmentGeometry(run: Run, from: number, to: number): [number, number][] {
  const start = pointAt(run, from);
  const end = pointAt(run, to);
  const pts: [number, number][] = [start.p];
  for (let i = start.i + 1; i <= end.i; i++) {
    const node = run.nodes[i]!;
    if (node.vertex) pts.push([node.p[0], node.p[1]]);
  }
  pts.push(end.p);
  const out: [number, number][] = [];
  for (const [x, y] of pts) {
    const q: [number, number] = [roundCoord(x), roundCoord(y)];
    const last = out[out.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  return out;
}

export function buildSegments(input: SegmentBuildInput): SegmentBuildResult {
  const cfg: SegmentConfig = { ...DEFAULT_SEGMENT_CONFIG, ...input.config };
  const index = createCommuneIndex(input.communes);
  const urban = new Set(
    input.communes.features.filter((f) => f.properties?.unitType === 'phuong').map((f) => String(f.properties?.code)),
  );
  const lines = highwayLines(input.roads);
  const runsByRoad = new Map<string, Run[]>();
  for (const [name, ls] of lines) {
    const runs = roadRuns(name, ls, index, cfg);
    if (runs.length > 0) runsByRoad.set(name, runs);
  }
  const allRuns = [...runsByRoad.values()].flat();

  const warnings: string[] = [];
  const placed: PlacedCamera[] = [];
  for (const cam of input.devices) {
    if (cam.kind !== 'traffic-camera') continue;
    const pc = placeCamera(cam, allRuns, cfg);
    if (pc.labelKm !== null && Math.abs(pc.km - pc.labelKm) > cfg.kmToleranceKm) {
      warnings.push(`camera ${cam.id}: labelled Km ${pc.labelKm}, lies at Km ${pc.km.toFixed(2)} of ${pc.run.road}`);
    }
    placed.push(pc);
  }

  // Longest road first, then by name: a stable order whatever the order of features in the file.
  const roadOrder = [...runsByRoad.entries()]
    .map(([name, runs]) => ({ name, runs, km: runs.reduce((s, r) => s + r.toKm - r.fromKm, 0) }))
    .sort((x, y) => y.km - x.km || x.name.localeCompare(y.name));

  const segments: Segment[] = [];
  const ids = new Set<string>();
  for (const { name, runs } of roadOrder) {
    const others = [...lines.entries()].filter(([n]) => n !== name).flatMap(([, ls]) => ls);
    for (const run of runs) {
      const cams = placed.filter((c) => c.run === run).sort((x, y) => x.km - y.km || x.id.localeCompare(y.id));
      const camKms = cams.map((c) => c.km);
      const bounds = [run.fromKm, ...junctionCuts(run, junctionsOn(run, others, cfg), cfg.minKm), run.toKm];
      const cuts: number[] = [run.fromKm];
      for (let i = 1; i < bounds.length; i++) cuts.push(...splitLink(bounds[i - 1]!, bounds[i]!, camKms, cfg).slice(1));

      for (let i = 1; i < cuts.length; i++) {
        const from = cuts[i - 1]!;
        const to = cuts[i]!;
        const last = i === cuts.length - 1;
        const mine = cams.filter((c) => c.km >= from && (c.km < to || (last && c.km <= to)));
        const mid = pointAt(run, (from + to) / 2);
        const commune = run.nodes[mid.i + 1]?.commune ?? run.nodes[mid.i]?.commune;
        if (!commune) throw new Error(`${run.road} Km ${fmtKm(from)}: midpoint has no commune`);
        const ff = cfg.freeFlowKmh[cfg.trunkRoads.includes(run.road) ? 'trunk' : 'national'];
        const baseId = `${roadSlug(run.road)}-${String(Math.round(from * GRID)).padStart(4, '0')}`;
        let id = baseId;
        for (let k = 2; ids.has(id); k++) id = `${baseId}-${k}`;
        ids.add(id);
        segments.push({
          id,
          road: run.road,
          name: `${run.road} Km ${fmtKm(from)}–${fmtKm(to)}`,
          fromKm: round3(from),
          toKm: round3(to),
          lengthKm: round3(to - from),
          freeFlowKmh: urban.has(commune) ? ff.urban : ff.rural,
          coordinates: segmentGeometry(run, from, to),
          commune,
          cameraIds: {
            forward: mine.filter((c) => c.direction === 'forward').map((c) => c.id),
            backward: mine.filter((c) => c.direction === 'backward').map((c) => c.id),
          },
        });
      }
    }
  }
  return { segments, warnings };
}

