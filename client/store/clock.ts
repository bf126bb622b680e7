/**
 * The time the views show and age things by: the server's. Live, that is this machine's clock. In a
 * rehearsal (DIỄN TẬP) it is the scenario's simulated time, which every frame carries (`at`, `clock`):
 * between frames it runs on at the rehearsal's speed. Set by the live store from each frame; read
 * anywhere (components, map layers) with `appNow()`.
 */
import type { ClockInfo } from '../../shared/simClock';

let info: ClockInfo = { mode: 'live' };
let anchorAt = 0;
let anchorLocal = 0;
const listeners = new Set<() => void>();

/** From a frame: the server's time when it was built, and its clock. */
export function syncClock(at: number, clock: ClockInfo | undefined, local = Date.now()): void {
  const next = clock ?? { mode: 'live' };
  const changed = next.mode !== info.mode || (next.mode === 'rehearsal' && info.mode === 'rehearsal' && (next.speed !== info.speed || next.scenario !== info.scenario || next.phase !== info.phase));
  info = next;
  anchorAt = at;
  anchorLocal = local;
  if (changed) for (const l of listeners) l();
}

export function appNow(local = Date.now()): number {
  if (info.mode !== 'rehearsal' || anchorLocal === 0) return local;
  return anchorAt + (local - anchorLocal) * info.speed;
}

export function clockInfo(): ClockInfo {
  return info;
}

/** For useSyncExternalStore: notified when the mode, speed, scenario or phase changes. */
export function subscribeClock(fn: () => void): () => void {
  listeners.add(fn);
  return () => {
    listeners.delete(fn);
  };
}
