import { useEffect, useState } from 'react';
import { appNow, serverNow } from '../store/clock';

/** The server's current time (simulated in a rehearsal), refreshed every `everyMs` (for "12 phút trước" and ages). */
export function useNow(everyMs: number): number {
  return useTicking(appNow, everyMs);
}

/**
 * The server's own time (the newest frame's, run on by the local clock), refreshed every `everyMs`: for what is
 * dated by the server's calendar, such as whether a forecast's day is tomorrow, whatever this device's clock says.
 */
export function useServerNow(everyMs: number): number {
  return useTicking(serverNow, everyMs);
}

/** A clock read now and again every `everyMs`. */
function useTicking(read: () => number, everyMs: number): number {
  const [now, setNow] = useState(read);
  useEffect(() => {
    const timer = setInterval(() => setNow(read()), everyMs);
    return () => clearInterval(timer);
  }, [read, everyMs]);
  return now;
}
