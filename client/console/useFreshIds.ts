import { useEffect, useMemo, useState } from 'react';
import { useAlarmStore } from '../alarms/useAlarms';

const FRESH_MS = 2 * 60_000;
const MAX_FRESH = 100;

/** Alarms announced (raised or stepped up) in the last two minutes: marked in the list. */
export function useFreshIds(): ReadonlySet<number> {
  const store = useAlarmStore();
  const [fresh, setFresh] = useState<ReadonlyMap<number, number>>(new Map());
  useEffect(
    () =>
      store.onAnnounce((batch) => {
        const now = Date.now();
        setFresh((m) => {
          const next = new Map([...m].filter(([, at]) => now - at < FRESH_MS));
          for (const x of batch) if (x.kind !== 'escalated') next.set(x.alarm.id, now);
          while (next.size > MAX_FRESH) next.delete(next.keys().next().value!);
          return next;
        });
      }),
    [store],
  );
  useEffect(() => {
    if (fresh.size === 0) return;
    const timer = setTimeout(() => setFresh((m) => new Map([...m].filter(([, at]) => Date.now() - at < FRESH_MS))), FRESH_MS);
    return () => clearTimeout(timer);
  }, [fresh]);
  return useMemo(() => new Set(fresh.keys()), [fresh]);
}

