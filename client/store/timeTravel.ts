/**
 * The wall's time machine (issue 13 point 3), outside React like the live store: live, or a past instant of
 * the last 24 h (server time) that the whole wall shows, stepped, dragged or played forward at a speed.
 *
 * It owns no socket and no fetch: `load` puts the wall at an instant (main.tsx fetches the history snapshot
 * and applies it to the stores), `leaveLive` / `returnLive` pause and resume the live frames. Loads are
 * bounded whatever the speed: one in flight, at least MIN_LOAD_GAP_MS between starts, and after each answer
 * a rest as long as it took (a snapshot holds the server's event loop while it reads the stores: one wall
 * playing back takes at most half of it); while one runs, the newest instant asked for waits and the ones in
 * between are skipped. Time is injected (tests drive a fake clock and fake timers).
 */

export const TIME_SPEEDS = [1, 10, 60, 600, 3600] as const;
export type TimeSpeed = (typeof TIME_SPEEDS)[number];
/** How far back the slider goes. */
export const TIME_RANGE_MS = 24 * 3_600_000;
export const STEP_MS = 60_000;
export const BIG_STEP_MS = 15 * 60_000;
/** At most two snapshot requests a second. */
export const MIN_LOAD_GAP_MS = 500;
/** How often a playing instant moves. */
export const PLAY_TICK_MS = 250;
/** Closer than this to the server's now, the past is the present: back to live. */
export const LIVE_EPSILON_MS = 1_000;

export type TimerHandle = unknown;

export interface TimeTravelDeps {
  /** The server's time now: the live end of the range (the app may run a simulated clock). */
  serverNow: () => number;
  /** This machine's clock, for playing and for spacing the loads. */
  localNow?: () => number;
  setTimer?: (fn: () => void, ms: number) => TimerHandle;
  clearTimer?: (h: TimerHandle) => void;
  /** Puts the wall at `at`; rejects when it could not. Aborted when a newer instant or live supersedes it. */
  load: (at: number, signal: AbortSignal) => Promise<void>;
  /** The wall leaves live: stop applying live frames. */
  leaveLive: () => void;
  /** Back to live: resubscribe so that nothing shown is stale. */
  returnLive: () => void;
}

export class TimeTravel {
  /** Bumped on every change; what `useTimeTravel` keys on. */
  version = 0;
  barOpen = false;
  /** The instant asked for (the slider's thumb); null when live. */
  target: number | null = null;
  /** The instant the wall shows now (the last snapshot applied); null when live or before the first. */
  shownAt: number | null = null;
  playing = false;
  speedIndex = 2;
  loading = false;
  error: string | null = null;

  private readonly deps: Required<TimeTravelDeps>;
  private readonly listeners = new Set<() => void>();
  private inFlight: AbortController | null = null;
  private lastLoadStart = -Infinity;
  /** Not before this may the next load start: the last one's end plus its duration. */
  private restUntil = -Infinity;
  private loadTimer: TimerHandle | null = null;
  private playTimer: TimerHandle | null = null;
  private playAnchorLocal = 0;
  private playAnchorAt = 0;

