/**
 * Tomorrow's air quality on the wire (server/domain/air/tomorrow*.ts makes it): per air station, the VN_AQI band
 * expected for "ngày mai" (the next local day in Asia/Ho_Chi_Minh) from its forecast 24-hour PM2.5 and PM10
 * means, with an interval and its recent skill. Plain types like shared/forecast.ts: the server builds them,
 * nothing parses them from outside.
 */
import type { AqiBandNumber } from './vnAqi';

/** Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving): local days start at 17:00 UTC. */
export const VN_UTC_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 24 * 3_600_000;

/** Epoch ms of 00:00 (Asia/Ho_Chi_Minh) of the local day holding `t`. */
export function localDayStart(t: number): number {
  return Math.floor((t + VN_UTC_OFFSET_MS) / DAY_MS) * DAY_MS - VN_UTC_OFFSET_MS;
}

/** Epoch ms of 00:00 (Asia/Ho_Chi_Minh) of the local day after the one holding `t`: "ngày mai". */
export function tomorrowStart(t: number): number {
  return localDayStart(t) + DAY_MS;
}

export interface AirTomorrowSkill {
  /** Verified forecasts of a past day's band over the last AIR_SKILL_WINDOW_MS. */
  n: number;
  /** Mean absolute error of the forecast daily AQI (PM part), AQI points; null when none. */
  maeAqi: number | null;
  /** Share (0–1) of those forecasts whose band was the observed one; null when none. */
  bandHit: number | null;
}

export interface AirTomorrow {
  /** Registry index of the air station. */
  i: number;
  issuedAt: number;
  /** 00:00 Asia/Ho_Chi_Minh of the day forecast (epoch ms). */
  day: number;
  /** Forecast 24-hour means of that day, µg/m³ (0.1), null when the station does not measure it. */
  pm25: number | null;
  pm10: number | null;
  /** Daily VN_AQI from the PM sub-indices of those means (QĐ 1459: PM uses the 24-hour mean), and its band. */
  aqi: number;
  band: AqiBandNumber;
  /** Prediction interval (80 %) of the daily AQI and its bands; absent until enough forecasts were verified. */
  aqiLow?: number;
  aqiHigh?: number;
  bandLow?: AqiBandNumber;
  bandHigh?: AqiBandNumber;
  skill: AirTomorrowSkill;
}

/** Skill is over the forecasts of the days that ended in the last 7 days. */
export const AIR_SKILL_WINDOW_MS = 7 * DAY_MS;

/** What the phone gets: tomorrow's bands over the stations and the worst stations (small on a mobile link). */
export interface MobileAirTomorrow {
  day: number;
  /** When the newest of these forecasts was made. */
  issuedAt: number;
  /** Stations per forecast band (index 0 = band 1 … 5 = band 6). */
  bands: [number, number, number, number, number, number];
  /** Worst forecast first, capped. */
  worst: Pick<AirTomorrow, 'i' | 'aqi' | 'band' | 'bandLow' | 'bandHigh'>[];
  /** Pooled skill over the stations. */
  skill: AirTomorrowSkill;
}
