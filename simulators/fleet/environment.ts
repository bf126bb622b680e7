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
import type { ModelEffects } from './effects';
import { createGaugeFlow, type RiverNetwork } from './river';
import { commuterProfile } from './traffic';
import { createWeather, gaugeLocalSeed, rainySeason } from './weather';

function numProp(device: Device, key: string): number | undefined {
  const v = device.props?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function createAirModel(device: Device, r: RandomSource, regionSeed: number, effects: ModelEffects = {}) {
  const weather = createWeather(regionSeed, device, drawSeed(r), effects.rainBoost, effects.climate, effects.drought);
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
    // The night-time inversion traps the evening rush's exhaust into the late evening; midday mixing dilutes.
    const mixing = 1 + 0.3 * hourBump(h, 20.5, 2.5) - 0.15 * hourBump(h, 13, 2.5);
    const plume = effects.airPlume?.(device.id, t) ?? 1;
    const pm25 = basePm * drift * winter * washout * mixing * plume * (0.65 + 0.75 * traffic) * (1 + 0.08 * gaussian(r));
    const sunny = 1 - clamp(rain / 2, 0, 0.7);
    const o3 = (o3Base * (0.7 + 0.3 * drift) + o3Amp * sunny * hourBump(h, 14, 2.5)) * (1 + 0.08 * gaussian(r));
    const gas = ([b, k]: readonly [number, number]) => (b + k * traffic * drift) * plume * (1 + 0.07 * gaussian(r));
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

export function createWaterModel(device: Device, r: RandomSource, effects: ModelEffects = {}) {
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
    const discharge = effects.discharge?.(device.id, t) ?? null;
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
      const multiple = discharge?.multiple[p];
      if (discharge && multiple !== undefined) {
        v += (limit * multiple * (1 + 0.03 * gaussian(r)) - v) * clamp(discharge.weight, 0, 1);
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

/** Effective rain (mm/h) at which the river has risen by 1 − 1/e of its full rise: a day of steady 9 mm/h. */
const RUNOFF_SCALE_MMH = 9;
/** Gauges on the coastal plain (not flagged upstream, BĐ I at most this many metres) feel the tide. */
const TIDAL_BD1_MAX_M = 4;
/** Tidal constituents of the central coast (hours, share of the gauge's amplitude): diurnal K1 and O1, weaker M2. */
const TIDE = [
  [23.93, 0.55],
  [25.82, 0.35],
  [12.42, 0.25],
] as const;

/**
 * A river gauge: its flow is its catchment's runoff plus what the gauges upstream send down (river.ts),
 * turned into a level by the gauge's rating; on the coastal plain, the tide on top, pushed back as the river
 * rises. Its rain is rebuilt from the same weather the rain gauges report, so a storm shows in those rain
 * gauges first, in the upper rivers hours later and in the lower ones after the travel time. A scenario's
 * storm reaches it the same way.
 */
export function createHydroModel(
  device: Device,
  r: RandomSource,
  regionSeed: number,
  network?: RiverNetwork,
  effects: ModelEffects = {},
) {
  const slowSeed = drawSeed(r);
  const bd1 = numProp(device, 'bd1');
  const bd3 = numProp(device, 'bd3') ?? (bd1 !== undefined ? bd1 + 3 : undefined);
  // The usual level sits below BĐ I by about two thirds of the BĐ I–III span. Measured from the alarm
  // levels, not as a share of them: highland gauges give levels above sea level (Kon Tum's BĐ I is 518 m).
  const span = bd1 !== undefined && bd3 !== undefined ? Math.max(0.5, bd3 - bd1) : 3;
  const base = bd1 !== undefined ? bd1 - span * uniform(r, 0.55, 0.75) : uniform(r, 1, 2.5);
  const top = bd3 ?? base + 3;
  const range = Math.max(0.5, top - base);
  // A device may say whether it is tidal (`props.tidal`); otherwise the coastal-plain rule decides.
  const tidalProp = device.props?.tidal;
  const tidal = typeof tidalProp === 'boolean' ? tidalProp : device.props?.upstream !== true && bd1 !== undefined && bd1 <= TIDAL_BD1_MAX_M;
  // Drawn whether or not it is used, so the tide alone is what differs between a tidal gauge and another.
  const tideAmp = uniform(r, 0.08, 0.15) * (tidal ? 1 : 0);
  // The province's tide, a little later at each gauge up the estuary.
  const tideDelayH = uniform(r, 0, 1.5);
  const tidePhase = TIDE.map((_, i) => 2 * Math.PI * hash01(subSeed(regionSeed, 310 + i), 0));
  const flow = createGaugeFlow(device, regionSeed, network, effects);

  return (t: number): TelemetryInput['hydro'] => {
    const q = flow.at(t);
    const slow = (fractalNoise(slowSeed, t / (5 * DAY_MS), 2) - 0.5) * 0.08 * range;
    const wetSeason = 0.1 * range * rainySeason(t, effects.climate);
    const rise = 1.25 * range * (1 - Math.exp(-q / RUNOFF_SCALE_MMH));
    let tide = 0;
    if (tideAmp > 0) {
      const h = t / HOUR_MS - tideDelayH;
      TIDE.forEach(([period, share], i) => (tide += share * Math.cos((2 * Math.PI * h) / period + tidePhase[i]!)));
      tide *= tideAmp * Math.exp(-q / RUNOFF_SCALE_MMH);
    }
    const released = effects.levelBoost?.(device.id, t) ?? 0;
    return { ts: t, waterLevel: round(base + slow + wetSeason + rise + tide + released + 0.004 * gaussian(r), 2) };
  };
}

/** A tipping-bucket gauge: it reports whole tips of 0.2 mm and carries the remainder. */
const BUCKET_MM = 0.2;

export function createRainModel(device: Device, regionSeed: number, effects: ModelEffects = {}) {
  // Seeded by id, not by the device's random source, so river gauges can rebuild the same rain.
  const weather = createWeather(regionSeed, device, gaugeLocalSeed(device.id, regionSeed), effects.rainBoost, effects.climate, effects.drought);
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
