import { useEffect, useState, useSyncExternalStore } from 'react';
import { appNow, clockInfo, serverNow, subscribeClock } from '../store/clock';

/** A rehearsal's clock is read at most this often however fast it runs. */
export const MIN_TICK_MS = 1_000;

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

const rehearsalSpeed = () => {
  const info = clockInfo();
  return info.mode === 'rehearsal' ? info.speed : 1;
};

/**
 * A clock read now and again: every `everyMs` of the time it shows, so a rehearsal at 600× reads it 600 times
 * as often (at most once a second), and at once when the clock changes (the first frame, a rehearsal starting,
 * the time machine): a phone opened on a rehearsal would otherwise age its alarms by this device's clock.
 */
function useTicking(read: () => number, everyMs: number): number {
  const [now, setNow] = useState(read);
  const speed = useSyncExternalStore(subscribeClock, rehearsalSpeed);
  useEffect(() => subscribeClock(() => setNow(read())), [read]);
  useEffect(() => {
    const timer = setInterval(() => setNow(read()), Math.max(MIN_TICK_MS, everyMs / Math.max(1, speed)));
    return () => clearInterval(timer);
  }, [read, everyMs, speed]);
  return now;
}
