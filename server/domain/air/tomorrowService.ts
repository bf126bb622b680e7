/**
 * Air quality tomorrow ("ngày mai"), per air station: fed its PM readings as they arrive (and the store's hourly
 * rollups at start), it issues once an hour a forecast of every hour up to the end of tomorrow
 * (tomorrowModel.ts), and turns tomorrow's 24 hours into the day's VN_AQI the way QĐ 1459/QĐ-TCMT computes a
 * daily index for PM (STANDARDS.md §1: "Daily AQI: PM uses the 24-hour mean"):
 *
 *   mean₂₅ = mean of the 24 forecast hourly PM2.5 means of tomorrow (00:00–24:00 Asia/Ho_Chi_Minh), mean₁₀ alike
 *   AQI    = round half-up of max(subIndex('pm25', mean₂₅), subIndex('pm10', mean₁₀)), band = its VN_AQI band
 *
 * The gases (O3, CO, SO2, NO2) are not forecast: the band is the PM part of the daily index, which the
 * decision requires for any AQI at all and which dominates at these stations.
 *
 * Each forecast of a day is kept until that day has ended and is then verified against the day's observed
 * 24-hour means (at least 18 hourly means, as the daily index needs); the residuals of the last verified
 * forecasts give the interval (empirical 10th–90th percentiles, interval.ts), and the last 7 days' the skill.
 * Pure: time comes from `step(now)`; nothing is read after it.
 */
import { AIR_SKILL_WINDOW_MS, tomorrowStart, type AirTomorrow, type AirTomorrowSkill } from '../../../shared/airForecast';
import type { AqiBandNumber } from '../../../shared/vnAqi';
import { aqiBand, roundHalfUp, subIndex } from '../../../shared/vnAqi';
import { ResidualWindow } from '../forecast/interval';
import { HOUR_MS, LongHourly, type ForecastPollutant } from './longHourly';
import { DEFAULT_TOMORROW_MODEL, forecastHours, MIN_DAY_HOURS, type TomorrowModelConfig } from './tomorrowModel';

export interface TomorrowConfig {
  model: TomorrowModelConfig;
  /** Forecasts are issued at most this often. */
  issueEveryMs: number;
  /**
   * A station with no forecast yet is tried again this often between the issues (its history may arrive after
   * start: a backfill, a station coming online), so its first forecast does not wait for the hour to turn.
   */
  retryEveryMs: number;
  /** Central share of residuals the interval covers. */
  coverage: number;
  /** Residuals of daily means kept per station and pollutant. */
  residualWindow: number;
  /** No interval before this many residuals. */
  minResiduals: number;
  /** Forecasts waiting for their day to end, per station (one per issue; a day is forecast from 24–48 issues). */
  maxPending: number;
  /** Verified forecasts kept per station for the skill. */
  maxVerified: number;
}

export const DEFAULT_TOMORROW_CONFIG: TomorrowConfig = {
  model: DEFAULT_TOMORROW_MODEL,
  issueEveryMs: HOUR_MS,
  retryEveryMs: 10 * 60_000,
  coverage: 0.8,
  residualWindow: 7 * 24,
  minResiduals: 24,
  maxPending: 64,
  maxVerified: 7 * 24,
};

/** A station's forecast of a day as issued: the wire's fields before the interval and skill are added. */
type DayForecast = Pick<AirTomorrow, 'issuedAt' | 'day' | 'pm25' | 'pm10' | 'aqi' | 'band'>;

interface Verified {
  /** When the forecast day ended. */
  at: number;
  absErrAqi: number;
  hit: boolean;
}

interface Station {
  hourly: LongHourly;
  latest?: AirTomorrow;
  pending: DayForecast[];
  residuals: Record<ForecastPollutant, ResidualWindow>;
  verified: Verified[];
}

