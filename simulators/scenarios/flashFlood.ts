/**
 * `flash-flood` (lũ quét, sạt lở đất): two days of steady rain have soaked the hills when storm cells break
 * over the mountain communes (the province's storm cells, places.ts) one after another, an hour apart. The
 * gauges under each cell pass 100 mm in 24 h within hours, so the communes' disaster risk levels (QĐ 18/2021,
 * Điều 46: 100–200 mm after 1–2 days of rain) step up commune by commune, cell by cell, and the tributaries
 * draining them rise fast. The soaking rain is sent as history first (47 h of backfill), so the server has
 * the days of rain before that Điều 46 asks for.
 *
 * Where the province lists a hydropower reservoir (Sơn La: the Sơn La dam), its flood arrives as the cells
 * pour: the plant announces a flood release three hours in, opens two gates at five hours and closes them at
 * twenty; the notices go out on the reservoir's event channel, and the river gauges in the communes below the
 * dam rise while the gates are open. The server turns each notice into an alarm for every downstream commune.
 *
 * The storm is sized so the wettest gauge stays under 200 mm in 24 h: above it, after only 1–2 days of rain,
 * no clause of Điều 46 applies (the decision's gap, not a calmer storm), and the scenario is meant to show
 * the levels the decision does give.
 */
import { distanceKm } from '../fleet/catchment';
import { subSeed, valueNoise } from '../fleet/noise';
import { placesFor } from './places';
import type { ReleasePlan } from '../fleet/effects';
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

/** The dam's release, hours after the start: announced, gates open, gates closed. */
export const RELEASE_AT_H = { announced: 3, starts: 5, ends: 20 } as const;
/** Gates opened, and each one's discharge as a share of the lake's mean inflow. */
const RELEASE_GATES = 2;
const PER_GATE_SHARE = 0.6;
/** Metres the river below the dam rises while the gates are open. */
export const RELEASE_RISE_M = 1.5;

export const FLASH_FLOOD_PHASES: ReadonlyArray<readonly [number, string]> = [
  [0, 'two days of steady rain have soaked the hills'],
  [BUILD[0] * HOUR_MS, 'storm cells break over the mountain communes, one an hour'],
  [2.5 * HOUR_MS, 'torrential rain: 24 h rain passes 100 mm, communes step up risk levels'],
  [RELEASE_AT_H.announced * HOUR_MS, 'a hydropower dam announces a flood release to the communes below it'],
  [4 * HOUR_MS, 'tributaries rise fast below the cells'],
  [RELEASE_AT_H.starts * HOUR_MS, 'the spillway gates open: the river below the dam rises'],
  [8 * HOUR_MS, 'the storm moves off; the levels hold while the 24 h rain stays high'],
  [RELEASE_AT_H.ends * HOUR_MS, 'the spillway gates close'],
  [30 * HOUR_MS, 'the storm’s rain leaves the 24 h window: levels fall'],
];

export function flashFlood(setup: ScenarioSetup): Scenario {
  const t0 = setup.now;
  const places = placesFor(setup.province, setup.devices);
  const burstSeeds = places.storm.map((_, k) => subSeed(setup.seed, 950 + k));
  const release = releaseOf(setup, t0);
  const rise = (t: number) =>
    release ? RELEASE_RISE_M * trapezoid((t - release.plan.startsAt) / HOUR_MS, 0, 2, RELEASE_AT_H.ends - RELEASE_AT_H.starts, RELEASE_AT_H.ends - RELEASE_AT_H.starts + 3) : 0;
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
      release: (id) => (release && id === release.dam ? release.plan : null),
      levelBoost: (id, t) => (release?.gauges.has(id) ? rise(t) : 0),
    },
  };
}

/** The first reservoir with downstream communes, its plan, and the gauges on its river in those communes. */
function releaseOf(setup: ScenarioSetup, t0: number): { dam: string; plan: ReleasePlan; gauges: ReadonlySet<string> } | null {
  const dam = setup.devices.find((d) => d.kind === 'reservoir' && typeof d.props?.downstream === 'string' && d.props.downstream !== '');
  if (!dam) return null;
  const below = new Set(String(dam.props!.downstream).split(','));
  const gates = Math.min(RELEASE_GATES, Number(dam.props?.spillwayGates ?? RELEASE_GATES));
  const meanInflow = Number(dam.props?.meanInflow ?? 500);
  return {
    dam: dam.id,
    plan: {
      announcedAt: t0 + RELEASE_AT_H.announced * HOUR_MS,
      startsAt: t0 + RELEASE_AT_H.starts * HOUR_MS,
      endsAt: t0 + RELEASE_AT_H.ends * HOUR_MS,
      gates,
      perGateM3s: Math.round(PER_GATE_SHARE * meanInflow),
      note: `${String(dam.props?.plant ?? dam.name)}: mở ${gates} cửa xả theo lệnh vận hành (diễn tập)`,
    },
    // The gauges on the dam's own river in the communes below it (not a tributary's that joins there).
    gauges: new Set(setup.devices.filter((d) => d.kind === 'river-gauge' && below.has(d.commune) && d.props?.river === dam.props?.river).map((d) => d.id)),
  };
}
