/**
 * The simulated rivers' hydrology (issue 17): what a river gauge's flow is at time t.
 *
 *   Q_g(t) = w_local · R_g(t) + w_up · mean_u (k_u ∗ Q_u)(t)
 *
 * - R_g: the runoff of the gauge's own catchment, its rain gauges' rain (catchment.ts) through a rainfall–
 *   runoff response: a cascade of three linear reservoirs (the gamma unit hydrograph of Nash, shape 3) for the
 *   quick flow plus one slower linear reservoir for the interflow, peaking `lagH` after the rain.
 * - k_u ∗ Q_u: the flow of each upstream gauge (the basin topology of shared/provinces/<slug>/basins.json)
 *   routed down the reach by Muskingum (routing.ts) with K = the reach's travel time and X = REACH_X.
 * Flows are in effective millimetres per hour; the level (environment.ts) turns Q into metres through the
 * gauge's rating.
 *
 * Everything is a function of t (no state carried from one report to the next): rain is read on an absolute
 * 15-minute grid and kept in rings only as a cache, so a report at t says the same whatever came before.
 */
import type { Device } from '../../shared/devices';
import { createRandom, hashSeed, uniform } from '../../shared/random';
import type { CatchmentGauge } from './catchment';
import type { ModelEffects } from './effects';
import { HOUR_MS } from './noise';
import { muskingumKernel, REACH_X } from './routing';
import { createWeather, gaugeLocalSeed } from './weather';

export interface UpstreamLink {
  id: string;
  /** Hours for the flood wave to travel from that gauge to this one (basins.json `travelH`). */
  travelH: number;
}

/** The province's rivers as the simulator routes them. */
export interface RiverNetwork {
  /** Every river gauge of the registry, whether or not this fleet runs it. */
  gauges: ReadonlyMap<string, Device>;
  /** The rain gauges each river gauge drains (catchment.ts). */
  catchments: ReadonlyMap<string, readonly CatchmentGauge[]>;
  /** The gauges upstream of each gauge, with travel times. */
  upstream: ReadonlyMap<string, readonly UpstreamLink[]>;
}

/** Grid step of rain samples and routed flows. */
export const FLOW_STEP_MS = HOUR_MS / 4;
const FLOW_STEP_H = FLOW_STEP_MS / HOUR_MS;
/**
 * Weights of a gauge's own catchment runoff and of its upstream gauges' routed flow (their mean), when it has
 * any. Not area shares: the catchment rule's rain gauges (a radius) already cover part of the upstream basin.
 * Chosen so that the flood scenario keeps its story (the lower gauges cross BĐ III within ten hours on their
 * own catchment's rain) while the wave from upstream holds them high for hours after.
 */
export const LOCAL_WEIGHT = 0.85;
export const UPSTREAM_WEIGHT = 0.5;
/** Grid values kept per flow: more than the longest reach's unit response (6 × the longest travel time). */
const RING = 1024;

/**
 * The catchment's response to rain: mostly a quick flood wave peaking `lagH` hours after the rain
 * (gamma, shape 3) plus a slower share that drains over about three times as long, so a river rises
 * within hours and falls slowly. Weights per hour of delay; they sum to 1 over the span.
 */
function responseKernel(lagH: number): (s: number) => number {
  const quick = lagH / 2;
  const slow = 1.5 * lagH;
  return (s) => 0.7 * ((s * s) / (2 * quick ** 3)) * Math.exp(-s / quick) + 0.3 * (s / slow ** 2) * Math.exp(-s / slow);
}

/** A cache of a function of the grid index, valid for the last RING indices asked for. */
function gridCache(f: (k: number) => number, size = RING): (k: number) => number {
  const index = new Float64Array(size).fill(Number.NaN);
  const value = new Float64Array(size);
  return (k) => {
    const slot = ((k % size) + size) % size;
    if (index[slot] !== k) {
      index[slot] = k;
      value[slot] = f(k);
    }
    return value[slot]!;
  };
}

/**
 * Effective rain (mm/h) reaching the river: recent catchment rain weighted by the response kernel, sampled
 * on the absolute grid so consecutive reports share their samples and the level moves smoothly.
 */