  constructor(deps: TimeTravelDeps) {
    this.deps = {
      localNow: Date.now,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      ...deps,
    };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  get live(): boolean {
    return this.target === null;
  }

  get speed(): TimeSpeed {
    return TIME_SPEEDS[this.speedIndex]!;
  }

  /** The slider's range [from, to]: the last 24 h of server time. */
  range(): { from: number; to: number } {
    const to = this.deps.serverNow();
    return { from: to - TIME_RANGE_MS, to };
  }

  toggleBar(): void {
    this.barOpen = !this.barOpen;
    this.changed();
  }

  /** Steps the instant by `deltaMs` (from now, when live); forward past the present is live again. */
  step(deltaMs: number): void {
    const base = this.target ?? this.deps.serverNow();
    this.seek(base + deltaMs);
  }

  /** Puts the wall at `at`, clamped to the range; at (or past) the present, back to live. */
  seek(at: number): void {
    const { from, to } = this.range();
    if (at >= to - LIVE_EPSILON_MS) {
      if (!this.live) this.goLive();
      return;
    }
    const next = Math.round(Math.max(from, at));
    if (this.live) {
      this.barOpen = true;
      this.deps.leaveLive();
    }
    this.target = next;
    if (this.playing) this.anchorPlay();
    this.requestLoad();
    this.changed();
  }

  togglePlay(): void {
    if (this.live) return;
    this.playing = !this.playing;
    this.clearPlayTimer();
    if (this.playing) {
      this.anchorPlay();
      this.schedulePlay();
    }
    this.changed();
  }

  /** One speed up (+1) or down (−1), kept within TIME_SPEEDS. */
  changeSpeed(delta: 1 | -1): void {
    const k = Math.min(TIME_SPEEDS.length - 1, Math.max(0, this.speedIndex + delta));
    if (k === this.speedIndex) return;
    if (this.playing) this.advance();
    this.speedIndex = k;
    if (this.playing) this.anchorPlay();
    this.changed();
  }

  /** Back to the present: stop playing, drop any load, resubscribe the live frames. */
  goLive(): void {
    if (this.live) return;
    this.clearPlayTimer();
    this.clearLoadTimer();
    this.inFlight?.abort();
    this.inFlight = null;
    this.target = null;
    this.shownAt = null;
    this.playing = false;
    this.loading = false;
    this.error = null;
    this.deps.returnLive();
    this.changed();
  }

  /** Stops timers and loads (the wall unmounts). */
  close(): void {
    this.clearPlayTimer();
    this.clearLoadTimer();
    this.inFlight?.abort();
    this.inFlight = null;
    this.listeners.clear();
  }

  private anchorPlay(): void {
    this.playAnchorLocal = this.deps.localNow();
    this.playAnchorAt = this.target ?? this.deps.serverNow();
  }

  private schedulePlay(): void {
    this.playTimer = this.deps.setTimer(() => {
      this.playTimer = null;
      if (!this.playing || this.live) return;
      this.advance();
      if (this.playing && !this.live) this.schedulePlay();
    }, PLAY_TICK_MS);
  }

  /** The playing instant, from its anchor at the speed; reaching the present is live. */
  private advance(): void {
    const at = this.playAnchorAt + (this.deps.localNow() - this.playAnchorLocal) * this.speed;
    if (at >= this.deps.serverNow() - LIVE_EPSILON_MS) {
      this.goLive();
      return;
    }
    if (at === this.target) return;
    this.target = Math.round(at);
    this.requestLoad();
    this.changed();
  }

  private clearPlayTimer(): void {
    if (this.playTimer !== null) this.deps.clearTimer(this.playTimer);
    this.playTimer = null;
  }

  private clearLoadTimer(): void {
    if (this.loadTimer !== null) this.deps.clearTimer(this.loadTimer);
    this.loadTimer = null;
  }

  /** Loads the newest target when the bounds allow: never two at once, never sooner than the gap. */
  private requestLoad(): void {
    if (this.inFlight || this.loadTimer !== null || this.target === null) return;
    const wait = Math.max(this.lastLoadStart + MIN_LOAD_GAP_MS, this.restUntil) - this.deps.localNow();
    if (wait > 0) {
      this.loadTimer = this.deps.setTimer(() => {
        this.loadTimer = null;
        this.requestLoad();
      }, wait);
      return;
    }
    const at = this.target;
    if (at === this.shownAt) return;
    const ctl = new AbortController();
    this.inFlight = ctl;
    this.lastLoadStart = this.deps.localNow();
    this.loading = true;
    this.changed();
    this.deps.load(at, ctl.signal).then(
      () => this.settle(ctl, at, null),
      (e: unknown) => this.settle(ctl, at, e),
    );
  }

  private settle(ctl: AbortController, at: number, err: unknown): void {
    if (this.inFlight !== ctl) return;
    this.inFlight = null;
    const end = this.deps.localNow();
    this.restUntil = end + (end - this.lastLoadStart);
    this.loading = false;
    if (err === null) {
      this.shownAt = at;
      this.error = null;
    } else if (!ctl.signal.aborted) {
      this.error = err instanceof Error ? err.message : String(err);
      // Playing on against a failing server would only hammer it.
      this.playing = false;
      this.clearPlayTimer();
    }
    this.changed();
    if (err === null && this.target !== null && this.target !== at) this.requestLoad();
  }

  private changed(): void {
    this.version++;
    for (const l of [...this.listeners]) l();
  }
}
