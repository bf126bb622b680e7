/**
 * Greedy label placement in screen space. deck.gl's TextLayer has no collision detection, and on
 * a wall the view is static, so placing once per view (or data) change is enough.
 */
export interface LabelBox {
  /** Screen position of the label's centre (CSS px). */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Viewport {
  width: number;
  height: number;
}

function inside(b: LabelBox, viewport: Viewport): boolean {
  return b.x - b.width / 2 >= 0 && b.x + b.width / 2 <= viewport.width && b.y - b.height / 2 >= 0 && b.y + b.height / 2 <= viewport.height;
}

export function overlaps(a: LabelBox, b: LabelBox, gap: number): boolean {
  return Math.abs(a.x - b.x) * 2 < a.width + b.width + 2 * gap && Math.abs(a.y - b.y) * 2 < a.height + b.height + 2 * gap;
}

/**
 * Returns the indices of the boxes to show, none overlapping (with `gap` px between them) nor any of
 * `taken`. Labels in sparse areas go first, which keeps the most names on screen; in the dense city
 * wards some are dropped.
 */
export function declutter(boxes: readonly LabelBox[], viewport: Viewport, gap = 4, taken: readonly LabelBox[] = []): number[] {
  const crowding = boxes.map((a, k) => {
    let n = 0;
    for (let j = 0; j < boxes.length; j++) if (j !== k && overlaps(a, boxes[j]!, gap)) n++;
    return n;
  });
  const order = boxes.map((_, k) => k);
  order.sort((a, b) => crowding[a]! - crowding[b]! || a - b);
  return placeInOrder(boxes, order, viewport, gap, taken).sort((a, b) => a - b);
}

/**
 * Places boxes in the given order of importance: each one that fits (inside the view, clear of what is
 * already placed and of `taken`) is kept. Returns the kept indices in placement order.
 */
export function placeInOrder(
  boxes: readonly LabelBox[],
  order: readonly number[],
  viewport: Viewport,
  gap: number,
  taken: readonly LabelBox[] = [],
): number[] {
  const placed: number[] = [];
  for (const k of order) {
    const box = boxes[k]!;
    if (!inside(box, viewport)) continue;
    if (taken.some((t) => overlaps(box, t, gap))) continue;
    if (placed.every((j) => !overlaps(box, boxes[j]!, gap))) placed.push(k);
  }
  return placed;
}
