/**
 * What the server derives per environmental station and per commune (issue 3), as sent to the
 * views. The server computes; the client only draws. Units: µg/m³, mg/L, m, mm.
 */
import type { AqiBandNumber, Pollutant } from './vnAqi';
import type { ReleaseNotice, ReleaseState, ReservoirStage } from './reservoir';

/** Hydrographs on the wall: the last 24 h of each river gauge as 10-minute means (server sends, client keeps). */
export const HYDRO_BUCKET_MS = 10 * 60_000;
export const HYDRO_WINDOW_MS = 24 * 3_600_000;

export type ComplianceStatus = 'within' | 'near' | 'exceeding';
export type RainCategory = 'mưa vừa' | 'mưa to' | 'mưa rất to';

export interface AirDerived {
  kind: 'air';
  /** Hourly VN_AQI (NowCast for PM; the current hour counts as c1 while it fills). */
  aqi: number | null;
  band: AqiBandNumber | null;
  dominant: Pollutant | null;
  subIndices: Record<Pollutant, number | null>;
  /** Daily VN_AQI over the last 24 complete hours (null until enough hours exist). */
  dailyAqi: number | null;
  dailyBand: AqiBandNumber | null;
}

export interface WaterParamState {
  value: number;
  /** Permitted maximum (Cmax), or the permitted range for pH. */
  max: number;
  min?: number;
  status: ComplianceStatus;
  /** Epoch ms since when the parameter has exceeded without a break, or null. */
  exceedingSince: number | null;
}

export interface WaterDerived {
  kind: 'water';
  regulation: string;
  column: 'A' | 'B';
  /** Worst status over the parameters; null before any reading. */
  status: ComplianceStatus | null;
  params: Partial<Record<string, WaterParamState>>;
}

export interface HydroDerived {
  kind: 'hydro';
  level: number | null;
  /** 0 below BĐ I, then 1, 2, 3. */
  stage: 0 | 1 | 2 | 3;
  bd: [number, number, number];
  /** Rate of rise over the last hour (cm/h); null without 30 min of data. */
  rateCmH: number | null;
  /** At that rate, ms until the next alarm level; null when steady, falling or above BĐ III. */
  nextLevelInMs: number | null;
}

export interface RainDerived {
  kind: 'rain';
  h1: number;
  h3: number;
  h24: number;
  category24h: RainCategory | null;
}

export interface ReservoirDerived {
  kind: 'reservoir';
  /** Upstream water level (m); null before any report. */
  level: number | null;
  inflow: number | null;
  outflow: number | null;
  gatesOpen: number | null;
  gates: number;
  normalLevel: number;
  deadLevel: number;
  /** The procedure's highest level now: the flood-season limit in the season, else the normal level. */
  limitNow: number;
  inFloodSeason: boolean;
  stage: ReservoirStage;
  belowDead: boolean;
  /** Rate of rise over the last hour (cm/h); null without 30 min of data. */
  rateCmH: number | null;
  release: ReleaseState | null;
  /** The latest release notice, while it still counts (announced or started), else null. */
  notice: ReleaseNotice | null;
  /** Commune codes a release must reach. */
  downstream: string[];
}

export type StationDerived = AirDerived | WaterDerived | HydroDerived | RainDerived | ReservoirDerived;

/** Per commune: the worst of its stations. */
export interface CommuneEnv {
  code: string;
  aqi: number | null;
  band: AqiBandNumber | null;
  floodStage: 0 | 1 | 2 | 3 | null;
  rain24h: number | null;
  wastewaterExceeding: number;
}

/** One point of a station's 24 h chart: [epoch ms, value]. */
export type SeriesPoint = [number, number];
