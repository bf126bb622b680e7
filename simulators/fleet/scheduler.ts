/**
 * A time-ordered queue (binary min-heap) of the next report of each device, walked by one shared
 * timer. It holds one entry per device, so its size is bounded by the fleet.
 */
export class DueQueue<T> {
  private readonly dues: number[] = [];
  private readonly items: T[] = [];

  get size(): number {
    return this.dues.length;
  }

  push(due: number, item: T): void {
    this.dues.push(due);
    this.items.push(item);
    this.up(this.dues.length - 1);
  }

  /** The earliest due time, or Infinity when empty. */
  peekDue(): number {
    return this.dues.length > 0 ? this.dues[0]! : Infinity;
  }

  /** Removes and returns the earliest entry. */
  pop(): { due: number; item: T } | undefined {
    const n = this.dues.length;
    if (n === 0) return undefined;
    const due = this.dues[0]!;
    const item = this.items[0]!;
    const lastDue = this.dues.pop()!;
    const lastItem = this.items.pop()!;
    if (n > 1) {
      this.dues[0] = lastDue;
      this.items[0] = lastItem;
      this.down(0);
    }
    return { due, item };
  }

  clear(): void {
    this.dues.length = 0;
    this.items.length = 0;
  }

  private swap(a: number, b: number): void {
    const d = this.dues[a]!;
    this.dues[a] = this.dues[b]!;
    this.dues[b] = d;
    const it = this.items[a]!;
    this.items[a] = this.items[b]!;
    this.items[b] = it;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.dues[parent]! <= this.dues[i]!) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.dues.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.dues[l]! < this.dues[m]!) m = l;
      if (r < n && this.dues[r]! < this.dues[m]!) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}

/**
 * The next due time after `due` on the device's own grid that is later than `now`: a process that
 * stalled skips the missed reports instead of sending a burst.
 */
export function nextDue(due: number, interval: number, now: number): number {
  const next = due + interval;
  if (next > now) return next;
  return due + (Math.floor((now - due) / interval) + 1) * interval;
}
