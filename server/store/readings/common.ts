/**
 * Engine-neutral parts of the reading store: the device/metric dimension cache, grouping of value rows into
 * points, paged reads (range and export), and the snapshot merge. Each engine supplies only its SQL.
 */
import type { DeviceType } from '../../../shared/mqtt';
import type { BucketPoint, DeviceSnapshot, ExportRow, RawPoint } from './port';

export interface DeviceDim {
  sensor: number;
  deviceId: string;
  type: DeviceType;
}

/**
 * Id ↔ small-int maps, loaded from the dimension tables. Rows carry integers; names are joined back here in
 * memory, so no query joins a dimension table per row.
 */
export class Dims {
  readonly bySensor = new Map<number, DeviceDim>();
  readonly byDeviceId = new Map<string, DeviceDim>();
  readonly metricById = new Map<number, string>();
  readonly metricByName = new Map<string, number>();

  /** Sensors in deviceId order; dropped whenever a device is added. */
  private sorted: number[] | null = null;

  addDevice(d: DeviceDim): void {
    this.bySensor.set(d.sensor, d);
    this.byDeviceId.set(d.deviceId, d);
    this.sorted = null;
  }
  /** Every sensor in deviceId order (code-unit order, as exports and snapshots are). */
  sensorsById(): readonly number[] {
    this.sorted ??= [...this.bySensor.values()]
      .sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0))
      .map((d) => d.sensor);
    return this.sorted;
  }
  addMetric(id: number, name: string): void {
    this.metricById.set(id, name);
    this.metricByName.set(name, id);
  }
  /** Devices of a type in export order (code-unit order of the id, the same in every engine and locale). */
  devicesOfType(type: DeviceType): DeviceDim[] {
    return [...this.bySensor.values()]
      .filter((d) => d.type === type)
      .sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
  }
  metricName(id: number): string {
    const name = this.metricById.get(id);
    // Metric ids only come from this store's own table, loaded before any read: a miss is a bug.
    if (name === undefined) throw new Error(`reading store: unknown metric id ${id}`);
    return name;
  }
}

/** A value row as the engines read it back. */
export interface ValueRow {
  ts: number;
  metric: number;
  value: number;
}

/** Page size of range and export reads, in value rows: bounded memory whatever the range. */
export const PAGE_ROWS = 10_000;

/** Reads value rows of one sensor with ts in [fromTs, to), ordered by (ts, metric), at most `limit` rows. */
export type FetchPage = (sensor: number, fromTs: number, to: number, limit: number) => Promise<ValueRow[]>;

/**
 * Points of one sensor in [from, to), page by page. A full page may end inside a ts group, so its last group is
 * held back and the next page starts at that ts (a group has at most a few dozen metrics, a page 10,000 rows).
 */
export async function* pointsOf(
  fetchPage: FetchPage,
  dims: Dims,
  sensor: number,
  from: number,
  to: number,
  firstPage?: Promise<ValueRow[]>,
): AsyncGenerator<RawPoint> {
  const pageRows = PAGE_ROWS;
  let cursor = from;
  let prefetched = firstPage;
  for (;;) {
    const rows = await (prefetched ?? fetchPage(sensor, cursor, to, pageRows));
    prefetched = undefined;
    const full = rows.length === pageRows;
    const lastTs = rows.length > 0 ? rows[rows.length - 1]!.ts : cursor;
    let point: RawPoint | null = null;
    for (const r of rows) {
      if (full && r.ts === lastTs) break;
      if (point === null || point.ts !== r.ts) {
        if (point !== null) yield point;
        point = { ts: r.ts, values: {} };
      }
      point.values[dims.metricName(r.metric)] = r.value;
    }
    if (point !== null) yield point;
    if (!full) return;
    if (lastTs === cursor) throw new Error('reading store: one instant holds more metrics than a page');
    cursor = lastTs;
  }
}

