import { createContext, useContext } from 'react';
import { useVersioned } from '../store/useVersioned';
import { AlarmStore } from './alarmStore';

/** The app's one alarm store; main.tsx feeds it from the live connection. Tests provide their own. */
export const appAlarmStore = new AlarmStore();
export const AlarmStoreContext = createContext<AlarmStore>(appAlarmStore);

export function useAlarmStore(): AlarmStore {
  return useContext(AlarmStoreContext);
}

/** Reads a slice of the alarm store, recomputed at most once per store version (as `useLive`). */
export function useAlarms<T>(selector: (store: AlarmStore) => T, isEqual: (a: T, b: T) => boolean = Object.is): T {
  return useVersioned(useAlarmStore(), selector, isEqual);
}

export const selectAlarmList = (s: AlarmStore) => s.list();
export const selectOpenTotal = (s: AlarmStore) => s.openTotal;
export const selectHealth = (s: AlarmStore) => s.health;
export const selectAlarmsReady = (s: AlarmStore) => !s.awaitingSnapshot || s.rev !== null;
export const selectCounts = (s: AlarmStore) => s.countsBySeverity();
/** The server's counts over every open alarm (not the held list, which is capped). */
export const selectUnacknowledged = (s: AlarmStore) => s.unacknowledged;
export const selectEscalated = (s: AlarmStore) => s.escalated;
export const sameCounts = (a: Record<string, number>, b: Record<string, number>) =>
  Object.keys(a).every((k) => a[k] === b[k]);
