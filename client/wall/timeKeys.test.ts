import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BIG_STEP_MS, STEP_MS, TimeTravel } from '../store/timeTravel';
import { handleTimeKey } from './timeKeys';
import { hourTicks } from './TimeMachine';

const T0 = Date.UTC(2026, 2, 11, 3, 0, 0);

function makeTt(): TimeTravel {
  return new TimeTravel({ serverNow: () => Date.now(), load: () => new Promise(() => {}), leaveLive: () => {}, returnLive: () => {} });
}
const key = (k: string, shiftKey = false) => ({ key: k, shiftKey });

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => vi.useRealTimers());

describe('the time machine’s keys', () => {
  it('leave the kiosk’s arrows alone while the bar is closed and the wall live', () => {
    const tt = makeTt();
    expect(handleTimeKey(tt, key('ArrowLeft'), false)).toBe(false);
    expect(handleTimeKey(tt, key(' '), false)).toBe(false);
    expect(handleTimeKey(tt, key('Escape'), false)).toBe(false);
    expect(tt.live).toBe(true);
  });

  it('H opens the bar; ← / Shift+← step back 1 and 15 min; + − change speed; Space plays; L is live', () => {
    const tt = makeTt();
    expect(handleTimeKey(tt, key('h'), false)).toBe(true);
    expect(tt.barOpen).toBe(true);
    handleTimeKey(tt, key('ArrowLeft'), false);
    expect(tt.target).toBe(T0 - STEP_MS);
    handleTimeKey(tt, key('ArrowLeft', true), false);
    expect(tt.target).toBe(T0 - STEP_MS - BIG_STEP_MS);
    handleTimeKey(tt, key('ArrowRight'), false);
    expect(tt.target).toBe(T0 - BIG_STEP_MS);
    handleTimeKey(tt, key('+'), false);
    expect(tt.speed).toBe(600);
    handleTimeKey(tt, key('-'), false);
    handleTimeKey(tt, key('-'), false);
    expect(tt.speed).toBe(10);
    handleTimeKey(tt, key(' '), false);
    expect(tt.playing).toBe(true);
    handleTimeKey(tt, key('L'), false);
    expect(tt.live).toBe(true);
    expect(tt.playing).toBe(false);
    tt.close();
  });

  it('Esc closes an open station card first, then leaves the past, then closes the bar', () => {
    const tt = makeTt();
    tt.step(-STEP_MS);
    expect(handleTimeKey(tt, key('Escape'), true)).toBe(false);
    expect(tt.live).toBe(false);
    expect(handleTimeKey(tt, key('Escape'), false)).toBe(true);
    expect(tt.live).toBe(true);
    expect(tt.barOpen).toBe(true);
    handleTimeKey(tt, key('Escape'), false);
    expect(tt.barOpen).toBe(false);
  });
});

describe('the slider’s hour marks', () => {
  it('fall on every third hour of UTC+7 across the range', () => {
    // 03:00 UTC is 10:00 in Hà Nội: marks at 12:00, 15:00 … and 09:00 the next day.
    const from = T0;
    const to = T0 + 24 * 3_600_000;
    const ticks = hourTicks(from, to);
    expect(ticks).toHaveLength(8);
    expect(ticks[0]).toEqual({ at: T0 + 2 * 3_600_000, x: 2 / 24 });
    for (const t of ticks) expect(((t.at / 3_600_000 + 7) % 3 + 3) % 3).toBe(0);
  });
});
