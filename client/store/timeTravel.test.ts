import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BIG_STEP_MS, MIN_LOAD_GAP_MS, STEP_MS, TIME_RANGE_MS, TimeTravel } from './timeTravel';

/** Server time runs 3 days ahead of this machine (a rehearsal's clock, say): the range must follow it. */
const SERVER_OFFSET = 3 * 86_400_000;
const T0 = Date.UTC(2026, 2, 11, 3, 0, 0);

interface Harness {
  tt: TimeTravel;
  loads: { at: number; signal: AbortSignal; resolve: () => void; reject: (e: Error) => void }[];
  calls: string[];
  serverNow: () => number;
}

function makeTimeTravel(options: { autoResolve?: boolean } = {}): Harness {
  const loads: Harness['loads'] = [];
  const calls: string[] = [];
  const serverNow = () => Date.now() + SERVER_OFFSET;
  const tt = new TimeTravel({
    serverNow,
    localNow: () => Date.now(),
    load: (at, signal) =>
      new Promise<void>((resolve, reject) => {
        loads.push({ at, signal, resolve, reject });
        if (options.autoResolve) resolve();
      }),
    leaveLive: () => calls.push('leaveLive'),
    returnLive: () => calls.push('returnLive'),
  });
  return { tt, loads, calls, serverNow };
}

