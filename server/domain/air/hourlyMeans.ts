/**
 * Hourly means of raw readings of any cadence, per pollutant, in a fixed ring of hours: what
 * VN_AQI is computed from (QĐ 1459: 1-hour means; NowCast over 12 hourly means; 24-hour means).
 * Readings older than the ring are dropped; late readings inside it still count.
 */
import { POLLUTANTS, type Pollutant } from '../../../shared/vnAqi';

const HOUR_MS = 3_600_000;
const NP = POLLUTANTS.length;
/** 24 complete hours for the daily index, the current one, and one spare for the turn of the hour. */
export const HOURS_KEPT = 26;

export class HourlyMeans {
  private readonly hourOf: Float64Array;
  private readonly sum: Float64Array;
  private readonly count: Uint16Array;

  constructor(private readonly hours = HOURS_KEPT) {
    this.hourOf = new Float64Array(hours).fill(-1);
    this.sum = new Float64Array(hours * NP);
    this.count = new Uint16Array(hours * NP);
  }

  /** False when the reading is older than the ring (or too far ahead of `now`). */
  add(ts: number, values: Partial<Record<string, number>>, now: number): boolean {
    const hour = Math.floor(ts / HOUR_MS);
    const nowHour = Math.floor(now / HOUR_MS);
    if (hour <= nowHour - this.hours || hour > nowHour + 1) return false;
    const slot = hour % this.hours;
    if (this.hourOf[slot] !== hour) {
      this.hourOf[slot] = hour;
      this.sum.fill(0, slot * NP, slot * NP + NP);
      this.count.fill(0, slot * NP, slot * NP + NP);
    }
    for (let p = 0; p < NP; p++) {
      const v = values[POLLUTANTS[p]!];
      if (typeof v !== 'number') continue;
      const k = slot * NP + p;
      // Uint16 saturates at 65535 readings an hour (one every 55 ms): more adds nothing to a mean.
      if (this.count[k]! === 0xffff) continue;
      this.sum[k]! += v;
      this.count[k]!++;
    }
    return true;
  }

  /** Mean of `pollutant` in the hour starting at `hour * 1h`, or null when no reading. */
  mean(hour: number, pollutant: Pollutant): number | null {
    const slot = hour % this.hours;
    if (this.hourOf[slot] !== hour) return null;
    const k = slot * NP + POLLUTANTS.indexOf(pollutant);
    const n = this.count[k]!;
    return n === 0 ? null : this.sum[k]! / n;
  }

  /** `n` hourly means ending with `hour`, newest first (null for a missing hour). */
  series(pollutant: Pollutant, hour: number, n: number): (number | null)[] {
    const out: (number | null)[] = [];
    for (let k = 0; k < n; k++) out.push(this.mean(hour - k, pollutant));
    return out;
  }
}

export { HOUR_MS };
