/**
 * Accepted messages per second, as a bounded ring of one-second samples (the wall's 10-minute
 * chart) and a short moving average (the header's live rate). Pure: the caller passes `now`.
 */
import type { RateSample } from '../../shared/events';
import { RATE_HISTORY_SEC } from '../../shared/protocol';

const AVERAGE_OVER_SEC = 5;

export class RateMeter {
  private readonly ring: RateSample[] = [];
  private next = 0;
  private currentSec = -1;
  private currentCount = 0;
  /** Samples completed since the last `takeNew()`, bounded by the ring capacity. */
  private fresh: RateSample[] = [];

  constructor(private readonly capacity = RATE_HISTORY_SEC) {}

  add(now: number, n = 1): void {
    this.roll(now);
    this.currentCount += n;
  }

  /** Closes every second that has fully passed by `now` (zeros for silent seconds). */
  roll(now: number): void {
    const sec = Math.floor(now / 1000);
    if (this.currentSec < 0) {
      this.currentSec = sec;
      return;
    }
    // A long silence closes at most `capacity` seconds: older ones would fall out anyway.
    const from = Math.max(this.currentSec, sec - this.capacity);
    for (let s = from; s < sec; s++) {
      this.push([s, s === this.currentSec ? this.currentCount : 0]);
    }
    if (sec > this.currentSec) {
      this.currentSec = sec;
      this.currentCount = 0;
    }
  }

  /**
   * Puts back samples kept from before a restart (rateFile.ts), oldest first, when nothing has been counted
   * yet: the ones within `capacity` seconds of `now` only. The seconds between the last of them and the first
   * live one stay missing (the chart's gap), not zeros.
   */
  restore(samples: readonly RateSample[], now: number): number {
    if (this.ring.length > 0 || this.currentSec >= 0) return 0;
    const nowSec = Math.floor(now / 1000);
    const keep = samples.filter(([s, c]) => Number.isInteger(s) && s < nowSec && s >= nowSec - this.capacity && Number.isFinite(c) && c >= 0);
    keep.sort((a, b) => a[0] - b[0]);
    for (const s of keep.slice(-this.capacity)) {
      if (this.ring.length < this.capacity) this.ring.push([s[0], s[1]]);
    }
    this.next = this.ring.length % this.capacity;
    return this.ring.length;
  }

  /** Oldest first. */
  history(): RateSample[] {
    const n = this.ring.length;
    if (n < this.capacity) return this.ring.slice();
    return [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }

  takeNew(): RateSample[] {
    const out = this.fresh;
    this.fresh = [];
    return out;
  }

  /** Mean of the last few complete seconds. */
  ratePerSec(): number {
    const h = this.history();
    const last = h.slice(-AVERAGE_OVER_SEC);
    if (last.length === 0) return 0;
    return last.reduce((s, [, c]) => s + c, 0) / last.length;
  }

  get size(): number {
    return this.ring.length;
  }

  private push(sample: RateSample): void {
    if (this.ring.length < this.capacity) this.ring.push(sample);
    else this.ring[this.next] = sample;
    this.next = (this.next + 1) % this.capacity;
    this.fresh.push(sample);
    if (this.fresh.length > this.capacity) this.fresh.shift();
  }
}
