import { createContext, useContext } from 'react';
import { useVersioned } from './useVersioned';
import type { LiveStore } from './liveStore';

export const LiveStoreContext = createContext<LiveStore | null>(null);

export function useLiveStore(): LiveStore {
  const store = useContext(LiveStoreContext);
  if (!store) throw new Error('useLiveStore outside <LiveStoreContext.Provider>');
  return store;
}

/**
 * Reads a slice of the live store. The selection is recomputed once per store version (at most
 * once per frame) and the component re-renders only when it differs (Object.is, or `isEqual`).
 * Prefer module-level selectors; an inline one is recomputed on every render, which is fine for
 * cheap ones.
 */
export function useLive<T>(selector: (store: LiveStore) => T, isEqual: (a: T, b: T) => boolean = Object.is): T {
  return useVersioned(useLiveStore(), selector, isEqual);
}

export function shallowEqualArrays<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (!Object.is(a[k], b[k])) return false;
  return true;
}
