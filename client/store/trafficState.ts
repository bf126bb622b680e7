/**
 * The traffic part of the wall's live state (issue 4): level of service per segment, congestion
 * incidents, today's violation counts, a ring of the latest violations (masked plates, as the server
 * sends them), the province's 24 h volume, and short-lived map pulses for new violations. Segment
 * geometry comes once over HTTP. Every collection has a cap; LiveStore turns the dirty flags into
 * versions once per animation frame.
 */
import type {
  CongestionIncident,
  FeedViolation,
  Segment,
  SegmentState,
  TrafficDelta,
  TrafficSnapshot,
  ViolationSummary,
  VolumeSample,
} from '../../shared/traffic';
import { VOLUME_CAP } from '../../shared/traffic';

/** Violations kept for the live feed (newest first). */
export const FEED_CAP = 50;
/** 24 h of the server's 5-minute volume samples. */
export { VOLUME_CAP };
/** Closed incidents kept after they close (the open ones are bounded by the road network). */
export const CLOSED_INCIDENTS_CAP = 20;
export const INCIDENTS_CAP = 200;
/** A violation pulses on the map this long after it arrives. */
export const PULSE_MS = 8_000;
export const PULSE_CAP = 64;

export interface Pulse {
  id: string;
  cameraId: string;
  /** Local time (ms) the pulse started. */
  startedAt: number;
}

export class TrafficState {
  geometry: readonly Segment[] | null = null;
  readonly segments = new Map<string, SegmentState>();
  readonly incidents = new Map<string, CongestionIncident>();
  /** Newest first. */
  feed: FeedViolation[] = [];
  summary: ViolationSummary | null = null;
  /** Oldest first. */
  volume: VolumeSample[] = [];
  pulses: Pulse[] = [];
  /** False until the first wall snapshot with traffic: panels show a dash, not zeros. */
  hasData = false;

  geometryVersion = 0;
  segmentsVersion = 0;
  incidentsVersion = 0;
  feedVersion = 0;
  volumeVersion = 0;
  pulseVersion = 0;

  private dirty = { geometry: false, segments: false, incidents: false, feed: false, volume: false, pulses: false };

  setGeometry(segments: readonly Segment[]): void {
    this.geometry = segments;
    this.dirty.geometry = true;
  }

  applySnapshot(snap: TrafficSnapshot | undefined): void {
    this.segments.clear();
    this.incidents.clear();
    this.feed = [];
    this.summary = null;
    this.volume = [];
    this.pulses = [];
    this.hasData = snap !== undefined;
    if (snap) {
      for (const s of snap.segments) this.segments.set(s.id, s);
      this.putIncidents(snap.incidents);
      // Newest first whatever order the server lists them in.
      this.feed = [...snap.violations.feed].sort((a, b) => b.ts - a.ts).slice(0, FEED_CAP);
      this.summary = snap.violations.summary;
      this.pushVolume(snap.volume);
    }
    this.markAll();
  }

  applyDelta(delta: TrafficDelta | undefined, now: number): void {
    if (!delta) return;
    for (const s of delta.segments) {
      const prev = this.segments.get(s.id);
      if (prev && prev.los === s.los && prev.speedKmh === s.speedKmh && prev.totalPerHour === s.totalPerHour && prev.liveCameras === s.liveCameras) {
        continue;
      }
      this.segments.set(s.id, s);
      this.dirty.segments = true;
    }
    if (delta.incidents.length > 0) {
      this.putIncidents(delta.incidents);
      this.dirty.incidents = true;
    }
    if (delta.violations.length > 0) {
      const known = new Set(this.feed.map((v) => v.id));
      const fresh = delta.violations.filter((v) => !known.has(v.id));
      // The delta is oldest first; the feed is newest first.
      this.feed = [...fresh.slice(-FEED_CAP).reverse(), ...this.feed].slice(0, FEED_CAP);
      for (const v of fresh.slice(-PULSE_CAP)) this.pulses.push({ id: v.id, cameraId: v.cameraId, startedAt: now });
      if (this.pulses.length > PULSE_CAP) this.pulses = this.pulses.slice(-PULSE_CAP);
      if (fresh.length > 0) this.dirty.feed = this.dirty.pulses = true;
    }
    if (delta.summary) {
      this.summary = delta.summary;
      this.dirty.feed = true;
    }
    if (this.pushVolume(delta.volume)) this.dirty.volume = true;
  }

  /** The pulses still running at `now` (the ring itself is capped; dead ones age out of it). */
  livePulses(now: number): Pulse[] {
    return this.pulses.filter((p) => now - p.startedAt < PULSE_MS && now >= p.startedAt);
  }

  openIncidents(): CongestionIncident[] {
    return [...this.incidents.values()].filter((i) => i.state === 'open');
  }

  commit(): void {
    const d = this.dirty;
    if (d.geometry) this.geometryVersion++;
    if (d.segments) this.segmentsVersion++;
    if (d.incidents) this.incidentsVersion++;
    if (d.feed) this.feedVersion++;
    if (d.volume) this.volumeVersion++;
    if (d.pulses) this.pulseVersion++;
    this.dirty = { geometry: false, segments: false, incidents: false, feed: false, volume: false, pulses: false };
  }

  private markAll(): void {
    this.dirty = { geometry: this.dirty.geometry, segments: true, incidents: true, feed: true, volume: true, pulses: true };
  }

  private putIncidents(list: readonly CongestionIncident[]): void {
    for (const inc of list) {
      this.incidents.delete(inc.id);
      this.incidents.set(inc.id, inc);
    }
    // Map order is insertion order: the oldest closed ones go first, then (only past the hard cap) the oldest open.
    const closed = [...this.incidents.values()].filter((i) => i.state === 'closed');
    for (const c of closed.slice(0, Math.max(0, closed.length - CLOSED_INCIDENTS_CAP))) this.incidents.delete(c.id);
    for (const id of this.incidents.keys()) {
      if (this.incidents.size <= INCIDENTS_CAP) break;
      this.incidents.delete(id);
    }
  }

  /** Appends samples in time order (a repeated time replaces its value); returns whether anything changed. */
  private pushVolume(samples: readonly VolumeSample[]): boolean {
    let changed = false;
    for (const s of samples) {
      const last = this.volume[this.volume.length - 1];
      if (last && s[0] < last[0]) continue;
      if (last && s[0] === last[0]) {
        if (last[1] === s[1]) continue;
        this.volume[this.volume.length - 1] = s;
      } else this.volume.push(s);
      changed = true;
    }
    if (this.volume.length > VOLUME_CAP) this.volume = this.volume.slice(-VOLUME_CAP);
    return changed;
  }
}
