/**
 * Counts recent single-alarm raises per (rule, commune) to decide when a storm starts. Bounded twice: each
 * key keeps only the last `threshold` raise times (all that the decision needs), and the number of keys is
 * capped, the least recently raised key going first.
 */
export class StormWindow {
  private readonly times = new Map<string, number[]>();

  constructor(
    private readonly maxKeys = 10_000,
  ) {}

  /** Whether `threshold` raises already happened in (now − windowMs, now]. */
  isStorm(key: string, now: number, threshold: number, windowMs: number): boolean {
    const t = this.times.get(key);
    if (!t) return false;
    let n = 0;
    for (const x of t) if (now - x < windowMs) n++;
    return n >= threshold;
  }

  record(key: string, now: number, threshold: number): void {
    let t = this.times.get(key);
    if (t) this.times.delete(key);
    else t = [];
    t.push(now);
    if (t.length > threshold) t.splice(0, t.length - threshold);
    this.times.set(key, t); // re-inserted: Map order is least recently raised first
    while (this.times.size > this.maxKeys) this.times.delete(this.times.keys().next().value!);
  }

  /** Drops keys with no raise inside the window; called from the engine's tick. */
  prune(now: number, windowMs: number): void {
    for (const [k, t] of this.times) if (now - t[t.length - 1]! >= windowMs) this.times.delete(k);
  }

  get size(): number {
    return this.times.size;
  }
}
