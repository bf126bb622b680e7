import { useEffect, useState } from 'react';
import { appNow, serverNow } from '../store/clock';

/** The server's current time (simulated in a rehearsal), refreshed every `everyMs` (for "12 phút trước" and ages). */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => appNow());
  useEffect(() => {
    const timer = setInterval(() => setNow(appNow()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * The server's own time (the newest frame's, run on by the local clock), refreshed every `everyMs`: for what is
 * dated by the server's calendar, such as whether a forecast's day is tomorrow, whatever this device's clock says.
 */
export function useServerNow(everyMs: number): number {
  const [now, setNow] = useState(() => serverNow());
  useEffect(() => {
    const timer = setInterval(() => setNow(serverNow()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
