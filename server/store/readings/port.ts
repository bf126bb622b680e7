/**
 * The reading store's port: every accepted reading, kept durably, read back as ranges, as a snapshot of every
 * device at an instant, and as export streams (DESIGN.md, "The store"). Two engines implement it: SQLite
 * (`sqliteEngine.ts`, the default) and PostgreSQL (`pgEngine.ts`, for more than one instance); one test suite
 * (`readingStore.suite.ts`) runs against both.
 *
 * Storage is long and narrow: one row per (device, ts, metric) value. Device ids and metric names are mapped to
 * small integers in dimension tables, so a row costs a few bytes of keys instead of a 13-character id.
 */
import { DEVICE_TYPES, type DeviceType } from '../../../shared/mqtt';

/** One accepted reading as the tick hands it over: a device's numeric values at one instant. */
export interface Reading {
  deviceId: string;
  type: DeviceType;
  /** Epoch milliseconds. */
  ts: number;
  /** Metric name → value (FIWARE names: pm25, waterLevel, precipitation, …). */
  values: Readonly<Record<string, number>>;
}

/** A raw point of one device: every metric it reported at `ts`. */
export interface RawPoint {
  ts: number;
  values: Record<string, number>;
}

export interface BucketStats {
  mean: number;
  min: number;
  max: number;
  /** Meaningful for amounts (rain `precipitation` in mm per report): the bucket's total. */
  sum: number;
  count: number;
}

/** One bucket of one device: stats per metric. Buckets without data are absent (a gap, never bridged). */
export interface BucketPoint {
  /** Start of the bucket, epoch ms (UTC-aligned). */
  ts: number;
  metrics: Record<string, BucketStats>;
}

export const BUCKETS = ['1m', '1h'] as const;
export type Bucket = (typeof BUCKETS)[number];
export const BUCKET_MS: Record<Bucket, number> = { '1m': 60_000, '1h': 3_600_000 };

/** A device's latest value of each metric at or before an instant. */
export interface DeviceSnapshot {
  deviceId: string;
  type: DeviceType;
  metrics: Record<string, { ts: number; value: number }>;
}

/** One exported reading (one device, one instant, all its metrics); export order is (deviceId, ts). */
export interface ExportRow {
  deviceId: string;
  ts: number;
  values: Record<string, number>;
}

export interface PruneRequest {
  /** Delete raw rows with ts < rawBefore. */
  rawBefore: number;
  /** Delete 1-minute rollups with bucket < minuteBefore (kept longer than raw, for replay). */
  minuteBefore?: number;
  /** Delete hourly rollups with bucket < hourBefore (usually never). */
  hourBefore?: number;
}

/** The most rows one range call returns; a longer range must be asked for in pieces or bucketed. */
export const MAX_RANGE_POINTS = 50_000;
/**
 * Default look-back of `latestAt`: three missed reports (the offline rule) of devices reporting every 5 min.
 * Its cost grows with it (every device's minute rows in the window are read): the app should pass three times
 * the registry's longest report interval.
 */
export const DEFAULT_LOOKBACK_MS = 15 * 60_000;
export const MAX_LOOKBACK_MS = 24 * 3_600_000;

export interface AppendResult {
  /** Value rows written (one per device, ts and metric). */
  inserted: number;
  /** Value rows already stored (same device, metric and ts): ignored, so a replayed batch is harmless. */
  duplicates: number;
}

