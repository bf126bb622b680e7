/**
 * The forecast alarm's expected time (issue 17): "Dự báo vượt BĐ II lúc 14:20 (còn 3 giờ)". The alarm carries the
 * stage and the lead in its value (shared/forecast.ts `encodeForecastStage`) and the forecast's issue time in
 * `lastSeen` (its latest signal); the crossing is expected at issue time + lead. Both the server's phone frame
 * (which lists these alarms first) and the views read it here.
 */
import type { Alarm } from './alarms';
import { decodeForecastStage } from './forecast';

export const FORECAST_STAGE_SIGNAL = 'river.forecast.stage';

export interface ForecastAlarmEta {
  /** The BĐ level forecast to be crossed. */
  stage: 1 | 2 | 3;
  /** Epoch ms it is expected, and the lead (hours) of the forecast that says so. */
  at: number;
  leadH: number;
}

/** When an open forecast alarm's condition holds: its expected crossing; otherwise null. */
export function forecastAlarmEta(a: Pick<Alarm, 'signal' | 'value' | 'lastSeen' | 'conditionActive'>): ForecastAlarmEta | null {
  if (a.signal !== FORECAST_STAGE_SIGNAL || !a.conditionActive || a.value === null) return null;
  const d = decodeForecastStage(a.value);
  if (!d || d.stage === 0) return null;
  return { stage: d.stage, at: a.lastSeen + d.leadH * 3_600_000, leadH: d.leadH };
}

/**
 * The phone's order: forecast alarms whose condition holds first, soonest crossing first; then the rest in
 * `rest`'s order.
 */
export function forecastsFirst<A extends Pick<Alarm, 'signal' | 'value' | 'lastSeen' | 'conditionActive' | 'id'>>(rest: (a: A, b: A) => number): (a: A, b: A) => number {
  return (a, b) => {
    const ea = forecastAlarmEta(a);
    const eb = forecastAlarmEta(b);
    if (ea && eb) return ea.at - eb.at || eb.stage - ea.stage || a.id - b.id;
    if (ea) return -1;
    if (eb) return 1;
    return rest(a, b);
  };
}
