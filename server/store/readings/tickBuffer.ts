/**
 * The readings accepted since the last tick, on their way to the reading writer. Arrival only pushes (no
 * store call on the hot path); the tick takes the whole buffer once and offers it to the writer. Bounded:
 * a flood of backfill between two ticks costs the readings beyond `cap`, counted, never memory.
 */
import type { Reading } from './port';

/**
 * Default cap: a 250 ms tick at 160,000 readings a second (issue 15's embedded 140,000 msg/s, with room), about
 * 8 MB at its fullest. At 20,000 it was the embedded ingest's limit with the store off: every step above 84,000
 * msg/s dropped readings here with the server at 77–88 % of a core (2026-12-08, `--store off`).
 */
export const TICK_READINGS_CAP = 40_000;

export class TickReadings {
  private buf: Reading[] = [];
  private droppedCount = 0;

  constructor(readonly cap = TICK_READINGS_CAP) {
    if (!Number.isInteger(cap) || cap < 1) throw new RangeError('tick readings: cap must be a positive integer');
  }

  /** Keeps the reading if there is room; returns whether it was kept. */
  push(r: Reading): boolean {
    if (this.buf.length >= this.cap) {
      this.droppedCount++;
      return false;
    }
    this.buf.push(r);
    return true;
  }

  /** Everything buffered since the last take, oldest first; the buffer starts empty again. */
  take(): Reading[] {
    const out = this.buf;
    this.buf = [];
    return out;
  }

  get size(): number {
    return this.buf.length;
  }

  /** Readings refused because the buffer was full, since start. */
  get dropped(): number {
    return this.droppedCount;
  }
}
