import { describe, expect, it } from 'vitest';
import { HISTORY_MAX_KEYS, StationHistory } from './stationHistory';

describe('StationHistory', () => {
  it('keeps the last `capacity` readings and returns a series in time order', () => {
    const h = new StationHistory(4);
    for (let k = 1; k <= 6; k++) h.push(k * 1000, k % 2 === 0 ? { a: k, b: -k } : { a: k });
    expect(h.size).toBe(4);
    expect(h.series('a', 0)).toEqual([
      [3000, 3],
      [4000, 4],
      [5000, 5],
      [6000, 6],
    ]);
    // A name missing from a reading is a gap, not a stale value from the slot's previous reading.
    expect(h.series('b', 0)).toEqual([
      [4000, -4],
      [6000, -6],
    ]);
    expect(h.series('a', 4000, 5000)).toEqual([
      [4000, 4],
      [5000, 5],
    ]);
    expect(h.series('nope', 0)).toEqual([]);
  });

  it('sorts late (backfill) readings into place and downsamples to bucket means', () => {
    const h = new StationHistory(10);
    h.push(60_000, { w: 2 });
    h.push(0, { w: 1 });
    h.push(30_000, { w: 3 });
    expect(h.series('w', 0).map(([t]) => t)).toEqual([0, 30_000, 60_000]);
    expect(h.downsample('w', 0, 120_000, 60_000)).toEqual([
      [0, 2],
      [60_000, 2],
    ]);
  });

  it('lists only names still in the ring, and keeps at most HISTORY_MAX_KEYS of them', () => {
    const h = new StationHistory(2);
    h.push(1, { old: 1 });
    h.push(2, { x: 1 });
    h.push(3, { x: 2 });
    expect(h.keys()).toEqual(['x']);
    const many: Record<string, number> = {};
    for (let k = 0; k < HISTORY_MAX_KEYS + 10; k++) many[`k${k}`] = k;
    const g = new StationHistory(2);
    g.push(4, many);
    expect(g.keys().length).toBe(HISTORY_MAX_KEYS);
    expect(g.series(`k${HISTORY_MAX_KEYS + 5}`, 0)).toEqual([]);
    expect(g.series('k0', 0)).toEqual([[4, 0]]);
  });
});
