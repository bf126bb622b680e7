import { describe, expect, it } from 'vitest';
import { RateMeter } from './rateMeter';

const S = 1_800_000_000; // an epoch second

describe('RateMeter', () => {
  it('closes one sample per second, zeros for silent seconds', () => {
    const m = new RateMeter(10);
    m.add(S * 1000 + 100, 3);
    m.add(S * 1000 + 900, 2);
    m.add((S + 2) * 1000 + 5, 7);
    expect(m.history()).toEqual([
      [S, 5],
      [S + 1, 0],
    ]);
    m.roll((S + 3) * 1000);
    expect(m.history().at(-1)).toEqual([S + 2, 7]);
    expect(m.takeNew()).toHaveLength(3);
    expect(m.takeNew()).toHaveLength(0);
  });

  it('is bounded by its capacity, also across a long silence', () => {
    const m = new RateMeter(600);
    for (let s = 0; s < 2000; s++) m.add((S + s) * 1000, s);
    expect(m.size).toBe(600);
    const h = m.history();
    expect(h[0]).toEqual([S + 1399, 1399]);
    expect(h.at(-1)).toEqual([S + 1998, 1998]);
    m.roll((S + 1_000_000) * 1000);
    expect(m.size).toBe(600);
    expect(m.takeNew().length).toBeLessThanOrEqual(600);
  });

  it('averages the last five complete seconds', () => {
    const m = new RateMeter();
    for (let s = 0; s < 10; s++) m.add((S + s) * 1000, s < 5 ? 100 : 10);
    m.roll((S + 10) * 1000);
    expect(m.ratePerSec()).toBe(10);
  });
});

describe('RateMeter.restore', () => {
  it('puts back the saved seconds of the last ten minutes, leaves the restart a gap, and only into an empty meter', () => {
    const now = 1_000_000_000;
    const sec = now / 1000;
    const m = new RateMeter(600);
    const saved: [number, number][] = [
      [sec - 700, 9], // older than ten minutes: dropped
      [sec - 30, 5],
      [sec - 31, 4],
      [sec + 5, 1], // from the future (a clock that went back): dropped
    ];
    expect(m.restore(saved, now)).toBe(2);
    expect(m.history()).toEqual([
      [sec - 31, 4],
      [sec - 30, 5],
    ]);
    m.add(now + 100);
    m.add(now + 1100);
    // No zeros are made up for the 30 s the server was down.
    expect(m.history()).toEqual([
      [sec - 31, 4],
      [sec - 30, 5],
      [sec, 1],
    ]);
    expect(m.restore([[sec - 10, 3]], now + 2000)).toBe(0);
  });
});
