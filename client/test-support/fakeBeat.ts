import { Beat } from '../ui/beat';

/** A Beat on a fake clock: `advance` moves time on and runs the timers that come due, in order. */
export function fakeBeat(start = 10_000) {
  let now = start;
  const timers: { at: number; cb: () => void; live: boolean }[] = [];
  const beat = new Beat({
    graceMs: 300,
    now: () => now,
    later: (cb, ms) => {
      const t = { at: now + ms, cb, live: true };
      timers.push(t);
      return () => void (t.live = false);
    },
  });
  /** Moves the clock on, running the timers that come due on the way, in order. */
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const due = timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      due.live = false;
      now = due.at;
      due.cb();
    }
    now = end;
  };
  const liveTimers = () => timers.filter((t) => t.live).length;
  return { beat, advance, liveTimers, now: () => now };
}
