/**
 * Camera violations: today's counts and the live feed, with plates masked; raw plates kept apart.
 * Pure: the caller passes `now`.
 *
 * - "Today" is the local day in Asia/Ho_Chi_Minh (UTC+7, no daylight saving). Counts reset at local
 *   midnight, driven by `now` (the server clock); an event counts when its own `ts` falls on the current
 *   local day, so a late event from yesterday goes to the feed but not into today's counts.
 * - The feed is a ring of the latest `feedSize` violations and holds only masked plates (shared/plates.ts).
 * - Raw plates go to a RawPlateStore keyed by violation id, for the security issue to unmask for
 *   authorised roles with an audit entry. It serialises to its size only, so putting it in a payload by
 *   mistake leaks nothing.
 * - Violation ids are derived from camera, time and type, so two hot-standby instances fed the same stream
 *   give the same ids; a redelivered event (same id, same plate) is recognised and dropped.
 */
import type { Device } from '../../../shared/devices';
import { VIOLATION_TYPES, type CameraEvent, type ViolationType } from '../../../shared/mqtt';
import { maskPlate } from '../../../shared/plates';
import { fineRange, type FeedViolation, type Segment, type ViolationSummary } from '../../../shared/traffic';

export type { FeedViolation, ViolationSummary } from '../../../shared/traffic';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const VN_OFFSET_MS = 7 * HOUR_MS;

/** Epoch ms of the local (UTC+7) midnight that starts the day containing `ts`. */
export function vnDayStart(ts: number): number {
  return Math.floor((ts + VN_OFFSET_MS) / DAY_MS) * DAY_MS - VN_OFFSET_MS;
}

/** 'YYYY-MM-DD' of the local (UTC+7) day containing `ts`. */
export function vnDayKey(ts: number): string {
  return new Date(vnDayStart(ts) + VN_OFFSET_MS).toISOString().slice(0, 10);
}



/**
 * Bounded map of violation id → raw plate; the oldest entries go first. Server-side only: a plate leaves it
 * only through an operator's audited unmask (server/http/authRoutes.ts). Plates older than the retention
 * period are deleted by `prune` (Law 91/2025/QH15: kept no longer than needed).
 */
export class RawPlateStore {
  private readonly plates = new Map<string, { plate: string; ts: number; commune: string | null }>();

  constructor(readonly capacity = 50_000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  put(id: string, plate: string, ts = 0, commune: string | null = null): void {
    this.plates.delete(id);
    this.plates.set(id, { plate, ts, commune });
    // Map iteration is insertion order, so the first key is the oldest.
    while (this.plates.size > this.capacity) this.plates.delete(this.plates.keys().next().value!);
  }

  get(id: string): string | undefined {
    return this.plates.get(id)?.plate;
  }

  communeOf(id: string): string | null | undefined {
    return this.plates.get(id)?.commune;
  }

  /** Deletes the plates of violations before `before` (epoch ms); returns how many went. */
  prune(before: number): number {
    let n = 0;
    for (const [id, e] of this.plates) {
      if (e.ts < before) {
        this.plates.delete(id);
        n++;
      }
    }
    return n;
  }

  get size(): number {
    return this.plates.size;
  }

  /** Never serialise plates, even by accident. */
  toJSON(): { size: number } {
    return { size: this.plates.size };
  }
}

export interface ViolationTrackerOptions {
  /** Registry devices; events from devices not listed as traffic cameras are ignored and counted. */
  cameras: readonly Device[];
  /** To tag each violation with its road segment. */
  segments?: readonly Segment[];
  rawPlates: RawPlateStore;
  /** Length of the live feed ring. */
  feedSize?: number;
}

interface CameraInfo {
  commune: string;
  road: string | null;
  segmentId: string | null;
}

const zeroByType = (): Record<ViolationType, number> =>
  Object.fromEntries(VIOLATION_TYPES.map((t) => [t, 0])) as Record<ViolationType, number>;

export class ViolationTracker {
  private readonly cameras = new Map<string, CameraInfo>();
  private readonly raw: RawPlateStore;
  private readonly feedSize: number;
  private feed: FeedViolation[] = [];
  private day = -Infinity;
  private total = 0;
  private byType = zeroByType();
  // Bounded by construction: keys are registry cameras and their communes only.
  private byCamera = new Map<string, number>();
  private byCommune = new Map<string, number>();
  private unknown = 0;
  private duplicates = 0;

