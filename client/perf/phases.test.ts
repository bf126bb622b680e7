import { describe, expect, it } from 'vitest';
import { PhaseClock } from './phases';

describe('PhaseClock', () => {
  it('counts a phase run inside another once: its own time, taken out of the outer one', () => {
    let t = 0;
    const clock = new PhaseClock(() => t);
    clock.time('store', () => {
      t += 2;
      clock.time('layers', () => {
        t += 5;
        clock.time('react', () => (t += 1));
      });
      t += 3;
    });
    clock.time('store', () => (t += 4));
    clock.add('draw', 7);
    expect(clock.read()).toEqual({ ms: { store: 9, notify: 0, layers: 5, draw: 7, react: 1 }, runs: { store: 2, notify: 0, layers: 1, draw: 1, react: 1 } });
  });

  it('keeps the time of a phase that threw, and starts again from nothing on reset', () => {
    let t = 0;
    const clock = new PhaseClock(() => t);
    expect(() =>
      clock.time('store', () => {
        t += 3;
        throw new Error('bad delta');
      }),
    ).toThrow('bad delta');
    clock.time('layers', () => (t += 1));
    expect(clock.read().ms).toMatchObject({ store: 3, layers: 1 });
    clock.reset();
    expect(clock.read()).toEqual({ ms: { store: 0, notify: 0, layers: 0, draw: 0, react: 0 }, runs: { store: 0, notify: 0, layers: 0, draw: 0, react: 0 } });
  });
});
