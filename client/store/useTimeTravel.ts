import { createContext, useContext } from 'react';
import type { TimeTravel } from './timeTravel';
import { useVersioned } from './useVersioned';

/** The wall's time machine (main.tsx makes it for the wall only; elsewhere null). */
export const TimeTravelContext = createContext<TimeTravel | null>(null);

export function useTimeTravelStore(): TimeTravel {
  const tt = useContext(TimeTravelContext);
  if (!tt) throw new Error('useTimeTravel outside <TimeTravelContext.Provider>');
  return tt;
}

/** Reads a slice of the time machine's state; re-renders only when it changes. */
export function useTimeTravel<T>(selector: (tt: TimeTravel) => T): T {
  return useVersioned(useTimeTravelStore(), selector);
}