  constructor(opts: ViolationTrackerOptions) {
    this.raw = opts.rawPlates;
    this.feedSize = opts.feedSize ?? 100;
    if (!Number.isInteger(this.feedSize) || this.feedSize < 1) throw new RangeError(`feedSize must be a positive integer`);
    const segmentOf = new Map<string, string>();
    for (const s of opts.segments ?? []) for (const id of [...s.cameraIds.forward, ...s.cameraIds.backward]) segmentOf.set(id, s.id);
    for (const d of opts.cameras) {
      if (d.kind !== 'traffic-camera') continue;
      const road = d.props?.road;
      this.cameras.set(d.id, { commune: d.commune, road: typeof road === 'string' ? road : null, segmentId: segmentOf.get(d.id) ?? null });
    }
  }

  /** Records a validated camera event; returns what the feed shows, or null (unknown camera, duplicate). */
  record(cameraId: string, event: CameraEvent, now: number): FeedViolation | null {
    this.roll(now);
    const cam = this.cameras.get(cameraId);
    if (!cam) {
      this.unknown += 1;
      return null;
    }
    const base = `${cameraId}-${event.ts.toString(36)}-${VIOLATION_TYPES.indexOf(event.violation)}`;
    let id = base;
    for (let k = 2; this.raw.get(id) !== undefined; k++) {
      if (this.raw.get(id) === event.plate) {
        this.duplicates += 1;
        return null;
      }
      id = `${base}-${k}`;
    }
    this.raw.put(id, event.plate, event.ts, cam.commune);

    const v: FeedViolation = {
      id,
      ts: event.ts,
      cameraId,
      commune: cam.commune,
      road: cam.road,
      segmentId: cam.segmentId,
      violation: event.violation,
      vehicleType: event.vehicleType,
      plate: maskPlate(event.plate),
      fineVnd: fineRange(event.violation, event.vehicleType, event.speed, event.speedLimit),
    };
    if (event.speed !== undefined) v.speedKmh = event.speed;
    if (event.speedLimit !== undefined) v.speedLimitKmh = event.speedLimit;
    this.feed.push(v);
    if (this.feed.length > this.feedSize) this.feed = this.feed.slice(-this.feedSize);

    if (vnDayStart(event.ts) === this.day) {
      this.total += 1;
      this.byType[event.violation] += 1;
      this.byCamera.set(cameraId, (this.byCamera.get(cameraId) ?? 0) + 1);
      this.byCommune.set(cam.commune, (this.byCommune.get(cam.commune) ?? 0) + 1);
    }
    return { ...v };
  }

  summary(now: number): ViolationSummary {
    this.roll(now);
    return {
      day: vnDayKey(this.day),
      since: this.day,
      total: this.total,
      byType: { ...this.byType },
      byCamera: Object.fromEntries(this.byCamera),
      byCommune: Object.fromEntries(this.byCommune),
    };
  }

  /** The live feed, newest first, masked plates only; at most `limit` (default: the whole ring). */
  latest(limit = this.feedSize): FeedViolation[] {
    if (limit <= 0) return [];
    return this.feed
      .slice(-limit)
      .reverse()
      .map((v) => ({ ...v }));
  }

  /** One violation's raw plate (for the audited unmask only). */
  rawPlate(id: string): string | undefined {
    return this.raw.get(id);
  }

  /** The commune of a violation whose plate is still kept. */
  communeOf(id: string): string | null {
    return this.raw.communeOf(id) ?? null;
  }

  /** Events from devices that are not registered traffic cameras, and redelivered events. */
  stats(): { unknownCamera: number; duplicate: number } {
    return { unknownCamera: this.unknown, duplicate: this.duplicates };
  }

  /** Never serialise the raw plate store along with the tracker. */
  toJSON(): { feed: FeedViolation[] } {
    return { feed: this.latest() };
  }

  private roll(now: number): void {
    const day = vnDayStart(now);
    // Only forward: a clock stepping back must not wipe today's counts.
    if (day <= this.day) return;
    this.day = day;
    this.total = 0;
    this.byType = zeroByType();
    this.byCamera = new Map();
    this.byCommune = new Map();
  }
}