export async function collectRange(points: AsyncIterable<RawPoint>, limit: number): Promise<RawPoint[]> {
  const out: RawPoint[] = [];
  if (limit <= 0) return out;
  for await (const p of points) {
    out.push(p);
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * Devices whose first page is fetched ahead while the current one is consumed: an export of many devices with
 * few rows each is bound by round trips, not rows (PostgreSQL runs them on several pooled connections). At
 * most this many pages wait in memory besides the one being read.
 */
const EXPORT_LOOKAHEAD = 3;

export async function* exportRows(
  fetchPage: FetchPage,
  dims: Dims,
  type: DeviceType,
  from: number,
  to: number,
): AsyncGenerator<ExportRow> {
  const devices = dims.devicesOfType(type);
  const ahead = new Map<number, Promise<ValueRow[]>>();
  const prefetch = (i: number) => {
    const d = devices[i];
    if (d === undefined || ahead.has(i)) return;
    const page = fetchPage(d.sensor, from, to, PAGE_ROWS);
    page.catch(() => {}); // a consumer that stops early never awaits it; the error surfaces if it is awaited
    ahead.set(i, page);
  };
  for (let i = 0; i < devices.length; i++) {
    for (let j = i; j <= i + EXPORT_LOOKAHEAD; j++) prefetch(j);
    const d = devices[i]!;
    const first = ahead.get(i);
    ahead.delete(i);
    for await (const p of pointsOf(fetchPage, dims, d.sensor, from, to, first)) {
      yield { deviceId: d.deviceId, ts: p.ts, values: p.values };
    }
  }
}

export interface BucketRow {
  bucket: number;
  metric: number;
  n: number;
  vsum: number;
  vmin: number;
  vmax: number;
}

/** Rollup rows ordered by (bucket, metric) → one point per bucket. */
export function groupBuckets(rows: readonly BucketRow[], dims: Dims): BucketPoint[] {
  const out: BucketPoint[] = [];
  let point: BucketPoint | null = null;
  for (const r of rows) {
    if (point === null || point.ts !== r.bucket) {
      point = { ts: r.bucket, metrics: {} };
      out.push(point);
    }
    point.metrics[dims.metricName(r.metric)] = {
      mean: r.vsum / r.n,
      min: r.vmin,
      max: r.vmax,
      sum: r.vsum,
      count: r.n,
    };
  }
  return out;
}

export interface SnapshotCandidate {
  sensor: number;
  metric: number;
  ts: number;
  value: number;
}

/**
 * Per (sensor, metric), the candidate with the latest ts, named, in deviceId order. At 100,000 devices its cost
 * is the snapshot's: no candidate objects are needed (a keyframe adds straight from its packed numbers), and
 * the order comes from the dimension cache's sorted sensors instead of a sort of every snapshot.
 */
export class SnapshotMerge {
  private readonly bySensor = new Map<number, DeviceSnapshot>();
  constructor(private readonly dims: Dims) {}

  add(sensor: number, metric: number, ts: number, value: number): void {
    let snap = this.bySensor.get(sensor);
    if (snap === undefined) {
      const d = this.dims.bySensor.get(sensor);
      if (d === undefined) return; // written by another instance after our last dimension load
      snap = { deviceId: d.deviceId, type: d.type, metrics: {} };
      this.bySensor.set(sensor, snap);
    }
    const name = this.dims.metricName(metric);
    const prev = snap.metrics[name];
    if (prev === undefined || ts > prev.ts) snap.metrics[name] = { ts, value };
  }

  result(): DeviceSnapshot[] {
    const out: DeviceSnapshot[] = [];
    for (const sensor of this.dims.sensorsById()) {
      const snap = this.bySensor.get(sensor);
      if (snap !== undefined) out.push(snap);
    }
    return out;
  }
}

/** Keeps, per (sensor, metric), the candidate with the latest ts; then names them. */
export function mergeSnapshot(candidates: Iterable<SnapshotCandidate>, dims: Dims): DeviceSnapshot[] {
  const m = new SnapshotMerge(dims);
  for (const c of candidates) m.add(c.sensor, c.metric, c.ts, c.value);
  return m.result();
}

export const floorTo = (ts: number, size: number): number => ts - (((ts % size) + size) % size);
