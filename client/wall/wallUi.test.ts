import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FOCUS_HOLD_MS, INTERACTION_PAUSE_MS, WallUi, rotationFilled } from './wallUi';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_000_000);
});
afterEach(() => vi.useRealTimers());

function wall(rotateSec = 30) {
  const ui = new WallUi({ rotateSec });
  const stop = ui.start();
  return { ui, stop };
}

describe('WallUi kiosk rotation', () => {
  it('turns pages on the timer, each switching the map to its mode', () => {
    const { ui, stop } = wall();
    expect([ui.page, ui.mode]).toEqual(['air', 'air']);
    vi.advanceTimersByTime(30_000);
    expect([ui.page, ui.mode]).toEqual(['water', 'water']);
    vi.advanceTimersByTime(60_000);
    expect([ui.page, ui.mode]).toEqual(['fire', 'communeFire']);
    vi.advanceTimersByTime(30_000);
    expect([ui.page, ui.mode]).toEqual(['traffic', 'traffic']);
    vi.advanceTimersByTime(90_000);
    expect(ui.page).toBe('air');
    stop();
  });

  it('pauses after an interaction, then gives the page its full time', () => {
    const { ui, stop } = wall();
    vi.advanceTimersByTime(20_000);
    ui.setMode('rain24');
    vi.advanceTimersByTime(INTERACTION_PAUSE_MS + 29_000);
    expect([ui.page, ui.mode]).toEqual(['air', 'rain24']);
    vi.advanceTimersByTime(2_000);
    expect([ui.page, ui.mode]).toEqual(['water', 'water']);
    stop();
  });

  it('stays on a pinned page, and while a station card is open', () => {
    const { ui, stop } = wall();
    ui.togglePin();
    vi.advanceTimersByTime(10 * 60_000);
    expect(ui.page).toBe('air');
    ui.togglePin();
    ui.select(3);
    vi.advanceTimersByTime(10 * 60_000);
    expect(ui.page).toBe('air');
    expect(ui.highlight).toBe(3);
    ui.select(null);
    vi.advanceTimersByTime(INTERACTION_PAUSE_MS + 31_000);
    expect(ui.page).toBe('water');
    stop();
  });

  it('does not rotate with an interval of 0', () => {
    const { ui, stop } = wall(0);
    vi.advanceTimersByTime(60 * 60_000);
    expect(ui.page).toBe('air');
    stop();
  });

  it('rings a station focused in a list, and an open card wins over it', () => {
    const { ui, stop } = wall();
    const seen: (number | null)[] = [];
    ui.subscribe(() => seen.push(ui.highlight));
    ui.focusStation(5);
    ui.select(7);
    ui.focusStation(6);
    expect(ui.highlight).toBe(7);
    ui.select(null);
    expect(ui.highlight).toBe(6);
    expect(seen).toEqual([5, 7, 6]);
    stop();
  });

  it('holds an alarm focus for a while, then lets go', () => {
    const { ui, stop } = wall();
    ui.setFocus({ lon: 108.8, lat: 15.1, label: 'Trà Khúc vượt BĐ III' });
    vi.advanceTimersByTime(FOCUS_HOLD_MS - 1_000);
    expect(ui.focusPoint).not.toBeNull();
    vi.advanceTimersByTime(2_000);
    expect(ui.focusPoint).toBeNull();
    stop();
  });

  it('Esc closes the card first, then lets go of an alarm focus', () => {
    const { ui, stop } = wall();
    ui.setFocus({ lon: 108.8, lat: 15.1 });
    ui.select(2);
    ui.escape();
    expect([ui.selected, ui.focusPoint !== null]).toEqual([null, true]);
    ui.escape();
    expect(ui.focusPoint).toBeNull();
    stop();
  });
});

describe('rotation bar', () => {
  it('fills in half-second steps from empty at the page change to full at the next', () => {
    const next = 100_000;
    expect(rotationFilled(next, next - 30_000, 30)).toBe(0);
    expect(rotationFilled(next, next - 29_600, 30)).toBe(0);
    expect(rotationFilled(next, next - 29_500, 30)).toBeCloseTo(1 / 60, 9);
    expect(rotationFilled(next, next - 15_200, 30)).toBeCloseTo(14_500 / 30_000, 9);
    expect(rotationFilled(next, next, 30)).toBe(1);
    // Late timers and clock jumps stay within the bar; no rotation, no fill.
    expect(rotationFilled(next, next + 5_000, 30)).toBe(1);
    expect(rotationFilled(next, next - 60_000, 30)).toBe(0);
    expect(rotationFilled(next, next - 1_000, 0)).toBe(0);
  });
});

describe('rotation held while the wall shows the past', () => {
  it('keeps the page while held and turns again after release', () => {
    let t = 0;
    const ui = new WallUi({ rotateSec: 10, now: () => t, page: 'air' });
    ui.setHeld(true);
    t = 60_000;
    ui.tick();
    expect(ui.page).toBe('air');
    ui.setHeld(false);
    t += 10_000;
    ui.tick();
    expect(ui.page).not.toBe('air');
  });
});