/** Lets resolved loads settle (their `then` runs in a microtask). */
const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the wall’s time machine', () => {
  it('starts live, with a range of the last 24 h of server time', () => {
    const { tt, serverNow } = makeTimeTravel();
    expect(tt.live).toBe(true);
    expect(tt.range()).toEqual({ from: serverNow() - TIME_RANGE_MS, to: serverNow() });
    // Stepping forward from live is a no-op (there is no future).
    tt.step(STEP_MS);
    expect(tt.live).toBe(true);
  });

  it('steps back a minute (or 15) from server now, leaving live once, and loads that instant', async () => {
    const { tt, loads, calls, serverNow } = makeTimeTravel({ autoResolve: true });
    const now = serverNow();
    tt.step(-STEP_MS);
    expect(tt.live).toBe(false);
    expect(tt.barOpen).toBe(true);
    expect(tt.target).toBe(now - STEP_MS);
    expect(calls).toEqual(['leaveLive']);
    expect(loads.map((l) => l.at)).toEqual([now - STEP_MS]);
    await settle();
    expect(tt.shownAt).toBe(now - STEP_MS);
    await vi.advanceTimersByTimeAsync(MIN_LOAD_GAP_MS);
    tt.step(-BIG_STEP_MS);
    expect(tt.target).toBe(now - STEP_MS - BIG_STEP_MS);
    expect(calls).toEqual(['leaveLive']);
  });

  it('clamps to 24 h ago, and stepping forward into the present goes live and resubscribes', async () => {
    const { tt, calls, serverNow } = makeTimeTravel({ autoResolve: true });
    tt.seek(serverNow() - 30 * 3_600_000);
    expect(tt.target).toBe(serverNow() - TIME_RANGE_MS);
    tt.seek(serverNow() - 30_000);
    await settle();
    tt.step(STEP_MS);
    expect(tt.live).toBe(true);
    expect(tt.target).toBeNull();
    expect(tt.shownAt).toBeNull();
    expect(calls).toEqual(['leaveLive', 'returnLive']);
  });

  it('keeps one load in flight and at most two a second, loading the newest instant asked for', async () => {
    const { tt, loads, serverNow } = makeTimeTravel();
    const now = serverNow();
    tt.step(-STEP_MS);
    tt.step(-STEP_MS);
    tt.step(-STEP_MS);
    expect(loads).toHaveLength(1);
    // The first answers at once: the next may not start before the gap.
    loads[0]!.resolve();
    await settle();
    expect(tt.shownAt).toBe(now - STEP_MS);
    expect(loads).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(MIN_LOAD_GAP_MS - 1);
    expect(loads).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    // The instants in between are skipped.
    expect(loads.map((l) => l.at)).toEqual([now - STEP_MS, now - 3 * STEP_MS]);
    // A slow answer holds the next one back however long it takes.
    tt.step(-STEP_MS);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(loads).toHaveLength(2);
    loads[1]!.resolve();
    await settle();
    // …and the next one rests as long as that answer took (5 s).
    expect(loads).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(loads.map((l) => l.at)).toEqual([now - STEP_MS, now - 3 * STEP_MS, now - 4 * STEP_MS]);
  });

  it('rests after a slow answer as long as it took: a slow server gets at most half its time taken', async () => {
    const { tt, loads, serverNow } = makeTimeTravel();
    const now = serverNow();
    tt.step(-STEP_MS);
    tt.step(-STEP_MS);
    // The answer takes 2 s.
    await vi.advanceTimersByTimeAsync(2_000);
    loads[0]!.resolve();
    await settle();
    await vi.advanceTimersByTimeAsync(1_999);
    expect(loads).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(loads.map((l) => l.at)).toEqual([now - STEP_MS, now - 2 * STEP_MS]);
  });

  it('plays forward at the speed, bounded to two loads a second even at ×3600', async () => {
    const { tt, loads, serverNow } = makeTimeTravel({ autoResolve: true });
    const start = serverNow() - 20 * 3_600_000;
    tt.seek(start);
    tt.changeSpeed(1);
    tt.changeSpeed(1);
    expect(tt.speed).toBe(3600);
    tt.togglePlay();
    expect(tt.playing).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    // Ten real seconds at ×3600: ten hours later.
    expect(tt.target).toBe(start + 10 * 3_600_000);
    expect(loads.length).toBeLessThanOrEqual(1 + 10_000 / MIN_LOAD_GAP_MS);
    expect(loads.length).toBeGreaterThan(10);
    for (let k = 1; k < loads.length; k++) expect(loads[k]!.at).toBeGreaterThan(loads[k - 1]!.at);
    tt.togglePlay();
    const paused = tt.target;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(tt.target).toBe(paused);
  });

  it('changes speed mid-play without jumping, within 1× … 3600×', async () => {
    const { tt, serverNow } = makeTimeTravel({ autoResolve: true });
    const start = serverNow() - 10 * 3_600_000;
    tt.seek(start);
    for (let k = 0; k < 5; k++) tt.changeSpeed(-1);
    expect(tt.speed).toBe(1);
    tt.togglePlay();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(tt.target).toBe(start + 2_000);
    tt.changeSpeed(1);
    expect(tt.speed).toBe(10);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(tt.target).toBe(start + 2_000 + 10_000);
    for (let k = 0; k < 9; k++) tt.changeSpeed(1);
    expect(tt.speed).toBe(3600);
  });

  it('playing into the present goes live by itself', async () => {
    const { tt, calls, serverNow } = makeTimeTravel({ autoResolve: true });
    tt.seek(serverNow() - 60_000);
    tt.togglePlay();
    // ×60 by default: a minute of the past in one real second (the present moves on by a second meanwhile).
    await vi.advanceTimersByTimeAsync(1_500);
    expect(tt.live).toBe(true);
    expect(tt.playing).toBe(false);
    expect(calls).toEqual(['leaveLive', 'returnLive']);
  });

  it('going live aborts a load in flight and ignores its answer', async () => {
    const { tt, loads } = makeTimeTravel();
    tt.step(-STEP_MS);
    tt.goLive();
    expect(loads[0]!.signal.aborted).toBe(true);
    loads[0]!.resolve();
    await settle();
    expect(tt.shownAt).toBeNull();
    expect(tt.live).toBe(true);
  });

  it('a failed load says why, keeps what is shown and stops playing', async () => {
    const { tt, loads } = makeTimeTravel();
    tt.step(-STEP_MS);
    loads[0]!.resolve();
    await settle();
    const shown = tt.shownAt;
    tt.togglePlay();
    await vi.advanceTimersByTimeAsync(MIN_LOAD_GAP_MS);
    loads.at(-1)!.reject(new Error('HTTP 500'));
    await settle();
    expect(tt.error).toBe('HTTP 500');
    expect(tt.playing).toBe(false);
    expect(tt.shownAt).toBe(shown);
  });
});
