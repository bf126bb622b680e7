/** Reading a Chrome trace (Playwright's browser.startTracing) for the frame-rate part. */

interface TraceEvent {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  args?: { name?: string };
}

/**
 * Top-level tasks per thread from a Chrome trace: each thread's busy ms per second of the trace's own span
 * (its first event to its last). A task inside another of the same thread (a nested run loop) is not counted
 * again; threads of one name (a pool's workers) add up.
 */
export function threadBusy(trace: Buffer): Record<string, number> {
  const { traceEvents } = JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] };
  const names = new Map<string, string>();
  for (const e of traceEvents) if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name) names.set(`${e.pid}:${e.tid}`, e.args.name);
  const tasks = traceEvents
    .filter((e): e is TraceEvent & { ts: number; dur: number } => e.ph === 'X' && e.ts !== undefined && e.dur !== undefined && /RunTask$/.test(e.name))
    .sort((a, b) => a.ts - b.ts);
  if (tasks.length === 0) return {};
  const from = tasks[0]!.ts;
  const to = Math.max(...tasks.map((e) => e.ts + e.dur));
  const seconds = (to - from) / 1e6;
  const busyUntil = new Map<string, number>();
  const busy: Record<string, number> = {};
  for (const e of tasks) {
    const thread = `${e.pid}:${e.tid}`;
    if (e.ts < (busyUntil.get(thread) ?? -Infinity)) continue;
    busyUntil.set(thread, e.ts + e.dur);
    const name = (names.get(thread) ?? `thread ${e.tid}`).replace(/\d+$/, '');
    busy[name] = (busy[name] ?? 0) + e.dur / 1000 / seconds;
  }
  return busy;
}
