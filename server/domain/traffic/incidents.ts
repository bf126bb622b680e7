/**
 * Congestion incidents from segment levels of service. Pure: the caller feeds each tick's segment states
 * with `now`; state between two updates is taken as constant, so call it at least every few seconds.
 *
 * Rules, with hysteresis so a jam that wobbles around the E/D edge is one incident, not a flood:
 * - A segment is congested at E or F, clear at A–D; 'noData' is neither and restarts both clocks (a dead
 *   camera is not evidence of a jam, nor of its end).
 * - Opening: a segment congested without a break for `openAfterMs` (default 10 min) opens an incident,
 *   unless it is already inside an open incident's extent. `startedAt` is when its congestion began.
 * - Extent: the run of neighbouring congested segments on the same road (consecutive km, touching ends).
 *   Each update the extent becomes the congested runs that overlap it, so a growing or creeping queue stays
 *   one incident; when two open incidents come to overlap, the younger closes as 'merged' into the older.
 *   While nothing in it is congested, the last extent is kept.
 * - Closing: every segment of the extent clear without a break for `closeAfterMs` (default 5 min) closes
 *   it as 'recovered'; a segment with no data for `noDataCloseAfterMs` (default 30 min) also counts as
 *   settled, and an extent settled only that way closes as 'noData'.
 * - Bounds: at most `maxOpen` open incidents (further ones wait: their condition still holds at the next
 *   update) and the `maxClosed` most recent closed ones. Per-segment state is per known segment.
 */
import { isCongested, segmentNeighbours, type CloseReason, type CongestionIncident, type Segment, type SegmentLos } from '../../../shared/traffic';

export type { CloseReason, CongestionIncident } from '../../../shared/traffic';

export interface SegmentCondition {
  segmentId: string;
  los: SegmentLos;
  speedKmh: number | null;
}


export interface IncidentConfig {
  openAfterMs: number;
  closeAfterMs: number;
  noDataCloseAfterMs: number;
  maxOpen: number;
  maxClosed: number;
}

export const DEFAULT_INCIDENT_CONFIG: IncidentConfig = {
  openAfterMs: 10 * 60_000,
  closeAfterMs: 5 * 60_000,
  noDataCloseAfterMs: 30 * 60_000,
  maxOpen: 100,
  maxClosed: 200,
};

export interface IncidentChanges {
  opened: CongestionIncident[];
  /** Open incidents whose extent, length or worst speed changed. */
  updated: CongestionIncident[];
  closed: CongestionIncident[];
}

interface SegmentClock {
  state: 'congested' | 'clear' | 'noData';
  since: number;
  /** Lowest speed since the current congested spell began. */
  minSpeed: number | null;
}

const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));

export class CongestionTracker {
  private readonly cfg: IncidentConfig;
  private readonly segments: ReadonlyMap<string, Segment>;
  private readonly neighbours: Map<string, { prev?: string; next?: string }>;
  private readonly clocks = new Map<string, SegmentClock>();
  private readonly openById = new Map<string, CongestionIncident>();
  private closedRing: CongestionIncident[] = [];
  private deferredCount = 0;

  constructor(segments: readonly Segment[], config: Partial<IncidentConfig> = {}) {
    this.cfg = { ...DEFAULT_INCIDENT_CONFIG, ...config };
    this.segments = new Map(segments.map((s) => [s.id, s]));
    this.neighbours = segmentNeighbours(segments);
  }

  /** `conditions`: every segment's state at `now` (a segment left out keeps its previous state). */
  update(conditions: readonly SegmentCondition[], now: number): IncidentChanges {
    const changes: IncidentChanges = { opened: [], updated: [], closed: [] };
    for (const c of conditions) this.tick(c, now);

    const runOf = this.congestedRuns();
    const open = [...this.openById.values()].sort((a, b) => a.openedAt - b.openedAt || a.id.localeCompare(b.id));
    // Oldest first, so in a merge the older incident survives.
    const claimed = new Map<string, CongestionIncident>();
    for (const inc of open) {
      const runs = new Set<string[]>();
      for (const id of inc.segmentIds) {
        const r = runOf.get(id);
        if (r) runs.add(r);
      }
      const extent = [...runs].flat();
      const owner = extent.map((id) => claimed.get(id)).find((x) => x !== undefined);
      if (owner) {
        // The queues joined: one incident, keeping the older one's identity and the worse speed.
        const worst = minOf(owner.worstSpeedKmh, inc.worstSpeedKmh);
        if (worst !== owner.worstSpeedKmh) {
          owner.worstSpeedKmh = worst;
          changes.updated.push(this.copy(owner));
        }
        this.close(inc, now, 'merged', changes);
        continue;
      }
      for (const id of extent) claimed.set(id, inc);
      if (extent.length > 0 && this.refresh(inc, extent)) changes.updated.push(this.copy(inc));
      const settled = inc.segmentIds.map((id) => this.settled(id, now));
      if (settled.every((s) => s !== null)) this.close(inc, now, settled.includes('recovered') ? 'recovered' : 'noData', changes);
    }

    for (const run of new Set(runOf.values())) {
      if (run.some((id) => claimed.has(id))) continue;
      const sustained = run
        .map((id) => ({ id, since: this.clocks.get(id)!.since }))
        .filter((x) => now - x.since >= this.cfg.openAfterMs)
        .sort((a, b) => a.since - b.since || a.id.localeCompare(b.id));
      const first = sustained[0];
      if (!first) continue;
      if (this.openById.size >= this.cfg.maxOpen) {
        this.deferredCount += 1;
        continue;
      }
      const seg = this.segments.get(first.id)!;
      const inc: CongestionIncident = {
        id: `cong-${seg.id}-${first.since.toString(36)}`,
        segmentId: seg.id,
        road: seg.road,
        startedAt: first.since,
        openedAt: now,
        segmentIds: [],
        lengthKm: 0,
        worstSpeedKmh: null,
        state: 'open',
      };
      this.refresh(inc, run);
      this.openById.set(inc.id, inc);
      for (const id of run) claimed.set(id, inc);
      changes.opened.push(this.copy(inc));
    }
    // One entry per incident (the latest), and none for an incident that closed in this same update.
    const closedIds = new Set(changes.closed.map((c) => c.id));
    const latest = new Map(changes.updated.filter((u) => !closedIds.has(u.id)).map((u) => [u.id, u]));
    changes.updated = [...latest.values()];
    return changes;
  }

