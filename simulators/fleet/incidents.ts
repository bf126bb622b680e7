/**
 * Road incidents and the queues behind them. Natural incidents are a pure function of (seed, road, hour
 * slot), so every camera on a road agrees on where and when one happened without talking to the others.
 * The slowdown is deep enough for the server to open a congestion incident (level E/F, speed ≤ 40 % of the
 * segment's free-flow speed, for 10 minutes): 25 % of the speed limit in the queue, less at the site.
 */
import type { RoadIncident } from './effects';
import { HOUR_MS, clamp, hash01, subSeed } from './noise';
import { hashSeed } from '../../shared/random';

export interface RoadExtent {
  minKm: number;
  maxKm: number;
}

export interface Slowdown {
  /** Cap on the average speed, as a share of the speed limit. */
  speedFactor: number;
  /** Share of the usual flow that still passes the camera. */
  flowFactor: number;
}

const MIN = 60_000;
/** Time for a queue to reach its full length after the road is blocked. */
const BUILD_MS = 20 * MIN;
/** Time for a queue to dissolve once the road is cleared. */
export const DISSOLVE_MS = 15 * MIN;
/** Speed in the queue as a share of the speed limit: 20 km/h of 80, 15 of 60 (E/F for any free-flow speed ≥ 50). */
const QUEUE_FACTOR = 0.25;
/** The site itself: the segment with the blockage. */
const SITE_KM = 0.4;
/** Past the queue's tail, speeds recover over this distance. */
const TAIL_KM = 1;
/** Natural incidents per 100 km of road per day: QL1A through a province sees about one a day. */
const PER_100KM_PER_DAY = 0.8;
const MAX_BLOCKED_MS = 75 * MIN;

/** The natural incidents on a road that still affect traffic at t. */
export function naturalIncidents(seed: number, road: string, extent: RoadExtent, t: number): RoadIncident[] {
  const length = Math.max(0, extent.maxKm - extent.minKm);
  const chance = (PER_100KM_PER_DAY * length) / 100 / 24;
  if (chance <= 0) return [];
  const roadSeed = hashSeed(road, seed ^ 0x1c1d);
  const slot = Math.floor(t / HOUR_MS);
  const out: RoadIncident[] = [];
  const back = Math.ceil((MAX_BLOCKED_MS + DISSOLVE_MS) / HOUR_MS);
  for (let s = slot - back; s <= slot; s++) {
    if (hash01(roadSeed, s) >= chance) continue;
    const start = (s + hash01(subSeed(roadSeed, 1), s)) * HOUR_MS;
    const clearAt = start + (30 + 45 * hash01(subSeed(roadSeed, 2), s)) * MIN;
    if (t < start || t >= clearAt + DISSOLVE_MS) continue;
    out.push({
      road,
      km: extent.minKm + length * hash01(subSeed(roadSeed, 3), s),
      start,
      clearAt,
      siteFactor: 0.12 + 0.1 * hash01(subSeed(roadSeed, 4), s),
      queueKm: 1 + 2 * hash01(subSeed(roadSeed, 5), s),
    });
  }
  return out;
}

/** How one incident slows traffic at chainage `km` at t, or null when it does not reach there. */
export function slowdownOf(inc: RoadIncident, km: number, t: number): Slowdown | null {
  if (t < inc.start || t >= inc.clearAt + DISSOLVE_MS) return null;
  const blocked = t < inc.clearAt;
  // The queue grows while the road is blocked and shrinks from its head once it is cleared.
  const queue = blocked
    ? inc.queueKm * clamp((t - inc.start) / BUILD_MS, 0.15, 1)
    : inc.queueKm * (1 - (t - inc.clearAt) / DISSOLVE_MS);
  const d = Math.abs(km - inc.km);
  if (d <= SITE_KM && blocked) return { speedFactor: inc.siteFactor, flowFactor: 0.15 + inc.siteFactor };
  if (d <= Math.max(queue, blocked ? SITE_KM : 0)) return { speedFactor: QUEUE_FACTOR, flowFactor: 0.55 };
  if (d <= queue + TAIL_KM && queue > 0) {
    const f = (d - queue) / TAIL_KM;
    return { speedFactor: QUEUE_FACTOR + (1 - QUEUE_FACTOR) * f, flowFactor: 0.55 + 0.45 * f };
  }
  return null;
}

/** The worst slowdown of several incidents at `km`, or null. */
export function worstSlowdown(incidents: readonly RoadIncident[], km: number, t: number): Slowdown | null {
  let worst: Slowdown | null = null;
  for (const inc of incidents) {
    const s = slowdownOf(inc, km, t);
    if (s && (!worst || s.speedFactor < worst.speedFactor)) worst = s;
  }
  return worst;
}
