/**
 * Province-wide weather as stateless functions of time and place. The storm field is keyed by the
 * fleet seed, so every rain gauge, river gauge and air station in a province sees the same storms
 * (shifted a little by position, as a storm moves in from the sea), plus some local variation.
 * A scenario may add its own storm on top (`boost`), which every reader of the field sees alike.
 */
import type { ProvinceClimate } from '../../shared/provinces';
import { hashSeed } from '../../shared/random';
import {
  DAY_MS,
  HOUR_MS,
  clamp,
  dayOfYearBump,
  fractalNoise,
  hourBump,
  subSeed,
  valueNoise,
  vnDayOfYear,
  vnHour,
} from './noise';

export interface Place {
  lon: number;
  lat: number;
}

export interface Weather {
  /** Rain rate at this place, mm/h. */
  rainRate(t: number): number;
  /** Rain that fell in (from, to], mm. */
  rainBetween(from: number, to: number): number;
  temperature(t: number): number;
  relativeHumidity(t: number): number;
}

/** Extra rain rate (mm/h) at a place and time, e.g. a scenario's storm. */
export type RainBoost = (place: Place, t: number) => number;

/**
 * The local seed of a rain gauge's weather, from its id alone: a river gauge that drains the rain gauge's
 * area rebuilds the very same rain, so the river answers what the rain gauge reported.
 */
export function gaugeLocalSeed(deviceId: string, regionSeed: number): number {
  return hashSeed(deviceId, regionSeed ^ 0x7a1e);
}

/** When a province's rainy season peaks (province.json `climate`). */
export type Climate = ProvinceClimate;

/** Where no province says otherwise (a test registry): the central coast, wettest at the start of November. */
export const CENTRAL_COAST_CLIMATE: Climate = { rainPeakDayOfYear: 304, rainSeasonHalfWidthDays: 38 };

/**
 * Share of the year's wetness: the central coast's rains peak Oct–Nov, Hà Tĩnh's a month earlier, the
 * north-west's in July.
 */
export function rainySeason(t: number, climate: Climate = CENTRAL_COAST_CLIMATE): number {
  return 0.12 + 0.88 * dayOfYearBump(vnDayOfYear(t), climate.rainPeakDayOfYear, climate.rainSeasonHalfWidthDays);
}

/**
 * @param regionSeed the fleet seed: shared by every device of the province.
 * @param localSeed per device: local showers and cell variation.
 */
/** A dry spell's strength at a place and time, 0 (none) to 1: rain withheld, afternoons hotter and drier. */
export type Drought = (place: Place, t: number) => number;