  /** Open incidents, oldest first; copies. */
  open(): CongestionIncident[] {
    return [...this.openById.values()].sort((a, b) => a.openedAt - b.openedAt).map((i) => this.copy(i));
  }

  /** The most recent closed incidents, newest last; copies. */
  closed(): CongestionIncident[] {
    return this.closedRing.map((i) => this.copy(i));
  }

  /** Opens postponed because maxOpen incidents were already open. */
  get deferred(): number {
    return this.deferredCount;
  }

  private tick(c: SegmentCondition, now: number): void {
    if (!this.segments.has(c.segmentId)) return;
    const state = c.los === 'noData' ? 'noData' : isCongested(c.los) ? 'congested' : 'clear';
    const clock = this.clocks.get(c.segmentId);
    const speed = state === 'congested' ? c.speedKmh : null;
    if (!clock || clock.state !== state) {
      this.clocks.set(c.segmentId, { state, since: now, minSpeed: speed });
    } else if (state === 'congested') {
      clock.minSpeed = minOf(clock.minSpeed, speed);
    }
  }

  /** Maximal runs of congested neighbouring segments, indexed by each member. */
  private congestedRuns(): Map<string, string[]> {
    const runOf = new Map<string, string[]>();
    const congested = (id: string | undefined) => id !== undefined && this.clocks.get(id)?.state === 'congested';
    for (const [id, clock] of this.clocks) {
      if (clock.state !== 'congested' || runOf.has(id)) continue;
      let head = id;
      for (let p = this.neighbours.get(head)?.prev; congested(p); p = this.neighbours.get(p!)?.prev) head = p!;
      const run: string[] = [];
      for (let s: string | undefined = head; congested(s); s = this.neighbours.get(s!)?.next) run.push(s!);
      for (const m of run) runOf.set(m, run);
    }
    return runOf;
  }

  /** Sets the extent; true when anything visible changed. */
  private refresh(inc: CongestionIncident, extent: readonly string[]): boolean {
    const ids = [...extent].sort((a, b) => this.segments.get(a)!.fromKm - this.segments.get(b)!.fromKm);
    const length = Math.round(ids.reduce((s, id) => s + this.segments.get(id)!.lengthKm, 0) * 1000) / 1000;
    const changed = ids.join() !== inc.segmentIds.join() || length !== inc.lengthKm;
    inc.segmentIds = ids;
    inc.lengthKm = length;
    return this.refreshWorst(inc) || changed;
  }

  private refreshWorst(inc: CongestionIncident): boolean {
    let worst = inc.worstSpeedKmh;
    for (const id of inc.segmentIds) {
      const clock = this.clocks.get(id);
      if (clock?.state === 'congested') worst = minOf(worst, clock.minSpeed);
    }
    if (worst === inc.worstSpeedKmh) return false;
    inc.worstSpeedKmh = worst;
    return true;
  }

  /** How a segment of an extent has settled, or null while it may still be part of the jam. */
  private settled(id: string, now: number): 'recovered' | 'noData' | null {
    const clock = this.clocks.get(id);
    if (!clock) return null;
    if (clock.state === 'clear' && now - clock.since >= this.cfg.closeAfterMs) return 'recovered';
    if (clock.state === 'noData' && now - clock.since >= this.cfg.noDataCloseAfterMs) return 'noData';
    return null;
  }

  private close(inc: CongestionIncident, now: number, reason: CloseReason, changes: IncidentChanges): void {
    this.openById.delete(inc.id);
    inc.state = 'closed';
    inc.closedAt = now;
    inc.closeReason = reason;
    this.closedRing.push(inc);
    if (this.closedRing.length > this.cfg.maxClosed) this.closedRing = this.closedRing.slice(-this.cfg.maxClosed);
    changes.closed.push(this.copy(inc));
  }

  private copy(inc: CongestionIncident): CongestionIncident {
    return { ...inc, segmentIds: [...inc.segmentIds] };
  }
}
