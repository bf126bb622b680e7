import { createContext, useContext, useRef, useSyncExternalStore } from 'react';
import { AlarmStore } from './alarmStore';

/** The app's one alarm store; main.tsx feeds it from the live connection. Tests provide their own. */
export const appAlarmStore = new AlarmStore();
export const AlarmStoreContext = createContext<AlarmStore>(appAlarmStore);

export function useAlarmStore(): AlarmStore {
  return useContext(AlarmStoreContext);
}

/** Reads a slice of the alarm store, recomputed at most once per store version (as `useLive`). */
export function useAlarms<T>(selector: (store: AlarmStore) => T, isEqual: (a: T, b: T) => boolean = Object.is): T {
  const store = useAlarmStore();
  const cache = useRef<{ version: number; selector: (s: AlarmStore) => T; value: T } | null>(null);
  const getSnapshot = (): T => {
    const c = cache.current;
    if (c && c.version === store.version && c.selector === selector) return c.value;
    const next = selector(store);
    const value = c && isEqual(c.value, next) ? c.value : next;
    cache.current = { version: store.version, selector, value };
    return value;
  };
  return useSyncExternalStore(store.subscribe, getSnapshot, getSnapshot);
}

export const selectAlarmList = (s: AlarmStore) => s.list();
export const selectOpenTotal = (s: AlarmStore) => s.openTotal;
export const selectHealth = (s: AlarmStore) => s.health;
export const selectAlarmsReady = (s: AlarmStore) => !s.awaitingSnapshot || s.rev !== null;
export const selectCounts = (s: AlarmStore) => s.countsBySeverity();
export const sameCounts = (a: Record<string, number>, b: Record<string, number>) =>
  Object.keys(a).every((k) => a[k] === b[k]);
