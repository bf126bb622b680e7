/**
 * The wall's beat: one moment per second at which everything on the wall that changes by itself (the
 * clock's seconds, the blinks, the calm panels' counts) changes together. On a software-composited wall
 * each frame that changes the DOM costs a composite of the whole screen (issue 18); out of phase, a clock,
 * two blinks and the panels made six such frames a second. While the feed is live the beat falls on the
 * first live frame of each second (`nudge`, called from the live store's flush), the frame that redraws
 * the map anyway; without frames, a timer beats `graceMs` into the second.
 */
export interface BeatOptions {
  /** How far into a second the timer beats when no frame did (ms). */
  graceMs?: number;
  now?: () => number;
  later?: (callback: () => void, ms: number) => () => void;
}

export type BeatListener = (second: number) => void;

export class Beat {
  private readonly listeners = new Set<BeatListener>();
  private lastSecond = -Infinity;
  private cancelTimer: (() => void) | null = null;
  private readonly graceMs: number;
  private readonly now: () => number;
  private readonly later: (callback: () => void, ms: number) => () => void;

  constructor(options: BeatOptions = {}) {
    this.graceMs = options.graceMs ?? 300;
    this.now = options.now ?? Date.now;
    this.later =
      options.later ??
      ((cb, ms) => {
        const t = setTimeout(cb, ms);
        return () => clearTimeout(t);
      });
  }

  /** `fn` is called with the second (epoch seconds) on each beat, in subscription order. */
  subscribe = (fn: BeatListener): (() => void) => {
    this.listeners.add(fn);
    if (!this.cancelTimer) this.arm();
    return () => {
      this.listeners.delete(fn);
      if (this.listeners.size === 0 && this.cancelTimer) {
        this.cancelTimer();
        this.cancelTimer = null;
      }
    };
  };

  /** A live frame is being drawn: beat now if this second has not had its beat. */
  nudge(): void {
    if (this.listeners.size === 0) return;
    const second = Math.floor(this.now() / 1000);
    if (second > this.lastSecond) this.fire(second);
  }

  private arm(): void {
    const now = this.now();
    // The next instant `graceMs` into a second, strictly after now.
    const next = Math.floor((now - this.graceMs) / 1000) * 1000 + 1000 + this.graceMs;
    this.cancelTimer = this.later(this.onTimer, next - now);
  }

  private readonly onTimer = (): void => {
    this.cancelTimer = null;
    const second = Math.floor(this.now() / 1000);
    if (second > this.lastSecond) this.fire(second);
    if (this.listeners.size > 0) this.arm();
  };

  private fire(second: number): void {
    this.lastSecond = second;
    for (const fn of [...this.listeners]) fn(second);
  }
}

/** The beat of this screen (the wall nudges it from its live store; elsewhere its timer alone beats). */
export const screenBeat = new Beat();
