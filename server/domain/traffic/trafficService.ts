/**
 * Traffic for the views: segment levels of service from live cameras, congestion incidents,
 * violations with masked plates, and the province's volume over 24 h. Cameras mark their
 * segment dirty; `update(now)` (once a second) recomputes dirty segments and ages the others,
 * so a camera going quiet turns its segment to "no data". Pure: `now` and lookups are passed in.
 */
import type { Device } from '../../../shared/devices';
import type { CameraEvent } from '../../../shared/mqtt';
import type {
  CongestionIncident,
  FeedViolation,
  Segment,
  SegmentState,
  TrafficDelta,
  TrafficSnapshot,
  VolumeSample,
} from '../../../shared/traffic';
import { networkVolume, segmentFlow, type CameraLookup, type SegmentFlow } from './flow';
import { CongestionTracker, type IncidentChanges, type IncidentConfig } from './incidents';
import { RawPlateStore, ViolationTracker } from './violations';
import { VOLUME_CAP } from '../../../shared/traffic';

const VOLUME_EVERY_MS = 5 * 60_000;
/** 24 h of 5-minute samples. */
export { VOLUME_CAP };
/** New violations kept for the next frame; beyond it the oldest are dropped (the feed ring has them). */
export const PENDING_VIOLATIONS_CAP = 200;

export interface TrafficOptions {
  incidents?: Partial<IncidentConfig>;
  feedSize?: number;
  rawPlateCapacity?: number;
}

export class TrafficService {
  private readonly flows = new Map<string, SegmentFlow>();
  private readonly states = new Map<string, SegmentState>();
  private readonly changed = new Set<string>();
  private readonly incidents: CongestionTracker;
  private readonly changedIncidents = new Map<string, CongestionIncident>();
  readonly violations: ViolationTracker;
  readonly rawPlates: RawPlateStore;
  private pendingViolations: FeedViolation[] = [];
  private summaryChanged = false;
  private readonly volume: VolumeSample[] = [];
  private newVolume: VolumeSample[] = [];
  private lastVolumeAt = -Infinity;
  private readonly segmentCommune = new Map<string, string>();

  constructor(
    private readonly segments: readonly Segment[],
    devices: readonly Device[],
    private readonly lookup: CameraLookup,
    opts: TrafficOptions = {},
  ) {
    this.incidents = new CongestionTracker(segments, opts.incidents);
    this.rawPlates = new RawPlateStore(opts.rawPlateCapacity);
    this.violations = new ViolationTracker({ cameras: devices, segments, rawPlates: this.rawPlates, feedSize: opts.feedSize });
    for (const s of segments) this.segmentCommune.set(s.id, s.commune);
    for (const s of segments) this.states.set(s.id, { id: s.id, los: 'noData', speedKmh: null, totalPerHour: null, liveCameras: 0 });
  }

  onCameraEvent(cameraId: string, event: CameraEvent, now: number): void {
    const v = this.violations.record(cameraId, event, now);
    if (!v) return;
    this.pendingViolations.push(v);
    if (this.pendingViolations.length > PENDING_VIOLATIONS_CAP) this.pendingViolations.shift();
    this.summaryChanged = true;
  }

  /** Recomputes every segment (a few hundred: cheap) and feeds the incident tracker; returns its changes. */
  update(now: number): IncidentChanges {
    const flows: SegmentFlow[] = [];
    for (const s of this.segments) {
      const f = segmentFlow(s, this.lookup, now);
      this.flows.set(s.id, f);
      flows.push(f);
      const next: SegmentState = {
        id: s.id,
        los: f.los,
        speedKmh: f.speedKmh === null ? null : Math.round(f.speedKmh),
        totalPerHour: f.totalPerHour === null ? null : Math.round(f.totalPerHour),
        liveCameras: f.liveCameras,
      };
      const prev = this.states.get(s.id)!;
      if (prev.los !== next.los || prev.speedKmh !== next.speedKmh || prev.totalPerHour !== next.totalPerHour || prev.liveCameras !== next.liveCameras) {
        this.states.set(s.id, next);
        this.changed.add(s.id);
      }
    }
    const ch = this.incidents.update(flows, now);
    for (const inc of [...ch.opened, ...ch.updated, ...ch.closed]) this.changedIncidents.set(inc.id, inc);
    if (now - this.lastVolumeAt >= VOLUME_EVERY_MS) {
      this.lastVolumeAt = Math.floor(now / VOLUME_EVERY_MS) * VOLUME_EVERY_MS;
      const v = networkVolume(flows);
      if (v.segmentsWithData > 0) {
        const sample: VolumeSample = [this.lastVolumeAt, Math.round(v.totalPerHour)];
        this.volume.push(sample);
        if (this.volume.length > VOLUME_CAP) this.volume.shift();
        this.newVolume.push(sample);
        if (this.newVolume.length > VOLUME_CAP) this.newVolume.shift();
      }
    }
    return ch;
  }

  communeOfSegment(id: string): string | undefined {
    return this.segmentCommune.get(id);
  }

  openIncidents(): CongestionIncident[] {
    return this.incidents.open();
  }

  snapshot(now: number): TrafficSnapshot {
    return {
      segments: [...this.states.values()],
      incidents: [...this.incidents.open(), ...this.incidents.closed().slice(-20)],
      violations: { summary: this.violations.summary(now), feed: this.violations.latest(50) },
      volume: this.volume.slice(),
    };
  }

  /** What changed since the previous call; clears it. */
  takeDelta(now: number): TrafficDelta {
    const d: TrafficDelta = {
      segments: [...this.changed].map((id) => this.states.get(id)!),
      incidents: [...this.changedIncidents.values()],
      violations: this.pendingViolations,
      volume: this.newVolume,
    };
    if (this.summaryChanged) d.summary = this.violations.summary(now);
    this.changed.clear();
    this.changedIncidents.clear();
    this.pendingViolations = [];
    this.newVolume = [];
    this.summaryChanged = false;
    return d;
  }

  /** Drops pending changes (nobody is watching; a new subscriber starts from a snapshot). */
  discardDelta(): void {
    this.changed.clear();
    this.changedIncidents.clear();
    this.pendingViolations = [];
    this.newVolume = [];
    this.summaryChanged = false;
  }
}

/** Camera lookups from the device table's live arrays. */
export function tableLookup(table: {
  indexOf(id: string): number | undefined;
  values: readonly (Record<string, number> | undefined)[];
  lastSeen: Float64Array;
  online: Uint8Array;
}): CameraLookup {
  return (id) => {
    const i = table.indexOf(id);
    if (i === undefined) return undefined;
    const values = table.values[i];
    if (!values) return undefined;
    return { ts: table.lastSeen[i]!, values, online: table.online[i] === 1 };
  };
}
