/**
 * The wall's kiosk state, outside React like the live store: which page is up (pages rotate on a timer),
 * what the map shows, the station being looked at, an alarm's place. The map reads it as its MapView.
 * Rotation pauses while someone interacts (and while a station card is open) and stops when pinned.
 */
import { MAP_MODES, type MapFocusPoint, type MapMode, type MapView } from '../map/modes';

export const PAGES = ['air', 'water', 'hydro', 'fire', 'traffic', 'violations', 'system'] as const;
export type PageId = (typeof PAGES)[number];

export interface PageInfo {
  page: PageId;
  labelVi: string;
  /** The map mode the page switches to. */
  mode: MapMode;
}

export const PAGE_INFO: readonly PageInfo[] = [
  { page: 'air', labelVi: 'Không khí', mode: 'air' },
  { page: 'water', labelVi: 'Nước thải', mode: 'water' },
  { page: 'hydro', labelVi: 'Thủy văn & mưa', mode: 'hydro' },
  { page: 'fire', labelVi: 'Cháy rừng', mode: 'communeFire' },
  { page: 'traffic', labelVi: 'Giao thông', mode: 'traffic' },
  { page: 'violations', labelVi: 'Vi phạm', mode: 'traffic' },
  { page: 'system', labelVi: 'Hệ thống', mode: 'devices' },
];

export function pageInfo(page: PageId): PageInfo {
  return PAGE_INFO.find((p) => p.page === page)!;
}

/** After a key press or a click, the wall stays put this long before rotating again. */
export const INTERACTION_PAUSE_MS = 120_000;
/** An alarm's place stays in focus this long, then the map shows the whole province again. */
export const FOCUS_HOLD_MS = 45_000;

export interface WallUiOptions {
  /** Seconds per page; 0 turns rotation off. */
  rotateSec: number;
  page?: PageId;
  pinned?: boolean;
  now?: () => number;
}

export class WallUi implements MapView {
  page: PageId;
  mode: MapMode;
  pinned: boolean;
  rotateSec: number;
  /** Station open in its detail card (registry index). */
  selected: number | null = null;
  /** Station ringed on the map: the open card's, or the one focused in a list. */
  highlight: number | null = null;
  focusPoint: MapFocusPoint | null = null;
  /** Moves when what the map shows changes (mode, highlight, focus). */
  viewVersion = 0;
  /** Moves on any change (the panels' trigger). */
  uiVersion = 0;
  /** Local time the next page comes up (while rotating). */
  nextAt: number;
  pausedUntil = 0;
  /** Rotation held from outside (the wall shows the past): the page the operator looks at stays up. */
  held = false;

  private readonly now: () => number;
  private readonly listeners = new Set<() => void>();
  private focusUntil = 0;
  private listFocus: number | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;
  private wasPaused = false;

  constructor(options: WallUiOptions) {
    this.now = options.now ?? Date.now;
    this.rotateSec = options.rotateSec;
    this.page = options.page ?? 'air';
    this.mode = pageInfo(this.page).mode;
    this.pinned = options.pinned ?? false;
    this.nextAt = this.now() + this.rotateSec * 1000;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  get rotating(): boolean {
    return this.rotateSec > 0 && !this.pinned;
  }

  /** Starts the once-a-second check that turns pages and ends an alarm focus; returns the stop. */
  start(): () => void {
    clearInterval(this.timer);
    this.timer = setInterval(() => this.tick(), 1_000);
    return () => clearInterval(this.timer);
  }

  tick(): void {
    const now = this.now();
    if (this.focusPoint && now >= this.focusUntil) this.setFocus(null);
    if (!this.rotating) return;
    const paused = now < this.pausedUntil || this.selected !== null || this.held;
    if (paused !== this.wasPaused) {
      this.wasPaused = paused;
      this.changed(false);
    }
    if (paused) {
      // Paused: the page that comes next gets its full time once the pause ends.
      this.nextAt = Math.max(this.pausedUntil, now) + this.rotateSec * 1000;
      return;
    }
    if (now >= this.nextAt) this.step(1, false);
  }

  setPage(page: PageId, byUser = true): void {
    if (byUser) this.touch();
    this.page = page;
    const mode = pageInfo(page).mode;
    const modeChanged = mode !== this.mode;
    this.mode = mode;
    this.nextAt = Math.max(this.now(), this.pausedUntil) + this.rotateSec * 1000;
    this.changed(modeChanged);
  }

  step(delta: 1 | -1, byUser = true): void {
    const k = PAGES.indexOf(this.page);
    this.setPage(PAGES[(k + delta + PAGES.length) % PAGES.length]!, byUser);
  }

  setMode(mode: MapMode): void {
    if (!MAP_MODES.includes(mode)) return;
    this.touch();
    this.mode = mode;
    this.changed();
  }

  togglePin(): void {
    this.pinned = !this.pinned;
    this.nextAt = this.now() + this.rotateSec * 1000;
    this.changed(false);
  }

  /** Holds (or releases) the rotation while the wall shows a past instant. */
  setHeld(held: boolean): void {
    if (held === this.held) return;
    this.held = held;
    this.tick();
  }

  /** Someone is using the wall: hold the rotation. */
  touch(): void {
    this.pausedUntil = this.now() + INTERACTION_PAUSE_MS;
    this.nextAt = this.pausedUntil + this.rotateSec * 1000;
  }

  /** Opens (or, with null, closes) a station's detail card. */
  select(i: number | null): void {
    this.touch();
    this.selected = i;
    this.highlight = i ?? this.listFocus;
    this.changed();
  }

  /** Esc: closes the open card; without one, lets go of an alarm's place (back to the whole province). */
  escape(): void {
    if (this.selected !== null) this.select(null);
    else if (this.focusPoint) {
      this.touch();
      this.setFocus(null);
    }
  }

  /** A station row got (or lost) keyboard focus: ring it on the map. */
  focusStation(i: number | null): void {
    if (i !== null) this.touch();
    this.listFocus = i;
    const next = this.selected ?? i;
    if (next === this.highlight) return;
    this.highlight = next;
    this.changed();
  }

  /** An alarm asks the map to show its place for a while. */
  setFocus(point: MapFocusPoint | null): void {
    this.focusPoint = point;
    if (point) this.focusUntil = this.now() + FOCUS_HOLD_MS;
    this.changed();
  }

  private changed(map = true): void {
    if (map) this.viewVersion++;
    this.uiVersion++;
    for (const l of [...this.listeners]) l();
  }
}

/**
 * The rotation bar moves in steps of this many ms, by a timer: a smoothly growing width is laid out and
 * painted every frame, and even a stepped CSS animation keeps Chromium compositing every frame (issue 18).
 */
export const ROTATION_STEP_MS = 500;

/** How much of the rotation bar is filled at `now`, 0..1, snapped down to a whole step. */
export function rotationFilled(nextAt: number, now: number, rotateSec: number): number {
  const period = rotateSec * 1000;
  if (!(period > 0)) return 0;
  const elapsed = Math.floor((period - (nextAt - now)) / ROTATION_STEP_MS) * ROTATION_STEP_MS;
  return Math.min(1, Math.max(0, elapsed / period));
}
