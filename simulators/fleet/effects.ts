/**
 * What a scenario may change in the signal models, as pure functions of simulated time. The models ask;
 * a scenario answers. Kept apart from the scenarios so the models never import a scenario.
 */
import type { Climate, Drought, Place, RainBoost } from './weather';

/** A blocked road: a crash or a breakdown. Queues form on both carriageways (undivided national roads). */
export interface RoadIncident {
  road: string;
  /** Chainage of the blockage (the cameras' `km`). */
  km: number;
  start: number;
  /** When the road is cleared; the queue then dissolves over `DISSOLVE_MS` (incidents.ts). */
  clearAt: number;
  /** Speed at the site as a share of the speed limit while blocked (0.1 ≈ stopped). */
  siteFactor: number;
  /** Longest queue, km either side of the site. */
  queueKm: number;
}

export type WaterPollutant = 'cod' | 'tss' | 'nh4';

/** A discharge: concentrations pulled toward `multiple` × the permitted maximum, with `weight` 0..1. */
export interface Discharge {
  multiple: Partial<Record<WaterPollutant, number>>;
  weight: number;
}

/** A flood release a scenario plans for one reservoir: the plant's notices and its gates follow it. */
export interface ReleasePlan {
  announcedAt: number;
  startsAt: number;
  endsAt: number;
  gates: number;
  /** Each open gate's discharge, m³/s. */
  perGateM3s: number;
  note: string;
}

export interface ModelEffects {
  /** A storm on top of the ordinary weather (mm/h); rain gauges, rivers and air stations all see it. */
  rainBoost?: RainBoost;
  /** An abnormal discharge at a wastewater station, or null. */
  discharge?(deviceId: string, t: number): Discharge | null;
  /** Multiplier on particulates and combustion gases at an air station (a plume); 1 = none. */
  airPlume?(deviceId: string, t: number): number;
  /** Incidents on a road at t, on top of the natural ones. */
  incidents?(road: string, t: number): readonly RoadIncident[];
  /** The release planned for a reservoir, or null. */
  release?(deviceId: string): ReleasePlan | null;
  /** Metres added to a river gauge's level at t (a dam's release arriving below it); 0 = none. */
  levelBoost?(deviceId: string, t: number): number;
  /** A dry spell (0–1): rain withheld, hotter and drier afternoons; every weather reader sees it. */
  drought?: Drought;
  /**
   * Not a scenario's: the province's climate (province.json), carried here because every weather model
   * already takes the effects. Absent: the central coast's.
   */
  climate?: Climate;
}

export type { Place };
