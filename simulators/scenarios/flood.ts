/**
 * `flood`: a storm parks over the upper river basins (places.ts). The rain gauges under it climb within
 * the hour; the rivers draining them (fleet/catchment.ts) rise hours later, cross BĐ I → II → III on the
 * lower gauges and recede slowly once the rain stops. The storm is added to the ordinary weather field,
 * so the rain gauges and the rivers see the same rain.
 */
import { distanceKm } from '../fleet/catchment';
import { subSeed, valueNoise } from '../fleet/noise';
import { placesFor } from './places';
import { HOUR_MS, MINUTE_MS, phasesFrom, trapezoid, type Scenario, type ScenarioSetup } from './types';

/** The storm's timeline, hours after the start: builds, pours, eases. */
const BUILD = [0.5, 1.5] as const;
const EASE = [5, 6.5] as const;

export const FLOOD_PHASES: ReadonlyArray<readonly [number, string]> = [
  [0, 'calm before the storm'],
  [BUILD[0] * HOUR_MS, 'storm builds over the upper basins'],
  [BUILD[1] * HOUR_MS, 'torrential rain upstream; upper gauges rising'],
  [EASE[0] * HOUR_MS, 'rain eases; the flood wave travels down the rivers'],
  [7 * HOUR_MS, 'flood crest on the lower rivers (BĐ III)'],
  [10 * HOUR_MS, 'rivers receding'],
  [20 * HOUR_MS, 'after the flood'],
];

export function flood(setup: ScenarioSetup): Scenario {
  const t0 = setup.now;
  const places = placesFor(setup.province, setup.devices);
  const burstSeeds = places.storm.map((_, k) => subSeed(setup.seed, 900 + k));
  return {
    name: 'flood',
    title: `flood: a storm over the upper ${places.floodRivers.join(', ')} basins`,
    simStart: t0,
    // The backtest's learning: with 7 days (one storm) 6 of 17 crossings were warned 2 h ahead, with 10 all 17.
    learnDays: 14,
    phaseAt: phasesFrom(t0, FLOOD_PHASES),
    effects: {
      rainBoost(place, t) {
        const h = (t - t0) / HOUR_MS;
        const envelope = trapezoid(h, BUILD[0], BUILD[1], EASE[0], EASE[1]);
        if (envelope === 0) return 0;
        let rate = 0;
        places.storm.forEach((cell, k) => {
          const d = distanceKm(place, cell);
          // Rain bands sweep through: bursts and lulls of about forty minutes.
          const bursts = 0.6 + 0.8 * valueNoise(burstSeeds[k]!, (t - t0) / (40 * MINUTE_MS));
          rate += cell.peakMmH * envelope * bursts * Math.exp(-0.5 * (d / cell.radiusKm) ** 2);
        });
        return rate;
      },
    },
  };
}