export function createWeather(
  regionSeed: number,
  place: Place,
  localSeed: number,
  boost?: RainBoost,
  climate?: Climate,
  drought?: Drought,
): Weather {
  const spellSeed = subSeed(regionSeed, 101);
  const cellSeed = subSeed(regionSeed, 102);
  const driftSeed = subSeed(regionSeed, 103);
  const localCell = subSeed(localSeed, 104);
  const localConv = subSeed(localSeed, 105);
  // Storms come in from the sea: a place one degree further inland sees a cell about an hour later.
  const lagMs = (109 - place.lon) * HOUR_MS;
  const northness = clamp(place.lat - 15, 0, 6);

  function rainRate(t: number): number {
    const season = rainySeason(t, climate);
    // Wet spells last days and cluster the storms; the threshold falls in the rainy season.
    const spell = fractalNoise(spellSeed, t / (2.5 * DAY_MS), 2);
    const spellThreshold = 0.78 - 0.28 * season;
    const strength = clamp((spell - spellThreshold) / 0.2, 0, 1);
    let rate = 0;
    if (strength > 0) {
      const tau = t - lagMs;
      const cell =
        0.75 * fractalNoise(cellSeed, tau / (100 * 60_000), 2) + 0.25 * valueNoise(localCell, t / (45 * 60_000));
      const cellThreshold = 0.5 - 0.12 * strength;
      const peak = 6 + 34 * season;
      rate = strength * peak * clamp((cell - cellThreshold) / (1 - cellThreshold), 0, 1) ** 1.5;
    }
    // Afternoon thunderstorms in the hot season, very local.
    const summer = dayOfYearBump(vnDayOfYear(t), 170, 45);
    const conv = valueNoise(localConv, t / (40 * 60_000));
    rate += 25 * summer * hourBump(vnHour(t), 16, 1.5) * clamp((conv - 0.8) / 0.2, 0, 1) ** 2;
    if (boost) rate += Math.max(0, boost(place, t));
    if (drought) rate *= 1 - clamp(drought(place, t), 0, 1);
    return rate;
  }

  function rainBetween(from: number, to: number): number {
    if (!(to > from)) return 0;
    // Midpoint rule on steps of at most a minute, with a cap so a long gap stays cheap.
    const n = Math.min(2000, Math.max(1, Math.ceil((to - from) / 60_000)));
    const step = (to - from) / n;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += rainRate(from + (i + 0.5) * step);
    return (sum * step) / HOUR_MS;
  }

  function dailyMean(t: number): number {
    const annual = 26.8 - 0.6 * northness;
    const seasonalAmp = 2.5 + 1.3 * northness;
    const seasonal = seasonalAmp * Math.cos((2 * Math.PI * (vnDayOfYear(t) - 175)) / 365);
    const drift = (fractalNoise(driftSeed, t / (3 * DAY_MS), 2) - 0.5) * 3;
    return annual + seasonal + drift + (climate?.tempOffsetC ?? 0);
  }

  /** The dry season's hot afternoons (0..1 at 14:30 at their peak), where the province has them. */
  function dryAfternoon(t: number): number {
    const d = climate?.dryAfternoons;
    if (!d) return 0;
    return dayOfYearBump(vnDayOfYear(t), d.peakDayOfYear, d.halfWidthDays) * hourBump(vnHour(t), 14.5, 2.5);
  }

  /** Valley fog at dawn in the cool season (0..1), where the province has it. */
  function dawnFog(t: number): number {
    if (!climate?.dawnFogRhPct) return 0;
    return dayOfYearBump(vnDayOfYear(t), 15, 45) * hourBump(vnHour(t), 6, 1.5);
  }

  function temperature(t: number): number {
    const h = vnHour(t);
    // Coolest just before dawn, warmest mid-afternoon; rain damps the cycle and cools.
    const wet = clamp(rainRate(t) / 4, 0, 1);
    const amp = 4 * (1 - 0.6 * wet);
    const cycle = Math.cos((2 * Math.PI * (h - 14.5)) / 24) + 0.25 * Math.cos((4 * Math.PI * (h - 14.5)) / 24);
    // A dry spell: clear skies, a wider swing, about 4 °C more in the afternoon.
    const dry = drought ? clamp(drought(place, t), 0, 1) : 0;
    const foehn = (climate?.dryAfternoons?.tempRiseC ?? 0) * dryAfternoon(t) * (1 - wet);
    return dailyMean(t) + (amp + 2.5 * dry) * cycle * 0.8 + 1.5 * dry - 1.5 * wet + foehn;
  }

  function relativeHumidity(t: number): number {
    const wet = clamp(rainRate(t) / 2, 0, 1);
    const swing = temperature(t) - dailyMean(t);
    const dry = drought ? clamp(drought(place, t), 0, 1) : 0;
    // The foehn's own dryness on top of its heat; dawn fog saturates the valleys.
    const foehn = (climate?.dryAfternoons?.rhDropPct ?? 0) * dryAfternoon(t) * (1 - wet);
    const fog = (climate?.dawnFogRhPct ?? 0) * dawnFog(t);
    return clamp(79 - 3.2 * swing + 16 * wet - 14 * dry - foehn + fog, 38 - 13 * dry - foehn, 99 + Math.min(1, fog));
  }

  return { rainRate, rainBetween, temperature, relativeHumidity };
}
