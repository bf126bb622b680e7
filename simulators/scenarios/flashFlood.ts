/**
 * `flash-flood` (lũ quét, sạt lở đất): two days of steady rain have soaked the hills when storm cells break
 * over the mountain communes (the province's storm cells, places.ts) one after another, an hour apart. The
 * gauges under each cell pass 100 mm in 24 h within hours, so the communes' disaster risk levels (QĐ 18/2021,
 * Điều 46: 100–200 mm after 1–2 days of rain) step up commune by commune, cell by cell, and the tributaries
 * draining them rise fast. The soaking rain is sent as history first (47 h of backfill), so the server has
 * the days of rain before that Điều 46 asks for.
 *
 * The storm is sized so the wettest gauge stays under 200 mm in 24 h: above it, after only 1–2 days of rain,
 * no clause of Điều 46 applies (the decision's gap, not a calmer storm), and the scenario is meant to show
 * the levels the decision does give.
 */
import { distanceKm } from '../fleet/catchment';
import { subSeed, valueNoise } from '../fleet/noise';
import { placesFor } from './places';
import { HOUR_MS, MINUTE_MS, phasesFrom, trapezoid, type Scenario, type ScenarioSetup } from './types';

/** Rain over the whole province in the two days before (mm/h): about 29 mm a day, mưa vừa. */
export const SOAKING_MM_H = 1.2;
/** The history the fleet sends first: both soaking days (the engine's most). */
export const FLASH_FLOOD_BACKFILL_H = 47;
/** Each cell's envelope, hours after its own start: builds, pours, eases. */
const BUILD = [0.5, 1.5] as const;
const EASE = [4.5, 6] as const;
/** The next cell breaks this long after the previous. */
const CELL_STAGGER_H = 1;
/** Peak rate at a cell's centre (mm/h): about 170 mm at the centre over the storm, with the soaking rain. */
export const CELL_PEAK_MM_H = 34;

export const FLASH_FLOOD_PHASES: ReadonlyArray<readonly [number, string]> = [
  [0, 'two days of steady rain have soaked the hills'],
  [BUILD[0] * HOUR_MS, 'storm cells break over the mountain communes, one an hour'],
  [2.5 * HOUR_MS, 'torrential rain: 24 h rain passes 100 mm, communes step up risk levels'],
  [4 * HOUR_MS, 'tributaries rise fast below the cells'],
  [8 * HOUR_MS, 'the storm moves off; the levels hold while the 24 h rain stays high'],
  [30 * HOUR_MS, 'the storm’s rain leaves the 24 h window: levels fall'],
];

export function flashFlood(setup: ScenarioSetup): Scenario {
  const t0 = setup.now;
  const places = placesFor(setup.province, setup.devices);
  const burstSeeds = places.storm.map((_, k) => subSeed(setup.seed, 950 + k));
  return {
    name: 'flash-flood',
    title: `flash-flood: storm cells over ${places.storm.length} mountain areas after two days of rain`,
    simStart: t0,
    backfillHours: FLASH_FLOOD_BACKFILL_H,
    phaseAt: phasesFrom(t0, FLASH_FLOOD_PHASES),
    effects: {
      rainBoost(place, t) {
        const h = (t - t0) / HOUR_MS;
        // The soaking days, ending as the first cell builds.
        let rate = h < 0 && h > -48 ? SOAKING_MM_H : 0;
        places.storm.forEach((cell, k) => {
          const hk = h - k * CELL_STAGGER_H;
          const envelope = trapezoid(hk, BUILD[0], BUILD[1], EASE[0], EASE[1]);
          if (envelope === 0) return;
          const d = distanceKm(place, cell);
          // Convective bursts and lulls of about twenty minutes.
          const bursts = 0.7 + 0.6 * valueNoise(burstSeeds[k]!, (t - t0) / (20 * MINUTE_MS));
          rate += CELL_PEAK_MM_H * envelope * bursts * Math.exp(-0.5 * (d / cell.radiusKm) ** 2);
        });
        return rate;
      },
    },
  };
}
