import { describe, expect, it } from 'vitest';
import { CalmView } from './calmView';

/** A store that tells its readers when `change()` is called, as the live store does once per frame. */
function fakeStore() {
  const listeners = new Set<() => void>();
  const store = {
    version: 0,
    epoch: 0,
    value: 0,
    subscribe(l: () => void) {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
    change(urgent = false) {
      store.value += 1;
      store.version += 1;
      if (urgent) store.epoch += 1;
      for (const l of [...listeners]) l();
    },
    listeners,
  };
  return store;
}

function setup(calmMs = 1000) {
  let now = 0;
  const timers: { at: number; cb: () => void; live: boolean }[] = [];
  const store = fakeStore();
  const view = new CalmView(store, {
    calmMs,
    now: () => now,
    later: (cb, ms) => {
      const t = { at: now + ms, cb, live: true };
      timers.push(t);
      return () => void (t.live = false);
    },
  });
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers.splice(0)) {
      if (!t.live) continue;
      if (t.at <= now) t.cb();
      else timers.push(t);
    }
  };
  const pendingTimers = () => timers.filter((t) => t.live).length;
  return { store, view, advance, pendingTimers };
}

describe('CalmView', () => {
  it('tells its readers at most once per interval, on a frame in which the store changed, with the newest state', () => {
    const { store, view, advance } = setup();
    const seen: number[] = [];
    view.subscribe(() => seen.push(store.value));
    // The first change is told at once: nothing was told before.
    store.change();
    expect(seen).toEqual([1]);
    // Ticks every 250 ms: held until a second has passed, then told on the tick's own frame.
    for (let k = 0; k < 3; k++) {
      advance(250);
      store.change();
    }
    expect(seen).toEqual([1]);
    advance(250);
    store.change();
    expect(seen).toEqual([1, 5]);
    // Forty ticks (ten seconds) tell ten times, not forty.
    for (let k = 0; k < 40; k++) {
      advance(250);
      store.change();
    }
    expect(seen).toHaveLength(12);
    expect(seen.at(-1)).toBe(45);
  });

  it('tells at once what must show at once (the epoch moved: a snapshot, the time machine, the connection)', () => {
    const { store, view, advance } = setup();
    let told = 0;
    view.subscribe(() => told++);
    store.change();
    advance(100);
    store.change(true);
    expect(told).toBe(2);
    advance(100);
    store.change();
    expect(told).toBe(2);
  });

  it('tells a held change by its timer when the store goes quiet, and a timer finding nothing held tells nobody', () => {
    const { store, view, advance, pendingTimers } = setup();
    let told = 0;
    const version = () => view.version;
    view.subscribe(() => told++);
    store.change();
    advance(300);
    store.change();
    expect(told).toBe(1);
    expect(pendingTimers()).toBe(1);
    advance(999);
    expect(told).toBe(1);
    advance(1);
    expect(told).toBe(2);
    expect(version()).toBe(2);
    expect(pendingTimers()).toBe(0);
    // A held change told by a later frame cancels its timer: one tell, not two.
    advance(200);
    store.change();
    advance(900);
    store.change();
    expect(told).toBe(3);
    expect(pendingTimers()).toBe(0);
    advance(5000);
    expect(told).toBe(3);
  });

  it('listens to the store only while someone reads it, and leaves no timer behind', () => {
    const { store, view, advance, pendingTimers } = setup();
    expect(store.listeners.size).toBe(0);
    const offA = view.subscribe(() => {});
    const offB = view.subscribe(() => {});
    expect(store.listeners.size).toBe(1);
    store.change();
    advance(10);
    store.change();
    expect(pendingTimers()).toBe(1);
    offA();
    expect(store.listeners.size).toBe(1);
    offB();
    expect(store.listeners.size).toBe(0);
    expect(pendingTimers()).toBe(0);
  });
});
