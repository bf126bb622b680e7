/** The views' ticking clock in happy-dom: it follows the first frame and a rehearsal's speed. */
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { syncClock } from '../store/clock';
import { useServerNow } from './useNow';

const T = Date.UTC(2026, 2, 11, 3, 0, 0);
const LOCAL = Date.UTC(2026, 11, 7, 15, 0, 0);
const rehearsal = (speed: number) => ({ mode: 'rehearsal' as const, synced: true, speed, scenario: 'flash-flood', phase: null });

let host: HTMLDivElement;
let root: Root;
let shown: number[];

function Probe() {
  const now = useServerNow(30_000);
  shown.push(now);
  return null;
}

beforeEach(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  vi.useFakeTimers({ now: LOCAL });
  host = document.createElement('div');
  root = createRoot(host);
  shown = [];
});

afterEach(() => {
  act(() => root.unmount());
  syncClock(0, { mode: 'live' });
  vi.useRealTimers();
});

describe('useServerNow', () => {
  it('moves to a rehearsal’s simulated time at its first frame, not 30 s later', () => {
    act(() => root.render(<Probe />));
    expect(shown.at(-1)).toBe(LOCAL);
    act(() => syncClock(T, rehearsal(600)));
    expect(shown.at(-1)).toBe(T);
  });

  it('reads a 600× rehearsal’s clock once a second, not once every 30 s (five simulated hours)', () => {
    act(() => syncClock(T, rehearsal(600)));
    act(() => root.render(<Probe />));
    act(() => vi.advanceTimersByTime(1_000));
    expect(shown.at(-1)).toBe(T + 600_000);
    act(() => vi.advanceTimersByTime(1_000));
    expect(shown.at(-1)).toBe(T + 1_200_000);
  });

  it('reads a live clock every 30 s', () => {
    act(() => syncClock(LOCAL, { mode: 'live' }));
    act(() => root.render(<Probe />));
    const renders = shown.length;
    act(() => vi.advanceTimersByTime(29_000));
    expect(shown.length).toBe(renders);
    act(() => vi.advanceTimersByTime(1_000));
    expect(shown.at(-1)).toBe(LOCAL + 30_000);
  });
});
