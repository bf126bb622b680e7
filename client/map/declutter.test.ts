import { describe, expect, it } from 'vitest';
import { declutter, placeInOrder } from './declutter';

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

describe('placeInOrder', () => {
  it('places the most important first and keeps clear of boxes already taken', () => {
    const boxes = [
      { x: 100, y: 100, width: 50, height: 20 },
      { x: 110, y: 100, width: 50, height: 20 },
      { x: 400, y: 100, width: 50, height: 20 },
    ];
    expect(placeInOrder(boxes, [1, 0, 2], viewport, 4)).toEqual([1, 2]);
    expect(placeInOrder(boxes, [1, 0, 2], viewport, 4, [{ x: 400, y: 100, width: 10, height: 10 }])).toEqual([1]);
  });
});
