import { createContext, useContext, useRef, useSyncExternalStore } from 'react';
import type { WallUi } from './wallUi';

export const WallUiContext = createContext<WallUi | null>(null);

export function useWallUiStore(): WallUi {
  const ui = useContext(WallUiContext);
  if (!ui) throw new Error('useWallUi outside <WallUiContext.Provider>');
  return ui;
}

/** Reads a slice of the kiosk state; re-renders only when it changes. */
export function useWallUi<T>(selector: (ui: WallUi) => T): T {
  const ui = useWallUiStore();
  const cache = useRef<{ version: number; value: T } | null>(null);
  const get = (): T => {
    const c = cache.current;
    if (c && c.version === ui.uiVersion) return c.value;
    const next = selector(ui);
    const value = c && Object.is(c.value, next) ? c.value : next;
    cache.current = { version: ui.uiVersion, value };
    return value;
  };
  return useSyncExternalStore(ui.subscribe, get, get);
}
