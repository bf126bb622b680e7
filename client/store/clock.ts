/**
 * The time the views show and age things by: the server's. Live, that is this machine's clock. In a
 * rehearsal (DIỄN TẬP) it is the scenario's simulated time, which every frame carries (`at`, `clock`):
 * between frames it runs on at the rehearsal's speed. Set by the live store from each frame; read
 * anywhere (components, map layers) with `appNow()`.
 */
import type { ClockInfo } from '../../shared/simClock';

let info: ClockInfo = { mode: 'live' };
/** The wall's time machine: the past instant the views show, or null (live). */
let viewed: number | null = null;
let anchorAt = 0;
let anchorLocal = 0;
const listeners = new Set<() => void>();

/** From a frame: the server's time when it was built, and its clock. */
export function syncClock(at: number, clock: ClockInfo | undefined, local = Date.now()): void {
  const next = clock ?? { mode: 'live' };
  // The first frame changes the time too: until then the views age things by this machine's clock.
  const changed =
    anchorLocal === 0 ||
    next.mode !== info.mode ||
    (next.mode === 'rehearsal' && info.mode === 'rehearsal' && (next.speed !== info.speed || next.scenario !== info.scenario || next.phase !== info.phase));
  info = next;
  anchorAt = at;
  anchorLocal = local;
  if (changed) for (const l of listeners) l();
}

/**
 * The time the views age things by: the server's, or the past instant the wall is looking at (a station
 * that reported a minute before that instant is a minute old, not hours).
 */
export function appNow(local = Date.now()): number {
  if (viewed !== null) return viewed;
  if (info.mode !== 'rehearsal' || anchorLocal === 0) return local;
  return anchorAt + (local - anchorLocal) * info.speed;
}

/**
 * The server's time now, whatever the wall is looking at: the newest live frame's time run on by the local
 * clock (at the rehearsal's speed). The end of the time machine's range; `appNow` is the views' time.
 */
export function serverNow(local = Date.now()): number {
  if (anchorLocal === 0) return local;
  return anchorAt + (local - anchorLocal) * (info.mode === 'rehearsal' ? info.speed : 1);
}

/** Puts the views at a past instant (null: back to live); the clock's subscribers are told. */
export function setViewedAt(at: number | null): void {
  if (at === viewed) return;
  viewed = at;
  for (const l of listeners) l();
}

/** The past instant shown, or null when live. */
export function viewedAt(): number | null {
  return viewed;
}

export function clockInfo(): ClockInfo {
  return info;
}

/**
 * For useSyncExternalStore: notified at the first frame, when the mode, speed, scenario or phase changes, and
 * when the viewed instant does.
 */
export function subscribeClock(fn: () => void): () => void {
  listeners.add(fn);
  return () => {
    listeners.delete(fn);
  };
}
