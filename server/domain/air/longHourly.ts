/**
 * Two weeks of one station's PM2.5 and PM10 hourly means, for tomorrow's forecast (tomorrowModel.ts): a fixed
 * ring of hours (sum and count per pollutant), allocated once, so a station weighs the same on its first day
 * and its hundredth. Fed raw readings as they arrive and the reading store's hourly rollups at start.
 *
 * Every read takes `asOfHour`: only hours that ended by then are seen (the hour being filled, and anything
 * stamped later, are not), so a forecast issued at t is made from what was known at t even when later
 * readings are already in the ring.
 */

export const HOUR_MS = 3_600_000;
export const FORECAST_POLLUTANTS = ['pm25', 'pm10'] as const;
export type ForecastPollutant = (typeof FORECAST_POLLUTANTS)[number];
/** 14 days: the diurnal profile's window, and two days spare. */
export const LONG_HOURS = 16 * 24;

export class LongHourly {
  private readonly hourOf: Float64Array;
  private readonly sum: Float64Array;
  private readonly count: Float64Array;

  constructor(readonly hours = LONG_HOURS) {
    this.hourOf = new Float64Array(hours).fill(-1);
    this.sum = new Float64Array(hours * 2);
    this.count = new Float64Array(hours * 2);
  }

  private slot(hour: number): number {
    const s = hour % this.hours;
    if (this.hourOf[s] !== hour) {
      // A newer hour takes the slot; an older one than the slot holds is too old to keep.
      if (this.hourOf[s]! > hour) return -1;
      this.hourOf[s] = hour;
      this.sum.fill(0, s * 2, s * 2 + 2);
      this.count.fill(0, s * 2, s * 2 + 2);
    }
    return s;
  }

  /** A raw reading: its PM values join their hour's mean. */
  add(ts: number, values: Readonly<Record<string, number>>): void {
    if (!Number.isFinite(ts)) return;
    const s = this.slot(Math.floor(ts / HOUR_MS));
    if (s < 0) return;
    for (let p = 0; p < 2; p++) {
      const v = values[FORECAST_POLLUTANTS[p]!];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) continue;
      this.sum[s * 2 + p]! += v;
      this.count[s * 2 + p]!++;
    }
  }

  /** An hourly rollup from the store: replaces what the hour held (the rollup is every stored reading of it). */
  setMean(hour: number, pollutant: ForecastPollutant, mean: number, count: number): void {
    if (!Number.isFinite(mean) || mean < 0 || !(count > 0)) return;
    const s = this.slot(hour);
    if (s < 0) return;
    const p = FORECAST_POLLUTANTS.indexOf(pollutant);
    this.sum[s * 2 + p] = mean * count;
    this.count[s * 2 + p] = count;
  }

  /** Mean of the hour starting at `hour`·1h, or null: missing, not ended by `asOfHour`, or out of the ring. */
  mean(hour: number, pollutant: ForecastPollutant, asOfHour: number): number | null {
    if (hour >= asOfHour) return null;
    const s = hour % this.hours;
    if (s < 0 || this.hourOf[s] !== hour) return null;
    const k = s * 2 + FORECAST_POLLUTANTS.indexOf(pollutant);
    const n = this.count[k]!;
    return n > 0 ? this.sum[k]! / n : null;
  }

  /** Whether any hour in the ring has a value of the pollutant. */
  has(pollutant: ForecastPollutant): boolean {
    const p = FORECAST_POLLUTANTS.indexOf(pollutant);
    for (let s = 0; s < this.hours; s++) if (this.hourOf[s]! >= 0 && this.count[s * 2 + p]! > 0) return true;
    return false;
  }
}