/** The PM part of a daily VN_AQI from 24-hour means; null when neither is known. */
export function dailyPmAqi(pm25: number | null, pm10: number | null): { aqi: number; band: AqiBandNumber } | null {
  const a = subIndex('pm25', pm25);
  const b = subIndex('pm10', pm10);
  if (a === null && b === null) return null;
  const aqi = roundHalfUp(Math.max(a ?? 0, b ?? 0));
  return { aqi, band: aqiBand(aqi)! };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

export class TomorrowService {
  private readonly stations = new Map<string, Station>();
  private lastSlot = Number.NEGATIVE_INFINITY;
  private lastRetry = Number.NEGATIVE_INFINITY;
  private lastStep = Number.NEGATIVE_INFINITY;

  constructor(
    stationIds: readonly string[],
    private readonly indexOf: (id: string) => number | undefined,
    private readonly cfg: TomorrowConfig = DEFAULT_TOMORROW_CONFIG,
  ) {
    for (const id of stationIds) {
      this.stations.set(id, {
        hourly: new LongHourly(),
        pending: [],
        residuals: { pm25: new ResidualWindow(cfg.residualWindow), pm10: new ResidualWindow(cfg.residualWindow) },
        verified: [],
      });
    }
  }

  /** A reading of an air station (others are ignored). */
  addReading(id: string, ts: number, values: Readonly<Record<string, number>>): void {
    this.stations.get(id)?.hourly.add(ts, values);
  }

  /** An hourly rollup from the reading store (start-up): replaces that hour. */
  addHourMean(id: string, hourStart: number, pollutant: ForecastPollutant, mean: number, count: number): void {
    this.stations.get(id)?.hourly.setMean(Math.floor(hourStart / HOUR_MS), pollutant, mean, count);
  }

  /** Verifies the days that ended, and issues (at most once per issueEveryMs); returns the stations whose forecast changed. */
  step(now: number): string[] {
    if (now < this.lastStep) return [];
    this.lastStep = now;
    // On the first step of each period (the hour turned): forecasts dated 14:00, 15:00, … whatever the tick.
    const slot = Math.floor(now / this.cfg.issueEveryMs);
    const issuing = slot > this.lastSlot;
    if (!issuing && now - this.lastRetry < this.cfg.retryEveryMs) return [];
    this.lastRetry = now;
    if (issuing) this.lastSlot = slot;
    const changed: string[] = [];
    const issueHour = Math.floor(now / HOUR_MS);
    const day = tomorrowStart(now);
    const untilHour = (day + 24 * HOUR_MS) / HOUR_MS;
    for (const [id, st] of this.stations) {
      // Between the hours, only the stations still without a forecast are tried.
      if (!issuing && st.latest) continue;
      this.verify(st, issueHour);
      const f = this.issue(st, issueHour, untilHour, day, now);
      if (!f) continue; // the last forecast stays, dated: the views say when it was made
      st.pending.push(f);
      if (st.pending.length > this.cfg.maxPending) st.pending.splice(0, st.pending.length - this.cfg.maxPending);
      st.latest = this.wire(id, st, f, now);
      if (st.latest) changed.push(id);
    }
    return changed;
  }

  private issue(st: Station, issueHour: number, untilHour: number, day: number, now: number): DayForecast | undefined {
    const dayHour = day / HOUR_MS;
    const mean = (p: ForecastPollutant): number | null => {
      const f = forecastHours((h) => st.hourly.mean(h, p, issueHour), issueHour, untilHour, this.cfg.model);
      if (!f) return null;
      const hours = f.values.slice(dayHour - f.fromHour);
      return hours.reduce((a, b) => a + b, 0) / hours.length;
    };
    const pm25 = mean('pm25');
    const pm10 = mean('pm10');
    const idx = dailyPmAqi(pm25, pm10);
    if (!idx) return undefined;
    return { issuedAt: now, day, pm25, pm10, ...idx };
  }

  private verify(st: Station, issueHour: number): void {
    while (st.pending.length > 0 && st.pending[0]!.day + 24 * HOUR_MS <= issueHour * HOUR_MS) {
      const p = st.pending.shift()!;
      const first = p.day / HOUR_MS;
      const observed = (pol: ForecastPollutant): number | null => {
        let s = 0;
        let n = 0;
        for (let h = first; h < first + 24; h++) {
          const m = st.hourly.mean(h, pol, issueHour);
          if (m === null) continue;
          s += m;
          n++;
        }
        return n >= MIN_DAY_HOURS ? s / n : null;
      };
      const o25 = observed('pm25');
      const o10 = observed('pm10');
      const obs = dailyPmAqi(o25, o10);
      if (!obs) continue;
      if (o25 !== null && p.pm25 !== null) st.residuals.pm25.push(o25 - p.pm25);
      if (o10 !== null && p.pm10 !== null) st.residuals.pm10.push(o10 - p.pm10);
      st.verified.push({ at: p.day + 24 * HOUR_MS, absErrAqi: Math.abs(obs.aqi - p.aqi), hit: obs.band === p.band });
      if (st.verified.length > this.cfg.maxVerified) st.verified.splice(0, st.verified.length - this.cfg.maxVerified);
    }
  }

  private skill(st: Station, now: number): AirTomorrowSkill {
    const recent = st.verified.filter((v) => v.at > now - AIR_SKILL_WINDOW_MS);
    const n = recent.length;
    if (n === 0) return { n: 0, maeAqi: null, bandHit: null };
    return {
      n,
      maeAqi: round1(recent.reduce((s, v) => s + v.absErrAqi, 0) / n),
      bandHit: Math.round((recent.filter((v) => v.hit).length / n) * 100) / 100,
    };
  }

  private wire(id: string, st: Station, f: DayForecast, now: number): AirTomorrow | undefined {
    const i = this.indexOf(id);
    if (i === undefined) return undefined;
    const w: AirTomorrow = {
      i,
      issuedAt: f.issuedAt,
      day: f.day,
      pm25: f.pm25 === null ? null : round1(f.pm25),
      pm10: f.pm10 === null ? null : round1(f.pm10),
      aqi: f.aqi,
      band: f.band,
      skill: this.skill(st, now),
    };
    const bound = (p: ForecastPollutant, m: number | null): { lower: number; upper: number } | undefined => {
      const r = st.residuals[p];
      if (m === null || r.size < this.cfg.minResiduals) return undefined;
      const b = r.bounds(this.cfg.coverage)!;
      return { lower: Math.max(0, m + b.lower), upper: Math.max(0, m + b.upper) };
    };
    const b25 = bound('pm25', f.pm25);
    const b10 = bound('pm10', f.pm10);
    // Both pollutants measured: both need their interval, or the AQI's would miss one side.
    if ((f.pm25 === null || b25) && (f.pm10 === null || b10) && (b25 || b10)) {
      const low = dailyPmAqi(b25?.lower ?? null, b10?.lower ?? null)!;
      const high = dailyPmAqi(b25?.upper ?? null, b10?.upper ?? null)!;
      // The interval holds the central forecast even when skewed residuals put it to one side.
      w.aqiLow = Math.min(low.aqi, f.aqi);
      w.aqiHigh = Math.max(high.aqi, f.aqi);
      w.bandLow = aqiBand(w.aqiLow)!;
      w.bandHigh = aqiBand(w.aqiHigh)!;
    }
    return w;
  }

  /** The latest forecast of a station, on the wire. */
  tomorrowOf(id: string): AirTomorrow | undefined {
    return this.stations.get(id)?.latest;
  }

  /** Every station's latest forecast, for a snapshot. */
  all(): AirTomorrow[] {
    const out: AirTomorrow[] = [];
    for (const st of this.stations.values()) if (st.latest) out.push(st.latest);
    return out;
  }

  /** What each station holds, for the bounds' tests. */
  sizes(): { pending: number; verified: number; residuals: number }[] {
    return [...this.stations.values()].map((s) => ({ pending: s.pending.length, verified: s.verified.length, residuals: s.residuals.pm25.size + s.residuals.pm10.size }));
  }
}
