/**
 * The wall's forest fire danger per commune (cấp dự báo cháy rừng I–V, QĐ 127/2000/QĐ-BNN-KL): every commune
 * with forest from the snapshot, then the communes a delta names, whole (levels step once a day, after 13:00).
 * Owned by LiveStore, which turns the dirty flags into versions once per animation frame. A map by commune
 * code, bounded by the snapshot's communes; phường have no forest and are never in it.
 */
import type { CommuneFire, FireDangerRule, FireLevel, FireSnapshot } from '../../shared/fireDanger';

/** A commune's level as shown: 0 before its first daily step (no 13:00 observation yet), never a guessed I. */
export function shownFireLevel(c: CommuneFire): 0 | FireLevel {
  return c.day === null ? 0 : c.level;
}

export class FireState {
  readonly communes = new Map<string, CommuneFire>();
  /** The province's bands of P and rain reset; null before a snapshot with fire danger. */
  rule: FireDangerRule | null = null;
  /** Where the bands come from (the legend says it). */
  source: string | null = null;
  /** Whether the bands were checked against the province's decision. */
  verified = false;
  /** Whether the last snapshot carried fire danger at all (a server without it, or the time machine's past). */
  available = false;
  /** Moves with any change (the legend's and the page's trigger). */
  version = 0;
  /** Moves only when some commune's shown level changed: what the map colours and names by. */
  levelVersion = 0;
  dirty = false;
  dirtyLevels = false;

  /** A snapshot's communes replace everything; a snapshot without fire danger leaves none. */
  applySnapshot(fire: FireSnapshot | undefined): void {
    this.communes.clear();
    for (const c of fire?.communes ?? []) this.communes.set(c.code, c);
    this.available = fire !== undefined;
    this.rule = fire?.rule ?? null;
    this.source = fire?.source ?? null;
    this.verified = fire?.verified ?? false;
    this.dirty = this.dirtyLevels = true;
  }

  /**
   * The communes that took their daily step. A code the snapshot did not have means the two are out of step:
   * skipped rather than grow the map (the next snapshot brings it).
   */
  applyDelta(list: readonly CommuneFire[] | undefined): void {
    if (!list || list.length === 0) return;
    for (const c of list) {
      const prev = this.communes.get(c.code);
      if (!prev || sameFire(prev, c)) continue;
      this.communes.set(c.code, c);
      this.dirty = true;
      if (shownFireLevel(prev) !== shownFireLevel(c)) this.dirtyLevels = true;
    }
  }

  /** Communes per shown level: index 0 not yet stepped, then I to V. */
  countByLevel(): [number, number, number, number, number, number] {
    const n: [number, number, number, number, number, number] = [0, 0, 0, 0, 0, 0];
    for (const c of this.communes.values()) n[shownFireLevel(c)]++;
    return n;
  }

  /** Called by LiveStore's frame flush. */
  commit(): void {
    if (this.dirty) this.version++;
    if (this.dirtyLevels) this.levelVersion++;
    this.dirty = this.dirtyLevels = false;
  }
}

function sameFire(a: CommuneFire, b: CommuneFire): boolean {
  return a.level === b.level && a.p === b.p && a.dryDays === b.dryDays && a.day === b.day;
}
