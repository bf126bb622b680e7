import { afterEach, describe, expect, it } from 'vitest';
import { appNow, clockInfo, serverNow, setViewedAt, subscribeClock, syncClock, viewedAt } from './clock';

const T = Date.UTC(2026, 2, 11, 3, 0, 0);

afterEach(() => {
  setViewedAt(null);
  syncClock(0, { mode: 'live' });
});

describe('the views’ clock', () => {
  it('is the machine’s clock when the server is live', () => {
    syncClock(T, { mode: 'live' }, 1_000);
    expect(appNow(5_000)).toBe(5_000);
    expect(clockInfo()).toEqual({ mode: 'live' });
  });

  it('runs on from the last frame’s simulated time at the rehearsal’s speed', () => {
    syncClock(T, { mode: 'rehearsal', synced: true, speed: 60, scenario: 'flood', phase: null }, 1_000);
    // Two real seconds later: two simulated minutes later.
    expect(appNow(3_000)).toBe(T + 120_000);
    syncClock(T + 300_000, { mode: 'rehearsal', synced: true, speed: 60, scenario: 'flood', phase: null }, 10_000);
    expect(appNow(10_500)).toBe(T + 330_000);
  });

  it('tells its subscribers when the mode or the speed changes, not on every frame', () => {
    let calls = 0;
    const off = subscribeClock(() => calls++);
    syncClock(T, { mode: 'live' }, 1);
    syncClock(T, { mode: 'rehearsal', synced: true, speed: 60, scenario: 'flood', phase: null }, 2);
    syncClock(T + 1, { mode: 'rehearsal', synced: true, speed: 60, scenario: 'flood', phase: null }, 3);
    syncClock(T + 2, { mode: 'rehearsal', synced: true, speed: 600, scenario: 'flood', phase: null }, 4);
    off();
    expect(calls).toBe(2);
  });

  it('shows a past instant to the views while the server’s now runs on from the last live frame', () => {
    syncClock(T, { mode: 'live' }, 1_000);
    let calls = 0;
    const off = subscribeClock(() => calls++);
    setViewedAt(T - 3_600_000);
    expect(viewedAt()).toBe(T - 3_600_000);
    expect(appNow(4_000)).toBe(T - 3_600_000);
    // The range's end is the server's time (its last frame plus the time since), not this machine's.
    expect(serverNow(4_000)).toBe(T + 3_000);
    setViewedAt(null);
    off();
    expect(calls).toBe(2);
    expect(appNow(4_000)).toBe(4_000);
    syncClock(T, { mode: 'rehearsal', synced: true, speed: 60, scenario: 'flood', phase: null }, 1_000);
    expect(serverNow(2_000)).toBe(T + 60_000);
  });
});
