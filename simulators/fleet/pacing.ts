/**
 * Backpressure for bulk publishing (backfill, replay): a rate cap shared by all publishers and a window
 * of unacknowledged messages per connection. Both are bounded and both let close() release waiters.
 */

/** Spaces events at `perSec`, allowing a short burst (100 ms worth) after a pause. */
export class Pacer {
  private nextFree = -Infinity;
  private readonly gapMs: number;
  private readonly burstMs: number;

  constructor(
    perSec: number,
    private readonly clock: () => number = Date.now,
  ) {
    if (!(perSec > 0)) throw new Error(`rate must be positive, got ${perSec}`);
    this.gapMs = 1000 / perSec;
    this.burstMs = Math.max(this.gapMs, 100);
  }

  /** Reserves the next slot; returns how long (ms) to wait before using it. */
  reserve(): number {
    const now = this.clock();
    this.nextFree = Math.max(this.nextFree, now - this.burstMs) + this.gapMs;
    return Math.max(0, this.nextFree - now);
  }
}

/** At most `size` operations in flight; `acquire` waits for a free place. */
export class Window {
  private inFlight = 0;
  private readonly waiters: Array<() => void> = [];
  private drainWaiters: Array<() => void> = [];
  private released = false;

  constructor(private readonly size: number) {}

  get pending(): number {
    return this.inFlight;
  }

  async acquire(): Promise<void> {
    while (!this.released && this.inFlight >= this.size) await new Promise<void>((r) => this.waiters.push(r));
    this.inFlight++;
  }

  release(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.waiters.shift()?.();
    if (this.inFlight === 0) for (const r of this.drainWaiters.splice(0)) r();
  }

  /** Resolves when nothing is in flight. */
  drain(): Promise<void> {
    if (this.inFlight === 0 || this.released) return Promise.resolve();
    return new Promise((r) => this.drainWaiters.push(r));
  }

  /** Lets every waiter through (shutting down). */
  releaseAll(): void {
    this.released = true;
    for (const r of this.waiters.splice(0)) r();
    for (const r of this.drainWaiters.splice(0)) r();
  }
}

/** Waits `ms`, at least 1 ms (the timer granularity): callers batch small waits through the pacer's burst. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(1, ms)));
}
