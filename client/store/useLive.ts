import { createContext, useContext, useMemo } from 'react';
import type { CalmView } from './calmView';
import { useVersioned, type VersionedStore } from './useVersioned';
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

/** The wall's calm view of the live store (client/store/calmView.ts); absent on the phone and the console. */
export const CalmLiveContext = createContext<CalmView<LiveStore> | null>(null);

/**
 * `useLive` for text that need not change more than once a second: through the calm view when the screen
 * has one, else the same as `useLive`.
 */
export function useCalmLive<T>(selector: (store: LiveStore) => T, isEqual: (a: T, b: T) => boolean = Object.is): T {
  const store = useLiveStore();
  const calm = useContext(CalmLiveContext);
  // One selector identity per (selector, store), so the cache holds between calm tells.
  const read = useMemo(() => () => selector(store), [selector, store]);
  return useVersioned<VersionedStore, T>(calm ?? store, read, isEqual);
}
