/**
 * River-level forecasts on the wire (server/domain/forecast/ makes them): one compact forecast per river
 * gauge, with its recent skill, so the wall can draw the band on the hydrograph and say "sai số 6 giờ qua:
 * ±12 cm". Plain types like the rest of events.ts: the server builds them, nothing parses them from outside.
 */

export interface HydroForecastLead {
  /** Lead time, hours. */
  h: number;
  /** Epoch ms the forecast is for (issuedAt + h hours). */
  at: number;
  /** Forecast level, metres (cm precision). */
  level: number;
  /** Prediction interval (90 % by default); absent until enough forecasts of this lead were verified. */
  low?: number;
  high?: number;
  /** The model of this lead is still learning: show it as such, never alarm on it. */
  warmingUp?: true;
}

export interface HydroForecastSkill {
  h: number;
  /** Mean absolute error (metres) of this lead's forecasts verified in the last SKILL_WINDOW_MS; null when none. */
  mae: number | null;
  /** How many verified forecasts the mean is over. */
  n: number;
}

export interface HydroForecast {
  /** Registry index of the gauge (the views address devices by index). */
  i: number;
  issuedAt: number;
  /** Observed level at issue time, metres. */
  level: number;
  leads: HydroForecastLead[];
  skill: HydroForecastSkill[];
}

/** Skill is the last 6 hours of verified forecasts. */
export const SKILL_WINDOW_MS = 6 * 3_600_000;

/**
 * The 'river.forecast.stage' alarm signal carries two numbers in one value, because an alarm's title is
 * fixed per rule level and its value is the one number it carries: the stage forecast to be crossed (1–3)
 * plus the lead in hours at which it is first crossed, in tenths: 2.3 = "BĐ II in 3 hours". 0: none.
 */
export function encodeForecastStage(stage: 1 | 2 | 3, leadH: number): number {
  if (!(leadH >= 1 && leadH <= 9)) throw new RangeError(`forecast stage lead ${leadH} h out of 1–9`);
  return stage + Math.round(leadH) / 10;
}

export function decodeForecastStage(value: number): { stage: 0 | 1 | 2 | 3; leadH: number } | undefined {
  if (!(value >= 1)) return undefined;
  const stage = Math.floor(value + 1e-9) as 1 | 2 | 3;
  return { stage, leadH: Math.round((value - stage) * 10) };
}
