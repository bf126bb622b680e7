import { describe, expect, it } from 'vitest';
import { fakeBeat } from '../test-support/fakeBeat';
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

function setup() {
  const { beat, advance, liveTimers } = fakeBeat(10_000);
  const store = fakeStore();
  // As the wall wires it: every frame of the store nudges the beat.
  store.subscribe(() => beat.nudge());
  return { store, view: new CalmView(store, beat), advance, liveTimers };
}

describe('CalmView', () => {
  it('tells its readers once a second, on the beat of the first frame of the second, with the newest state', () => {
    const { store, view, advance } = setup();
    const seen: number[] = [];
    view.subscribe(() => seen.push(store.value));
    // Ticks every 250 ms from 10.25 s to 20 s: forty changes over eleven seconds, eleven tells, each on the
    // first tick of its second (10.25, 11.0, 12.0, …).
    for (let k = 0; k < 40; k++) {
      advance(250);
      store.change();
    }
    expect(seen).toHaveLength(11);
    expect(seen.slice(0, 3)).toEqual([1, 4, 8]);
  });

  it('tells at once what must show at once (the epoch moved: a snapshot, the time machine, the connection)', () => {
    const { store, view, advance } = setup();
    let told = 0;
    view.subscribe(() => told++);
    advance(100);
    store.change();
    expect(told).toBe(1);
    advance(100);
    store.change(true);
    expect(told).toBe(2);
    advance(100);
    store.change();
    expect(told).toBe(2);
  });

  it('tells a change the feed left behind on the timer’s beat, and nothing when nothing changed', () => {
    const { store, view, advance } = setup();
    let told = 0;
    view.subscribe(() => told++);
    advance(100);
    store.change();
    advance(100);
    store.change();
    expect(told).toBe(1);
    // No more frames: the timer's beat at 11.3 s tells the held change, and later beats tell nothing.
    advance(1_100);
    expect(told).toBe(2);
    advance(5_000);
    expect(told).toBe(2);
  });

  it('listens to the store and the beat only while someone reads it', () => {
    const { store, view, liveTimers } = setup();
    expect(store.listeners.size).toBe(1);
    const offA = view.subscribe(() => {});
    const offB = view.subscribe(() => {});
    expect(store.listeners.size).toBe(2);
    expect(liveTimers()).toBe(1);
    offA();
    offB();
    expect(store.listeners.size).toBe(1);
    expect(liveTimers()).toBe(0);
  });
});
