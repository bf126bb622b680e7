import type { RateSample } from '../../shared/events';
import { RATE_HISTORY_SEC } from '../../shared/protocol';

/**
 * Fixed-capacity ring of per-second ingest-rate samples. The wall keeps ten minutes of them
 * forever, so the buffer is preallocated and never grows (DESIGN.md: nothing grows without bound).
 */
export class RateRing {
  readonly capacity: number;
  private readonly secs: Float64Array;
  private readonly counts: Float64Array;
  /** Index of the oldest sample. */
  private head = 0;
  private length = 0;

  constructor(capacity = RATE_HISTORY_SEC) {
    if (!Number.isInteger(capacity) || capacity <= 0) throw new Error(`bad capacity ${capacity}`);
    this.capacity = capacity;
    this.secs = new Float64Array(capacity);
    this.counts = new Float64Array(capacity);
  }

  get size(): number {
    return this.length;
  }

  clear(): void {
    this.head = 0;
    this.length = 0;
  }

  /** Epoch second of the newest sample, or -Infinity when empty. */
  lastSec(): number {
    if (this.length === 0) return -Infinity;
    return this.secs[(this.head + this.length - 1) % this.capacity]!;
  }

  /**
   * Appends a sample. Samples arrive in time order; one for a second already held replaces it
   * (the server may resend the open second), an older one is ignored. Returns whether anything changed.
   */
  push(sec: number, count: number): boolean {
    if (!Number.isFinite(sec) || !Number.isFinite(count)) return false;
    const last = this.lastSec();
    if (sec < last) return false;
    if (sec === last) {
      const at = (this.head + this.length - 1) % this.capacity;
      if (this.counts[at] === count) return false;
      this.counts[at] = count;
      return true;
    }
    const at = (this.head + this.length) % this.capacity;
    this.secs[at] = sec;
    this.counts[at] = count;
    if (this.length < this.capacity) this.length += 1;
    else this.head = (this.head + 1) % this.capacity;
    return true;
  }

  pushAll(samples: readonly RateSample[]): boolean {
    let changed = false;
    // Only the newest `capacity` samples can survive; skip the rest instead of cycling them through.
    for (let k = Math.max(0, samples.length - this.capacity); k < samples.length; k++) {
      const s = samples[k]!;
      if (this.push(s[0], s[1])) changed = true;
    }
    return changed;
  }

  /** Oldest first, as [epoch ms, count] pairs ready for a time axis. */
  toPoints(): [number, number][] {
    const out: [number, number][] = new Array(this.length);
    for (let k = 0; k < this.length; k++) {
      const at = (this.head + k) % this.capacity;
      out[k] = [this.secs[at]! * 1000, this.counts[at]!];
    }
    return out;
  }
}

/**
 * The chart's series: a null after any sample followed by a silence of more than `maxStepSec` seconds (the
 * server was down, or this wall was), so the line breaks there instead of bridging the missing time.
 */
export function withGaps(points: readonly [number, number][], maxStepSec = 2): [number, number | null][] {
  const out: [number, number | null][] = [];
  for (let k = 0; k < points.length; k++) {
    const p = points[k]!;
    const prev = points[k - 1];
    if (prev && p[0] - prev[0] > maxStepSec * 1000) out.push([prev[0] + 1000, null]);
    out.push(p);
  }
  return out;
}
