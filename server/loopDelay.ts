/**
 * How long the event loop kept callbacks waiting: the figure that says whether the server keeps reading
 * its sockets (a long tick or frame build stalls the MQTT socket, and the broker then stops reading its
 * publishers). perf_hooks' histogram, summarised per window of real time and restarted.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface LoopDelayWindow {
  /** Length of the window the figures cover (s). */
  windowSec: number;
  meanMs: number;
  p99Ms: number;
  maxMs: number;
}

export class LoopDelayMonitor {
  private readonly h: IntervalHistogram;
  private windowStart: number;
  private last: LoopDelayWindow | null = null;

  constructor(
    private readonly realNow: () => number,
    private readonly windowMs = 5000,
  ) {
    this.h = monitorEventLoopDelay({ resolution: 10 });
    this.h.enable();
    this.windowStart = realNow();
  }

  /** Called often (each tick): closes the window when it is due. */
  roll(): void {
    const now = this.realNow();
    if (now - this.windowStart < this.windowMs) return;
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    this.last = {
      windowSec: Math.round((now - this.windowStart) / 100) / 10,
      meanMs: this.h.count > 0 ? ms(this.h.mean) : 0,
      p99Ms: this.h.count > 0 ? ms(this.h.percentile(99)) : 0,
      maxMs: this.h.count > 0 ? ms(this.h.max) : 0,
    };
    this.h.reset();
    this.windowStart = now;
  }

  /** The last complete window (null in the first seconds). */
  lastWindow(): LoopDelayWindow | null {
    return this.last;
  }

  close(): Promise<void> {
    this.h.disable();
    return Promise.resolve();
  }
}
