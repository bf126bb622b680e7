/**
 * Map focus requests from the alarm UI to the map (owned by the wall): a tiny, bounded emitter so the two sides
 * need not import each other. A new critical alarm asks the map to fly to its place and highlight it.
 */
export interface MapFocus {
  lon: number;
  lat: number;
  /** Short Vietnamese label for the highlight (e.g. the alarm's title). */
  label?: string;
  /** Alarm id, when the focus comes from an alarm. */
  alarmId?: number;
}

type Listener = (focus: MapFocus) => void;

/** A wall has one map; more listeners than this means something subscribes without unsubscribing. */
const MAX_LISTENERS = 16;
const listeners = new Set<Listener>();
let last: MapFocus | null = null;

export function emitMapFocus(focus: MapFocus): void {
  if (!Number.isFinite(focus.lon) || !Number.isFinite(focus.lat)) return;
  last = focus;
  for (const fn of [...listeners]) {
    try {
      fn(focus);
    } catch (e) {
      console.error('map focus listener failed', e);
    }
  }
}

/** Subscribe to focus requests; returns the unsubscribe. */
export function onMapFocus(fn: Listener): () => void {
  if (listeners.size >= MAX_LISTENERS) {
    console.warn(`onMapFocus: more than ${MAX_LISTENERS} listeners; the oldest is dropped`);
    const oldest = listeners.values().next().value;
    if (oldest) listeners.delete(oldest);
  }
  listeners.add(fn);
  return () => {
    listeners.delete(fn);
  };
}

/** The latest focus request (a map mounted after the alarm can still show it). */
export function lastMapFocus(): MapFocus | null {
  return last;
}
