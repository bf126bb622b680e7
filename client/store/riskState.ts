/**
 * The wall's disaster risk level per commune (cấp độ rủi ro thiên tai, QĐ 18/2021/QĐ-TTg): every commune
 * from the snapshot, then the communes a delta names, whole. Owned by LiveStore, which turns the dirty flag
 * into `version` once per animation frame. A map by commune code, bounded by the snapshot's communes.
 */
import { riskHazards, type CommuneRisk, type RiskSnapshot } from '../../shared/communeRisk';

export class RiskState {
  readonly communes = new Map<string, CommuneRisk>();
  /** True while the susceptibility classes are a stand-in, not the province's official zoning. */
  provisional = false;
  /** Where the susceptibility classes come from (the legend says it); null before a snapshot with risk. */
  susceptibilitySource: string | null = null;
  /** Flood levels (Điều 45): how many gauges feed them and whether their khu vực and communes are checked. */
  flood: RiskSnapshot['flood'] = null;
  /** Whether the last snapshot carried risk levels at all (a server without them, or the time machine's past). */
  available = false;
  /** Moves with any change (the legend's trigger). */
  version = 0;
  /**
   * Moves only when some commune's level changed: what the map colours and names by. In a storm the rain
   * behind the levels changes every tick, the levels far less often.
   */
  levelVersion = 0;
  dirty = false;
  dirtyLevels = false;

  /** A snapshot's levels replace everything; a snapshot without them leaves none. */
  applySnapshot(risk: RiskSnapshot | undefined): void {
    this.communes.clear();
    for (const c of risk?.communes ?? []) this.communes.set(c.code, c);
    this.available = risk !== undefined;
    this.provisional = risk?.provisional ?? false;
    this.susceptibilitySource = risk?.susceptibilitySource ?? null;
    this.flood = risk?.flood ?? null;
    this.dirty = this.dirtyLevels = true;
  }

  /**
   * The communes whose level or inputs changed. A code the snapshot did not have means the two are out of
   * step: skipped rather than grow the map (the next snapshot brings it).
   */
  applyDelta(list: readonly CommuneRisk[] | undefined): void {
    if (!list || list.length === 0) return;
    for (const c of list) {
      const prev = this.communes.get(c.code);
      if (!prev || sameRisk(prev, c)) continue;
      this.communes.set(c.code, c);
      this.dirty = true;
      if (prev.level !== c.level) this.dirtyLevels = true;
    }
  }

  /** Communes per level, index 0 (below level 1) to 5. */
  countByLevel(): [number, number, number, number, number, number] {
    const n: [number, number, number, number, number, number] = [0, 0, 0, 0, 0, 0];
    for (const c of this.communes.values()) n[c.level]++;
    return n;
  }

  /** Communes at level 1 or more by the hazard that sets their level (both when they are equal). */
  countByHazard(): { flashFlood: number; flood: number } {
    const n = { flashFlood: 0, flood: 0 };
    for (const c of this.communes.values()) for (const h of riskHazards(c)) n[h]++;
    return n;
  }

  /** Called by LiveStore's frame flush. */
  commit(): void {
    if (this.dirty) this.version++;
    if (this.dirtyLevels) this.levelVersion++;
    this.dirty = this.dirtyLevels = false;
  }
}

function sameRisk(a: CommuneRisk, b: CommuneRisk): boolean {
  return (
    a.level === b.level &&
    a.flashFlood === b.flashFlood &&
    a.flood === b.flood &&
    a.floodClause === b.floodClause &&
    a.floodStation === b.floodStation &&
    a.rain24h === b.rain24h &&
    a.antecedentRainDays === b.antecedentRainDays &&
    a.rainFrom === b.rainFrom &&
    a.susceptibility === b.susceptibility &&
    a.zone === b.zone
  );
}
