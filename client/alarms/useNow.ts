import { useEffect, useState } from 'react';
import { appNow } from '../store/clock';

/** The server's current time (simulated in a rehearsal), refreshed every `everyMs` (for "12 phút trước" and ages). */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => appNow());
  useEffect(() => {
    const timer = setInterval(() => setNow(appNow()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
