/**
 * A calmer reader of a versioned store, for the wall's text panels (counts, header figures, data quality, the
 * rate chart). The live store tells its readers on every frame that carries a server tick; on a wall of
 * 100,000 devices some count moves on every one, and each change of text makes the browser composite the
 * whole 4K screen again (issue 18: the wall drew 9 frames a second where the bare map drew 33). Through a
 * calm view a panel changes at most once per `calmMs`, and on a frame in which the store itself changed, so
 * its text is painted together with the map's dots rather than in a frame of its own.
 *
 * What must show at once still does: when the store's `epoch` moved (a snapshot, the time machine, a new
 * registry, the connection lost or back), the readers are told on that same frame. A change no later frame
 * follows (the feed went quiet) is told by a timer, `calmMs` after it was held back.
 */
import type { VersionedStore } from './useVersioned';

/** The wall's calm interval: its counts and figures change at most this often. */
export const WALL_CALM_MS = 1000;

export interface EpochStore extends VersionedStore {
  /** Bumped by what readers must see at once, whatever their calm. */
  readonly epoch: number;
}

export interface CalmViewOptions {
  calmMs: number;
  /** The clock and the timer (tests pass fakes). */
  now?: () => number;
  later?: (callback: () => void, ms: number) => () => void;
}

export class CalmView<S extends EpochStore> implements VersionedStore {
  /** Bumped each time the readers are told. */
  version = 0;
  private readonly listeners = new Set<() => void>();
  private unsubscribe: (() => void) | null = null;
  private lastToldAt = -Infinity;
  private toldEpoch: number;
  private held = false;
  private cancelTimer: (() => void) | null = null;
  private readonly calmMs: number;
  private readonly now: () => number;
  private readonly later: (callback: () => void, ms: number) => () => void;

  constructor(
    readonly store: S,
    options: CalmViewOptions,
  ) {
    this.calmMs = options.calmMs;
    this.now = options.now ?? (() => performance.now());
    this.later =
      options.later ??
      ((cb, ms) => {
        const t = setTimeout(cb, ms);
        return () => clearTimeout(t);
      });
    this.toldEpoch = store.epoch;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    // Only while someone reads: a page that is not shown costs nothing.
    if (!this.unsubscribe) this.unsubscribe = this.store.subscribe(this.onStore);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size > 0 || !this.unsubscribe) return;
      this.unsubscribe();
      this.unsubscribe = null;
      this.stopTimer();
      this.held = false;
    };
  };

  private readonly onStore = (): void => {
    if (this.store.epoch !== this.toldEpoch || this.now() - this.lastToldAt >= this.calmMs) {
      this.tell();
      return;
    }
    this.held = true;
    if (!this.cancelTimer) this.cancelTimer = this.later(this.onTimer, this.calmMs);
  };

  private readonly onTimer = (): void => {
    this.cancelTimer = null;
    if (this.held) this.tell();
  };

  private tell(): void {
    this.stopTimer();
    this.held = false;
    this.lastToldAt = this.now();
    this.toldEpoch = this.store.epoch;
    this.version += 1;
    for (const l of [...this.listeners]) l();
  }

  private stopTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }
}
