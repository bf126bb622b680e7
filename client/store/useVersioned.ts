import { useRef, useSyncExternalStore } from 'react';

/** What a store outside React offers its readers: a version bumped at most once per frame. */
export interface VersionedStore {
  readonly version: number;
  subscribe(listener: () => void): () => void;
}

/**
 * Reads a slice of a versioned store. The selection is recomputed once per store version and
 * the component re-renders only when it differs (Object.is, or `isEqual`). Shared by the live
 * store and the alarm store.
 */
export function useVersioned<S extends VersionedStore, T>(store: S, selector: (store: S) => T, isEqual: (a: T, b: T) => boolean = Object.is): T {
  const cache = useRef<{ version: number; selector: (s: S) => T; value: T } | null>(null);
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
