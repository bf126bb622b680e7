/** The leader lock and the ingest sessions' locks are checked the same way: now, then every few seconds. */

export interface Recheck {
  /** Runs a check now, after the one running (tests; the timer runs them otherwise). */
  run(): Promise<void>;
  /** No check after this one; resolves when the one running (if any) is over. */
  stop(): Promise<void>;
}

/** Runs `check` once (awaited), then every `ms`, never two at once. `check` handles its own errors. */
export async function startRecheck(check: () => Promise<void>, ms: number): Promise<Recheck> {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = (): Promise<void> | null => {
    if (stopped || running) return running;
    running = check().finally(() => (running = null));
    return running;
  };
  await tick();
  const timer = setInterval(tick, ms);
  timer.unref();
  return {
    run: async () => {
      while (running) await running;
      await tick();
    },
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
