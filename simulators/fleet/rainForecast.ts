/**
 * The hydro-meteorological service's rain forecasts (QPF) for the rain gauges' points, as the fleet plays them:
 * every hour, the rain of the next 12 hours in hourly steps (MQTT `rain/<id>/forecast`, shared/mqtt.ts).
 *
 * A forecast is the simulated weather's own future rain at the gauge, made wrong the way rain forecasts are
 * wrong (an error model chosen, not calibrated against a real service's verification):
 * - timing: each issue places the whole field up to an hour early or late (uniform), the same for every gauge
 *   of the province, as a storm forecast too early or too late is;
 * - amount: each issue's rain is off by one province-wide factor, log-normal with σ = 0.35 (about ×/÷ 1.4),
 *   and each gauge's step by its own factor, σ growing from 0.25 in the first hour by 0.05 an hour;
 * - a light shower (under 0.5 mm in an hour) is forecast as none.
 * Seeded by (fleet seed, issue hour) and the gauge's id: the same world gives the same forecasts.
 */
import type { Device } from '../../shared/devices';
import type { RainForecastInput } from '../../shared/mqtt';
import { createRandom, gaussian, hashSeed, uniform } from '../../shared/random';
import type { ModelEffects } from './effects';
import { HOUR_MS, round } from './noise';
import { createWeather, gaugeLocalSeed } from './weather';

export const RAIN_FORECAST_EVERY_MS = HOUR_MS;
export const RAIN_FORECAST_STEPS = 12;
const TIMING_ERROR_H = 1;
const ISSUE_SIGMA = 0.35;
const STEP_SIGMA_0 = 0.25;
const STEP_SIGMA_PER_H = 0.05;
const MIN_FORECAST_MM = 0.5;

const logNormal = (z: number, sigma: number): number => Math.exp(sigma * z - (sigma * sigma) / 2);

/** A forecast as the model makes it: stamped in epoch ms. */
export type SimRainForecast = RainForecastInput & { ts: number };

export interface RainForecastModel {
  /** The forecast issued at `issuedAt`. */
  issue(issuedAt: number): SimRainForecast;
  /** The forecast of the last issue time in (from, to], if one falls in it: what a report at `to` carries. */
  issuedIn(from: number, to: number): SimRainForecast | undefined;
}

export function createRainForecastModel(device: Device, regionSeed: number, effects: ModelEffects = {}): RainForecastModel {
  // The same weather the gauge reports (environment.ts createRainModel): the forecast is of this rain.
  const weather = createWeather(regionSeed, device, gaugeLocalSeed(device.id, regionSeed), effects.rainBoost, effects.climate, effects.drought);
  const local = hashSeed(device.id, regionSeed ^ 0x9f3c);

  function issue(issuedAt: number): SimRainForecast {
    const hour = Math.floor(issuedAt / HOUR_MS);
    const province = createRandom(hashSeed(`qpf:${hour}`, regionSeed));
    const shift = uniform(province, -TIMING_ERROR_H, TIMING_ERROR_H) * HOUR_MS;
    const bias = logNormal(gaussian(province), ISSUE_SIGMA);
    const own = createRandom(hashSeed(`qpf:${hour}`, local));
    const precipitation: number[] = [];
    for (let k = 0; k < RAIN_FORECAST_STEPS; k++) {
      const from = issuedAt + shift + k * HOUR_MS;
      const mm = weather.rainBetween(from, from + HOUR_MS) * bias * logNormal(gaussian(own), STEP_SIGMA_0 + STEP_SIGMA_PER_H * k);
      precipitation.push(mm < MIN_FORECAST_MM ? 0 : round(mm, 1));
    }
    return { ts: issuedAt, stepMin: RAIN_FORECAST_EVERY_MS / 60_000, precipitation, source: 'Đài KTTV (mô phỏng)' };
  }

  return {
    issue,
    issuedIn(from, to) {
      const at = Math.floor(to / RAIN_FORECAST_EVERY_MS) * RAIN_FORECAST_EVERY_MS;
      return at > from ? issue(at) : undefined;
    },
  };
}