export interface ReadingStore {
  /** Writes one batch in one transaction, with its rollups. Callers go through `ReadingWriter`, not here. */
  append(batch: readonly Reading[]): Promise<AppendResult>;
  /** Raw points of one device in [from, to), ordered by ts, at most `limit` (≤ MAX_RANGE_POINTS). */
  range(deviceId: string, from: number, to: number, opts?: { limit?: number }): Promise<RawPoint[]>;
  /** Buckets of one device overlapping [from, to), from the rollup tables, ordered by ts. */
  rangeBucketed(deviceId: string, from: number, to: number, bucket: Bucket): Promise<BucketPoint[]>;
  /**
   * `rangeBucketed` of several devices in one read (on PostgreSQL one query instead of one per device: the
   * warm start and the time machine read hundreds of stations). Keyed by device id; a device with no bucket is
   * absent. `metrics` keeps only those. Everything comes back at once: callers bound it with `forEachBucketed`.
   */
  rangeBucketedMany(deviceIds: readonly string[], from: number, to: number, bucket: Bucket, opts?: { metrics?: readonly string[] }): Promise<Map<string, BucketPoint[]>>;
  /**
   * Every device's latest value per metric at or before `at`, looking back at most `lookbackMs`
   * (default DEFAULT_LOOKBACK_MS, at most MAX_LOOKBACK_MS): a device silent for longer is absent.
   */
  latestAt(at: number, opts?: { lookbackMs?: number }): Promise<DeviceSnapshot[]>;
  /** Readings of every device of `type` in [from, to), ordered by (deviceId, ts), read in pages. */
  exportRange(type: DeviceType, from: number, to: number): AsyncIterable<ExportRow>;
  /** Retention: removes old raw rows (and rollups when asked); returns the raw rows removed. */
  prune(req: PruneRequest): Promise<{ rawRows: number }>;
  /** Bytes on disk (tables, indexes, WAL). */
  sizeBytes(): Promise<number>;
  /** The first and last reading time the store holds (from the minute rollups: two index lookups), or null when empty. */
  coverage(): Promise<{ from: number; to: number } | null>;
  close(): Promise<void>;
}

// ---- edge checks, shared by both engines -------------------------------------------------------------------

const DEVICE_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** FIWARE names, and dotted ones for nested values (a camera's `intensity.car`). */
const METRIC_NAME = /^[A-Za-z][A-Za-z0-9_.]{0,47}$/;
/** 2000-01-01 … 2100-01-01: anything outside is a unit mistake (seconds for ms), not a reading. */
const TS_MIN = 946_684_800_000;
const TS_MAX = 4_102_444_800_000;
const TYPES: ReadonlySet<string> = new Set(DEVICE_TYPES);

/**
 * Why a reading cannot be stored, or null. Explicit checks rather than zod: this runs on every reading of
 * every tick (tens of thousands a second in a backfill), and ingest has already validated the payload.
 */
export function readingProblem(r: Reading): string | null {
  if (typeof r.deviceId !== 'string' || !DEVICE_ID.test(r.deviceId)) return 'deviceId';
  if (!TYPES.has(r.type)) return 'type';
  if (!Number.isInteger(r.ts) || r.ts < TS_MIN || r.ts >= TS_MAX) return 'ts';
  if (typeof r.values !== 'object' || r.values === null) return 'values';
  for (const [name, v] of Object.entries(r.values)) {
    if (!METRIC_NAME.test(name)) return 'metric';
    if (typeof v !== 'number' || !Number.isFinite(v)) return 'value';
  }
  return null;
}

export function checkRangeArgs(from: number, to: number): void {
  if (!Number.isFinite(from) || !Number.isFinite(to) || from > to) {
    throw new RangeError(`bad time range [${from}, ${to})`);
  }
}

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined) return MAX_RANGE_POINTS;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`bad limit ${limit}`);
  return Math.min(limit, MAX_RANGE_POINTS);
}

export function checkLookback(lookbackMs: number | undefined): number {
  const l = lookbackMs ?? DEFAULT_LOOKBACK_MS;
  if (!Number.isFinite(l) || l <= 0 || l > MAX_LOOKBACK_MS) throw new RangeError(`bad look-back ${l}`);
  return l;
}

/** Number of value rows a batch makes (the unit of the writer's cap and of the engines' transactions). */
export function valueRows(batch: readonly Reading[]): number {
  let n = 0;
  for (const r of batch) n += Object.keys(r.values).length;
  return n;
}
