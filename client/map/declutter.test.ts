import { describe, expect, it } from 'vitest';
import { declutter } from './declutter';

const viewport = { width: 1000, height: 1000 };

describe('declutter', () => {
  it('keeps labels that do not touch and drops overlapping ones', () => {
    const kept = declutter(
      [
        { x: 100, y: 100, width: 80, height: 20 },
        { x: 120, y: 105, width: 80, height: 20 },
        { x: 500, y: 500, width: 80, height: 20 },
      ],
      viewport,
    );
    expect(kept).toHaveLength(2);
    expect(kept).toContain(2);
  });

  it('prefers labels in sparse places, so a crowded cluster does not blank out its neighbours', () => {
    // 1 overlaps both 0 and 2; 0 and 2 do not overlap each other: keep 0 and 2.
    const kept = declutter(
      [
        { x: 100, y: 100, width: 100, height: 20 },
        { x: 190, y: 100, width: 100, height: 20 },
        { x: 280, y: 100, width: 100, height: 20 },
      ],
      viewport,
    );
    expect(kept).toEqual([0, 2]);
  });

  it('drops labels that would be cut by the edge of the map', () => {
    expect(declutter([{ x: 10, y: 500, width: 80, height: 20 }], viewport)).toEqual([]);
  });
});
