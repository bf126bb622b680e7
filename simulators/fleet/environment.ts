/**
 * Environmental monitoring stations: air quality, wastewater discharge, river level and rain.
 * Each model draws its per-station parameters once from the device's random source, then reads
 * stateless weather and noise at time t; only the rain gauge keeps state (rain since its last report).
 */
import type { Device } from '../../shared/devices';
import type { TelemetryInput } from '../../shared/mqtt';
import { gaussian, uniform, type RandomSource } from '../../shared/random';
import {
  DAY_MS,
  HOUR_MS,
  clamp,
  dayOfYearBump,
  drawSeed,
  fractalNoise,
  hash01,
  hourBump,
  round,
  subSeed,
  valueNoise,
  vnDayOfYear,
  vnHour,
  vnWeekday,
} from './noise';
import { commuterProfile } from './traffic';
import { createWeather, rainySeason } from './weather';

function numProp(device: Device, key: string): number | undefined {
  const v = device.props?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function createAirModel(device: Device, r: RandomSource, regionSeed: number) {
  const weather = createWeather(regionSeed, device, drawSeed(r));
  const driftSeed = subSeed(regionSeed, 201);
  const basePm = uniform(r, 18, 32);
  const pmRatio = uniform(r, 1.5, 1.95);
  const exposure = uniform(r, 0.6, 1.3);
  const o3Base = uniform(r, 25, 45);
  const o3Amp = uniform(r, 50, 100);
  const co = [uniform(r, 400, 800), uniform(r, 800, 2000)] as const;
  const no2 = [uniform(r, 8, 18), uniform(r, 20, 50)] as const;
  const so2 = [uniform(r, 5, 12), uniform(r, 8, 20)] as const;
  const northness = clamp(device.lat - 15, 0, 6) / 6;

  return (t: number): TelemetryInput['air'] => {
    const h = vnHour(t);
    const traffic = commuterProfile(h, vnWeekday(t)) * exposure;
    // Multi-day weather drift (stagnant vs windy spells), shared by the province's stations.
    const drift = 0.55 + 0.9 * fractalNoise(driftSeed, t / (3 * DAY_MS), 2);
    const winter = 1 + (0.15 + 0.25 * northness) * dayOfYearBump(vnDayOfYear(t), 15, 50);
    const rain = weather.rainRate(t);
    const washout = 1 / (1 + 0.25 * rain);
    const pm25 = basePm * drift * winter * washout * (0.65 + 0.75 * traffic) * (1 + 0.08 * gaussian(r));
    const sunny = 1 - clamp(rain / 2, 0, 0.7);
    const o3 = (o3Base * (0.7 + 0.3 * drift) + o3Amp * sunny * hourBump(h, 14, 2.5)) * (1 + 0.08 * gaussian(r));
    const gas = ([b, k]: readonly [number, number]) => (b + k * traffic * drift) * (1 + 0.07 * gaussian(r));
    return {
      ts: t,
      pm25: round(Math.max(1, pm25), 1),
      pm10: round(Math.max(2, pm25 * pmRatio * (1 + 0.05 * gaussian(r))), 1),
      o3: round(Math.max(1, o3), 1),
      co: Math.round(Math.max(50, gas(co))),
      so2: round(Math.max(0.5, gas(so2)), 1),
      no2: round(Math.max(0.5, gas(no2)), 1),
      temperature: round(weather.temperature(t) + 0.15 * gaussian(r), 1),
      relativeHumidity: Math.round(clamp(weather.relativeHumidity(t) + gaussian(r), 0, 100)),
    };
  };
}

/** QCVN 40:2011/BTNMT column limits (mg/L) before Kq·Kf. */
const QCVN40 = { A: { cod: 75, tss: 50, nh4: 5 }, B: { cod: 150, tss: 100, nh4: 10 } } as const;
type Pollutant = 'cod' | 'tss' | 'nh4';
/** An exceedance may start in any hour with this chance: about one every two weeks per station. */
const EPISODE_CHANCE_PER_HOUR = 1 / (24 * 14);
const MAX_EPISODE_HOURS = 6;

export interface Episode {
  start: number;
  end: number;
  pollutant: Pollutant;
  factor: number;
}

/** The exceedance episode (if any) active at t: a pure function of the station seed and the hour slots. */
export function activeEpisode(seed: number, t: number): Episode | null {
  const slot = Math.floor(t / HOUR_MS);
  for (let s = slot - MAX_EPISODE_HOURS + 1; s <= slot; s++) {
    if (hash01(seed, s) >= EPISODE_CHANCE_PER_HOUR) continue;
    const hours = 2 + Math.floor(hash01(subSeed(seed, 1), s) * (MAX_EPISODE_HOURS - 1));
    const start = s * HOUR_MS + hash01(subSeed(seed, 2), s) * HOUR_MS * 0.5;
    const end = start + hours * HOUR_MS;
    if (t < start || t >= end) continue;
    const pollutant = (['cod', 'tss', 'nh4'] as const)[Math.floor(hash01(subSeed(seed, 3), s) * 3)]!;
    return { start, end, pollutant, factor: 1.25 + hash01(subSeed(seed, 4), s) * 1.0 };
  }
  return null;
}

export function createWaterModel(device: Device, r: RandomSource) {
  const column = device.props?.column === 'A' ? 'A' : 'B';
  const kq = numProp(device, 'kq') ?? 1;
  const kf = numProp(device, 'kf') ?? 1;
  const limits = QCVN40[column];
  const episodeSeed = drawSeed(r);
  const levelSeed = drawSeed(r);
  const designFlow = uniform(r, 20, 250);
  const share: Record<Pollutant, number> = {
    cod: uniform(r, 0.35, 0.6),
    tss: uniform(r, 0.3, 0.55),
    nh4: uniform(r, 0.2, 0.5),
  };
  const pH0 = uniform(r, 6.8, 7.4);
  const temp0 = uniform(r, 27, 31);
  const bodShare = uniform(r, 0.35, 0.5);

  return (t: number): TelemetryInput['water'] => {
    const h = vnHour(t);
    // Two production shifts (6–22h), a lighter Sunday.
    const shift = 0.4 + 0.6 / (1 + Math.exp(-(h - 6) * 3)) / (1 + Math.exp((h - 22) * 3));
    const flow = designFlow * shift * (vnWeekday(t) === 0 ? 0.6 : 1) * (1 + 0.05 * gaussian(r));
    const ep = activeEpisode(episodeSeed, t);
    const level = (p: Pollutant, tag: number): number => {
      const limit = limits[p] * kq * kf;
      const slow = 0.8 + 0.4 * valueNoise(subSeed(levelSeed, tag), t / (6 * HOUR_MS));
      let v = limit * share[p] * slow * (1 + 0.04 * gaussian(r));
      if (ep && ep.pollutant === p) {
        // Ramp up and down over the first and last half hour, so an exceedance is not a step.
        const ramp = clamp(Math.min(t - ep.start, ep.end - t) / (HOUR_MS / 2), 0, 1);
        const target = limit * ep.factor;
        v += (target - v) * ramp;
      }
      return v;
    };
    const cod = level('cod', 1);
    return {
      ts: t,
      flow: round(Math.max(0, flow), 1),
      temperature: round(temp0 + 1.5 * Math.cos((2 * Math.PI * (h - 15)) / 24) + 0.2 * gaussian(r), 1),
      pH: round(clamp(pH0 + 0.25 * (valueNoise(subSeed(levelSeed, 9), t / (3 * HOUR_MS)) - 0.5) + 0.04 * gaussian(r), 0, 14), 2),
      cod: round(cod, 1),
      bod5: round(cod * bodShare, 1),
      tss: round(level('tss', 2), 1),
      nh4: round(level('nh4', 3), 2),
    };
  };
}

const RAIN_STEP_MS = HOUR_MS / 4;

/**
 * Effective rain (mm) reaching the river: recent rain weighted by a catchment response that peaks
 * after `lagH` hours. Rain is sampled on an absolute 15-minute grid, so consecutive reports share
 * their samples (kept in a fixed ring) and the level moves smoothly.
 */
function createEffectiveRain(rate: (t: number) => number, lagH: number): (t: number) => number {
  const spanH = 6 * lagH;
  const slots = Math.ceil((spanH * HOUR_MS) / RAIN_STEP_MS) + 1;
  const ringIndex = new Float64Array(slots).fill(NaN);
  const ringRate = new Float64Array(slots);
  const sample = (g: number): number => {
    const k = ((g % slots) + slots) % slots;
    if (ringIndex[k] !== g) {
      ringIndex[k] = g;
      ringRate[k] = rate(g * RAIN_STEP_MS);
    }
    return ringRate[k]!;
  };
  const stepH = RAIN_STEP_MS / HOUR_MS;
  return (t) => {
    const last = Math.floor(t / RAIN_STEP_MS);
    const frac = t / RAIN_STEP_MS - last;
    let sum = 0;
    for (let k = 0; k < slots - 1; k++) {
      const s = (k + frac) * stepH;
      sum += sample(last - k) * (s / lagH) * Math.exp(1 - s / lagH) * stepH;
    }
    return sum;
  };
}

export function createHydroModel(device: Device, r: RandomSource, regionSeed: number) {
  const weather = createWeather(regionSeed, device, drawSeed(r));
  const slowSeed = drawSeed(r);
  const bd1 = numProp(device, 'bd1');
  const bd3 = numProp(device, 'bd3');
  const base = bd1 !== undefined ? bd1 * uniform(r, 0.35, 0.55) : uniform(r, 1, 2.5);
  const top = bd3 ?? (bd1 !== undefined ? bd1 * 1.8 : base + 3);
  const range = Math.max(0.5, top - base);
  // Gauges up in the hills see a flood crest within hours; those on the coastal plain half a day later.
  const lagH = device.props?.upstream === true ? uniform(r, 3, 6) : uniform(r, 6, 12);
  const effectiveRain = createEffectiveRain(weather.rainRate, lagH);

  return (t: number): TelemetryInput['hydro'] => {
    const slow = (fractalNoise(slowSeed, t / (5 * DAY_MS), 2) - 0.5) * 0.08 * range;
    const wetSeason = 0.1 * range * rainySeason(t, device.lat);
    const rise = 1.3 * range * (1 - Math.exp(-effectiveRain(t) / 300));
    return { ts: t, waterLevel: round(base + slow + wetSeason + rise + 0.004 * gaussian(r), 2) };
  };
}

/** A tipping-bucket gauge: it reports whole tips of 0.2 mm and carries the remainder. */
const BUCKET_MM = 0.2;

export function createRainModel(device: Device, r: RandomSource, regionSeed: number) {
  const weather = createWeather(regionSeed, device, drawSeed(r));
  let last: number | null = null;
  let carried = 0;
  return (t: number): TelemetryInput['rain'] => {
    const from = last !== null && last < t ? last : t - device.reportIntervalSec * 1000;
    last = t;
    carried += weather.rainBetween(from, t);
    const tips = Math.floor(carried / BUCKET_MM + 1e-9);
    carried -= tips * BUCKET_MM;
    return { ts: t, precipitation: round(tips * BUCKET_MM, 1), intervalSec: round((t - from) / 1000, 3) };
  };
}
