/**
 * Greedy label placement in screen space. deck.gl's TextLayer has no collision detection, and on
 * a wall the view is static, so placing once per view change is enough. Labels in sparse areas go
 * first, which keeps the most names on screen; in the dense city wards some are dropped.
 */
export interface LabelBox {
  /** Screen position of the label's centre (CSS px). */
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Returns the indices of the boxes to show, none overlapping (with `gap` px between them). */
export function declutter(boxes: readonly LabelBox[], viewport: { width: number; height: number }, gap = 4): number[] {
  const inside = (b: LabelBox) =>
    b.x - b.width / 2 >= 0 && b.x + b.width / 2 <= viewport.width && b.y - b.height / 2 >= 0 && b.y + b.height / 2 <= viewport.height;
  const overlaps = (a: LabelBox, b: LabelBox) =>
    Math.abs(a.x - b.x) * 2 < a.width + b.width + 2 * gap && Math.abs(a.y - b.y) * 2 < a.height + b.height + 2 * gap;

  const crowding = boxes.map((a, k) => {
    let n = 0;
    for (let j = 0; j < boxes.length; j++) if (j !== k && overlaps(a, boxes[j]!)) n++;
    return n;
  });
  const order = boxes.map((_, k) => k).filter((k) => inside(boxes[k]!));
  order.sort((a, b) => crowding[a]! - crowding[b]! || a - b);

  const placed: number[] = [];
  for (const k of order) {
    const box = boxes[k]!;
    if (placed.every((j) => !overlaps(box, boxes[j]!))) placed.push(k);
  }
  return placed.sort((a, b) => a - b);
}
