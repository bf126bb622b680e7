/**
 * A rainy season's storms before the story starts: what a forecaster deployed in October would have seen.
 * The central coast's flood season brings a storm every few days, most of them smaller than the one that
 * floods; the ordinary weather (fleet/weather.ts) alone gives weeks of showers, and a model that learnt
 * from those meets the first flood outside everything it has seen.
 *
 * Seeded and a function of (place, t) alone, like every effect: storms every 2.5–4.5 days, each over the
 * province's flood cells (places.ts) moved by up to 15 km, a cell present with a chance of 3 in 4, at
 * 30–110 % of the flood's peak, pouring for 2–6 hours. None falls in the last day before the story starts,
 * so the rivers are back down when it does.
 */
import type { RainBoost } from '../fleet/weather';
import { distanceKm } from '../fleet/catchment';
import { hash01, subSeed, valueNoise } from '../fleet/noise';
import type { ProvincePlaces } from './places';
import { HOUR_MS, MINUTE_MS, trapezoid } from './types';

export interface HistoryStorm {
  start: number;
  /** Hours of full rain between the build (1 h) and the easing (1.5 h). */
  pourH: number;
  /** Share of the flood cells' peak rain. */
  factor: number;
  cells: { lon: number; lat: number; radiusKm: number; peakMmH: number }[];
}

const DAY_MS = 24 * HOUR_MS;
const KM_PER_DEG = 111;

/** The storms of the `days` before `until`, oldest first. */
export function rainySeasonStorms(seed: number, places: ProvincePlaces, until: number, days: number): HistoryStorm[] {
  const storms: HistoryStorm[] = [];
  const s = subSeed(seed, 950);
  let k = 0;
  // Walk back from the story's start so that the storms nearest to it do not depend on how far back we go.
  let end = until - DAY_MS;
  for (;;) {
    const u = (tag: number) => hash01(subSeed(s, tag), k);
    end -= (2.5 + 2 * u(1)) * DAY_MS;
    const pourH = 2 + 4 * u(2);
    const start = end - (pourH + 2.5) * HOUR_MS;
    if (start < until - days * DAY_MS) break;
    const cells = places.storm.flatMap((c, i) => {
      if (hash01(subSeed(s, 10 + i), k) >= 0.75) return [];
      const angle = 2 * Math.PI * hash01(subSeed(s, 20 + i), k);
      const km = 15 * hash01(subSeed(s, 30 + i), k);
      const lat = c.lat + (km * Math.sin(angle)) / KM_PER_DEG;
      const lon = c.lon + (km * Math.cos(angle)) / (KM_PER_DEG * Math.cos((c.lat * Math.PI) / 180));
      return [{ lon, lat, radiusKm: c.radiusKm, peakMmH: c.peakMmH }];
    });
    if (cells.length > 0) storms.unshift({ start, pourH, factor: 0.3 + 0.8 * u(3), cells });
    k++;
  }
  return storms;
}

/** The storms as extra rain: each a build, a pour in bursts, an easing, like the flood's own storm. */
export function historyRain(seed: number, storms: readonly HistoryStorm[]): RainBoost {
  const burstSeed = subSeed(seed, 951);
  return (place, t) => {
    let rate = 0;
    for (const st of storms) {
      const h = (t - st.start) / HOUR_MS;
      const envelope = trapezoid(h, 0, 1, 1 + st.pourH, 2.5 + st.pourH);
      if (envelope === 0) continue;
      const bursts = 0.6 + 0.8 * valueNoise(burstSeed, (t - st.start) / (40 * MINUTE_MS));
      for (const c of st.cells) rate += c.peakMmH * st.factor * envelope * bursts * Math.exp(-0.5 * (distanceKm(place, c) / c.radiusKm) ** 2);
    }
    return rate;
  };
}