export function createEffectiveRain(rate: (t: number) => number, lagH: number): (t: number) => number {
  const spanH = 9 * lagH;
  const slots = Math.ceil((spanH * HOUR_MS) / FLOW_STEP_MS) + 1;
  const kernel = responseKernel(lagH);
  const sample = gridCache((g) => rate(g * FLOW_STEP_MS), slots);
  return (t) => {
    const last = Math.floor(t / FLOW_STEP_MS);
    const frac = t / FLOW_STEP_MS - last;
    let sum = 0;
    for (let k = 0; k < slots - 1; k++) sum += sample(last - k) * kernel((k + frac) * FLOW_STEP_H) * FLOW_STEP_H;
    return sum;
  };
}

/**
 * Hours from rain to the crest of a gauge's own catchment response. Drawn from the gauge's id (not from its
 * device's random source) so that the gauges downstream can rebuild the same flow.
 */
export function catchmentLagH(device: Device, regionSeed: number): number {
  const r = createRandom(hashSeed(device.id, regionSeed ^ 0x1a9));
  // Gauges up in the hills see a flood wave within a few hours; those on the coastal plain later. Shorter
  // than in nature (half a day and more on the plain), so a rehearsal does not take days.
  return device.props?.upstream === true ? uniform(r, 2.5, 3.5) : uniform(r, 4, 5);
}

export interface GaugeFlow {
  /** Flow at t, effective mm/h over the basin. */
  at(t: number): number;
  /** Flow at grid index k (time k · FLOW_STEP_MS). */
  grid(k: number): number;
  /** The part of the flow at t that came down from the gauges upstream. */
  routedAt(t: number): number;
}

/**
 * The flow model of one gauge and, recursively, of the gauges upstream of it. Without a network entry the
 * gauge drains its own place's rain.
 */
export function createGaugeFlow(device: Device, regionSeed: number, network: RiverNetwork | undefined, effects: ModelEffects = {}, path: readonly string[] = []): GaugeFlow {
  if (path.includes(device.id)) throw new Error(`river network: ${[...path, device.id].join(' → ')} is a loop`);
  const catchment = network?.catchments.get(device.id) ?? [];
  const sources = (catchment.length > 0 ? catchment : [{ id: device.id, lon: device.lon, lat: device.lat, weight: 1 }]).map(
    (g) => ({ weight: g.weight, weather: createWeather(regionSeed, g, gaugeLocalSeed(g.id, regionSeed), effects.rainBoost, effects.climate, effects.drought) }),
  );
  const totalWeight = sources.reduce((a, s) => a + s.weight, 0);
  const catchmentRain = (t: number) => {
    let sum = 0;
    for (const s of sources) sum += s.weight * s.weather.rainRate(t);
    return sum / totalWeight;
  };
  const local = createEffectiveRain(catchmentRain, catchmentLagH(device, regionSeed));

  const links = (network?.upstream.get(device.id) ?? []).flatMap((l) => {
    const up = network?.gauges.get(l.id);
    return up ? [{ flow: createGaugeFlow(up, regionSeed, network, effects, [...path, device.id]), kernel: muskingumKernel({ kH: l.travelH, x: REACH_X }, FLOW_STEP_H) }] : [];
  });
  const upShare = links.length > 0 ? UPSTREAM_WEIGHT : 0;
  const localShare = links.length > 0 ? LOCAL_WEIGHT : 1;
  const routedGrid = gridCache((k) => {
    let sum = 0;
    for (const l of links) {
      let s = 0;
      for (let j = 0; j < l.kernel.length; j++) s += l.kernel[j]! * l.flow.grid(k - j);
      sum += s / links.length;
    }
    return upShare * sum;
  });
  // Between grid points the routed flow is interpolated from the two last ones: it never reads the upstream
  // flow after t (the wave arrives up to one step later than K, a quarter of an hour).
  const routedAt = (t: number): number => {
    if (links.length === 0) return 0;
    const last = Math.floor(t / FLOW_STEP_MS);
    const frac = t / FLOW_STEP_MS - last;
    return (1 - frac) * routedGrid(last - 1) + frac * routedGrid(last);
  };
  const grid = gridCache((k) => localShare * local(k * FLOW_STEP_MS) + routedGrid(k - 1));
  return {
    at: (t) => localShare * local(t) + routedAt(t),
    grid,
    routedAt,
  };
}
