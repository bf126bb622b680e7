/**
 * The phone's forecast summaries (issue 17): tomorrow's air bands over the stations, and the gauges whose forecast
 * reaches their next BĐ level, soonest first. Pure functions of the forecasts and the stations' derived state,
 * small enough for a frame a second on a mobile link.
 */
import type { AirTomorrow, MobileAirTomorrow } from '../../shared/airForecast';
import type { HydroDerived } from '../../shared/environment';
import type { MobileRiverAhead } from '../../shared/events';
import type { HydroForecast } from '../../shared/forecast';

/** Stations named on the phone; the bands count them all. */
export const MOBILE_AIR_WORST = 5;
export const MOBILE_RIVERS_AHEAD = 8;

/** Tomorrow's bands over the stations whose forecast is for the latest day forecast (a station gone quiet yesterday is left out). */
export function mobileAirTomorrow(list: readonly AirTomorrow[], keep: (i: number) => boolean = () => true): MobileAirTomorrow | undefined {
  const mine = list.filter((a) => keep(a.i));
  if (mine.length === 0) return undefined;
  const day = Math.max(...mine.map((a) => a.day));
  const current = mine.filter((a) => a.day === day);
  const bands: MobileAirTomorrow['bands'] = [0, 0, 0, 0, 0, 0];
  let n = 0;
  let errSum = 0;
  let hits = 0;
  for (const a of current) {
    bands[a.band - 1]!++;
    if (a.skill.maeAqi !== null && a.skill.bandHit !== null) {
      n += a.skill.n;
      errSum += a.skill.maeAqi * a.skill.n;
      hits += a.skill.bandHit * a.skill.n;
    }
  }
  const worst = current
    .slice()
    .sort((a, b) => b.aqi - a.aqi || a.i - b.i)
    .slice(0, MOBILE_AIR_WORST)
    .map(({ i, aqi, band, bandLow, bandHigh }) => ({ i, aqi, band, ...(bandLow !== undefined ? { bandLow } : {}), ...(bandHigh !== undefined ? { bandHigh } : {}) }));
  return {
    day,
    issuedAt: Math.max(...current.map((a) => a.issuedAt)),
    bands,
    worst,
    skill: n > 0 ? { n, maeAqi: Math.round((errSum / n) * 10) / 10, bandHit: Math.round((hits / n) * 100) / 100 } : { n: 0, maeAqi: null, bandHit: null },
  };
}

/**
 * The first lead, past its learning, at which a gauge's forecast reaches the next BĐ level above its stage now
 * (the wall's river page says the same: client/wall/pages/HydroPage.tsx `forecastCrossing`).
 */
export function riverAhead(f: HydroForecast, x: HydroDerived): MobileRiverAhead | undefined {
  if (x.level === null || x.stage >= 3) return undefined;
  const next = (x.stage + 1) as 1 | 2 | 3;
  const threshold = x.bd[next - 1]!;
  const lead = f.leads.find((l) => !l.warmingUp && l.level >= threshold);
  if (!lead) return undefined;
  return { i: f.i, level: x.level, stage: x.stage, next, at: lead.at, h: lead.h, issuedAt: f.issuedAt };
}

/** Soonest first; at the same time, the higher level first. Capped. */
export function mobileRiversAhead(forecasts: readonly HydroForecast[], derived: (i: number) => HydroDerived | undefined, keep: (i: number) => boolean = () => true): MobileRiverAhead[] {
  const out: MobileRiverAhead[] = [];
  for (const f of forecasts) {
    if (!keep(f.i)) continue;
    const x = derived(f.i);
    const a = x ? riverAhead(f, x) : undefined;
    if (a) out.push(a);
  }
  return out.sort((a, b) => a.at - b.at || b.next - a.next || a.i - b.i).slice(0, MOBILE_RIVERS_AHEAD);
}
