import { describe, expect, it } from 'vitest';
import { fakeBeat } from '../test-support/fakeBeat';

describe('Beat', () => {
  it('beats once a second: on the first live frame of the second, else by its timer 300 ms in', () => {
    const { beat, advance, now } = fakeBeat(10_000);
    const seen: [number, number][] = [];
    const move = advance;
    beat.subscribe((s) => seen.push([s, now()]));
    // Frames every 250 ms from 10.1 s: the first of each second beats, the others do not.
    move(100);
    for (let k = 0; k < 8; k++) {
      beat.nudge();
      move(250);
    }
    expect(seen).toEqual([
      [10, 10_100],
      [11, 11_100],
    ]);
    // The feed stops: the timer beats 300 ms into each second.
    move(2_000);
    expect(seen.slice(2)).toEqual([
      [12, 12_300],
      [13, 13_300],
    ]);
    // A frame in a second that already had its beat does nothing.
    move(300);
    expect(seen.at(-1)).toEqual([14, 14_300]);
    beat.nudge();
    expect(seen).toHaveLength(5);
  });

  it('runs its timer only while someone listens', () => {
    const { beat, advance, liveTimers } = fakeBeat();
    let n = 0;
    const off = beat.subscribe(() => n++);
    advance(2_500);
    expect(n).toBe(3);
    expect(liveTimers()).toBe(1);
    off();
    expect(liveTimers()).toBe(0);
    beat.nudge();
    advance(5_000);
    expect(n).toBe(3);
  });
});
