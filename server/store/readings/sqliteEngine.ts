/**
 * The reading store on SQLite (better-sqlite3, WAL): the default engine, one file in DATA_DIR, nothing to
 * install.
 *
 * - `readings` is keyed (sensor, ts, metric) WITHOUT ROWID: one device's range is one contiguous key range,
 *   a batch appends at the end of each device's range, and the key is the whole row (about 28 B a row).
 * - `rollup_1m` is keyed by bucket first: the snapshot at an instant scans a few minutes of every device
 *   there instead of every device's raw rows (no ts-led index on the raw table, which would double its size).
 *   Its (sensor, bucket) index serves one device's minute buckets. `rollup_1h` is keyed by device first.
 * - Rollups are upserted in the same transaction as the raw rows, from the rows actually inserted.
 * - synchronous = NORMAL: in WAL mode a power cut may lose the last commits but never corrupts the file.
 *   journal_size_limit and a periodic passive checkpoint keep the WAL from growing without bound.
 */
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { DeviceType } from '../../../shared/mqtt';
import {
  Dims,
  collectRange,
  exportRows,
  floorTo,
  groupBuckets,
  SnapshotMerge,
  pointsOf,
  type BucketRow,
  type FetchPage,
  type SnapshotCandidate,
  type ValueRow,
} from './common';
import {
  BUCKET_MS,
  checkLookback,
  checkRangeArgs,
  clampLimit,
  readingProblem,
  type AppendResult,
  type Bucket,
  type BucketPoint,
  type DeviceSnapshot,
  type ExportRow,
  type PruneRequest,
  type RawPoint,
  type Reading,
  type ReadingStore,
} from './port';
import {
  GRACE_MS,
  KEYFRAME_MS,
  MAX_DIRTY_KEYFRAMES,
  REPAIR_EVERY_MS,
  affectedBoundaries,
  decodeKeyframe,
  dropExpired,
  encodeKeyframe,
  addKeyframe,
  keyframePruneBefore,
  mergeInto,
  type KeyframeState,
} from './keyframe';
import { MAX_LOOKBACK_MS } from './port';
import { RollupBatch, type RollupAgg } from './rollup';
import { perDevice } from './forEachBucketed';


/** Append only: a released entry never changes (PRAGMA user_version = index + 1). */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE devices (sensor INTEGER PRIMARY KEY, device_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL);
  CREATE TABLE metrics (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
  CREATE TABLE readings (
    sensor INTEGER NOT NULL, ts INTEGER NOT NULL, metric INTEGER NOT NULL, value REAL NOT NULL,
    PRIMARY KEY (sensor, ts, metric)
  ) WITHOUT ROWID;
  CREATE TABLE rollup_1m (
    bucket INTEGER NOT NULL, sensor INTEGER NOT NULL, metric INTEGER NOT NULL,
    n INTEGER NOT NULL, vsum REAL NOT NULL, vmin REAL NOT NULL, vmax REAL NOT NULL,
    first_ts INTEGER NOT NULL, last_ts INTEGER NOT NULL, last REAL NOT NULL,
    PRIMARY KEY (bucket, sensor, metric)
  ) WITHOUT ROWID;
  CREATE INDEX rollup_1m_sensor ON rollup_1m (sensor, bucket);
  CREATE TABLE rollup_1h (
    sensor INTEGER NOT NULL, bucket INTEGER NOT NULL, metric INTEGER NOT NULL,
    n INTEGER NOT NULL, vsum REAL NOT NULL, vmin REAL NOT NULL, vmax REAL NOT NULL,
    first_ts INTEGER NOT NULL, last_ts INTEGER NOT NULL, last REAL NOT NULL,
    PRIMARY KEY (sensor, bucket, metric)
  ) WITHOUT ROWID;
  `,
  // Keyframes of the latest values (keyframe.ts). None are backfilled: the first batch builds the current one
  // from the minute rollups, and latestAt scans the minute rollups where there is none.
  `
  CREATE TABLE keyframes (boundary INTEGER PRIMARY KEY, data BLOB NOT NULL);
  `,
];

const UPSERT_SET = `
  n = n + excluded.n, vsum = vsum + excluded.vsum,
  vmin = min(vmin, excluded.vmin), vmax = max(vmax, excluded.vmax),
  first_ts = min(first_ts, excluded.first_ts),
  last = CASE WHEN excluded.last_ts > last_ts THEN excluded.last ELSE last END,
  last_ts = max(last_ts, excluded.last_ts)`;

export interface SqliteReadingStoreOptions {
  /** File path, or ':memory:' for throwaway stores. */
  file: string;
  /** A passive checkpoint at most this often, after a write (default 30 s). */
  checkpointEveryMs?: number;
  /** WAL size kept after a checkpoint (default 64 MiB). */
  journalSizeLimit?: number;
  /** Page cache of the connection (default 64 MiB). */
  cacheMiB?: number;
  /** WAL pages after which a commit checkpoints (default 16,000: 64 MiB, SQLite's own default is 1,000). */
  walAutocheckpointPages?: number;
  now?: () => number;
  /** Rebuilds of keyframes deleted by late readings, at most this often (default REPAIR_EVERY_MS). */
  repairEveryMs?: number;
}

export function openSqliteReadingStore(opts: SqliteReadingStoreOptions): Promise<ReadingStore> {
  return Promise.resolve(new SqliteReadingStore(opts));
}

/** New dimension rows a write created, for another connection's cache (sqliteThreaded.ts). */
export interface NewDims {
  devices: { sensor: number; deviceId: string; type: DeviceType }[];
  metrics: { id: number; name: string }[];
}

export class SqliteReadingStore implements ReadingStore {
  private readonly db: Database.Database;
  private readonly dims = new Dims();
  private readonly now: () => number;
  private readonly checkpointEveryMs: number;
  private lastCheckpoint: number;
  private readonly s;
  private readonly writeTx: (batch: readonly Reading[]) => AppendResult;
  /** Dimension rows created by the write in progress (reported by appendReporting). */
  private created: NewDims = { devices: [], metrics: [] };
  private readonly fetchPage: FetchPage;
  /** Keyframe boundaries deleted by late readings, to rebuild (bounded: MAX_DIRTY_KEYFRAMES). */
  private readonly dirty = new Set<number>();
  private lastRepair: number;
  private keyframeBuilds = 0;

  constructor(private readonly opts: SqliteReadingStoreOptions) {
    this.db = new Database(opts.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma(`journal_size_limit = ${Math.trunc(opts.journalSizeLimit ?? 64 * 1024 * 1024)}`);
    // A batch touches a leaf page per device in three b-trees (raw, minute index, hour rollup); with the
    // default 2 MB cache those pages are re-read every batch. 64 MB: 40k → 63k rows/s for 2,300 devices.
    this.db.pragma(`cache_size = -${Math.trunc((opts.cacheMiB ?? 64) * 1024)}`);
    // A batch dirties a page per device in each of those b-trees: a few thousand pages, more than the default
    // 1,000-page autocheckpoint, so each commit also checkpointed (rewriting the pages into the file and syncing
    // it). At 16,000 pages a page rewritten by several batches goes to the file once: 24,000 → 33,000 rows/s in
    // 4,000-row batches (this machine, the registry at its intervals). The 30 s passive checkpoint still runs.
    this.db.pragma(`wal_autocheckpoint = ${Math.trunc(opts.walAutocheckpointPages ?? 16_000)}`);
    this.migrate();
    this.now = opts.now ?? Date.now;
    this.checkpointEveryMs = opts.checkpointEveryMs ?? 30_000;
    this.lastCheckpoint = this.now();
    this.lastRepair = this.now();
    const db = this.db;
    this.s = {
      addDevice: db.prepare('INSERT INTO devices (device_id, type) VALUES (?, ?)'),
      addMetric: db.prepare('INSERT INTO metrics (name) VALUES (?)'),
      insert: db.prepare('INSERT OR IGNORE INTO readings (sensor, ts, metric, value) VALUES (?, ?, ?, ?)'),
      up1m: db.prepare(
        `INSERT INTO rollup_1m (bucket, sensor, metric, n, vsum, vmin, vmax, first_ts, last_ts, last)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (bucket, sensor, metric) DO UPDATE SET ${UPSERT_SET}`,
      ),
      up1h: db.prepare(
        `INSERT INTO rollup_1h (bucket, sensor, metric, n, vsum, vmin, vmax, first_ts, last_ts, last)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sensor, bucket, metric) DO UPDATE SET ${UPSERT_SET}`,
      ),
      page: db.prepare(
        'SELECT ts, metric, value FROM readings WHERE sensor = ? AND ts >= ? AND ts < ? ORDER BY ts, metric LIMIT ?',
      ),
      b1m: db.prepare(
        `SELECT bucket, metric, n, vsum, vmin, vmax FROM rollup_1m
         WHERE sensor = ? AND bucket >= ? AND bucket < ? ORDER BY bucket, metric`,
      ),
      b1h: db.prepare(
        `SELECT bucket, metric, n, vsum, vmin, vmax FROM rollup_1h
         WHERE sensor = ? AND bucket >= ? AND bucket < ? ORDER BY bucket, metric`,
      ),
      // Complete minutes of the look-back: per (sensor, metric) the row with the latest last_ts (SQLite takes
      // the bare columns from the row that holds max()).
      snapMinutes: db.prepare(
        `SELECT sensor, metric, max(last_ts) AS ts, last AS value FROM rollup_1m
         WHERE bucket >= ? AND bucket < ? AND last_ts >= ? GROUP BY sensor, metric`,
      ),
      snapCurrent: db.prepare(
        'SELECT sensor, metric, first_ts AS firstTs, last_ts AS lastTs, last FROM rollup_1m WHERE bucket = ?',
      ),
      snapRaw: db.prepare(
        'SELECT metric, ts, value FROM readings WHERE sensor = ? AND ts >= ? AND ts <= ? ORDER BY ts',
      ),
      kfDelete: db.prepare('DELETE FROM keyframes WHERE boundary >= ? AND boundary <= ? RETURNING boundary'),
      kfHas: db.prepare('SELECT 1 FROM keyframes WHERE boundary = ?').pluck(),
      kfBefore: db.prepare(
        'SELECT boundary, data FROM keyframes WHERE boundary >= ? AND boundary < ? ORDER BY boundary DESC LIMIT 1',
      ),
      kfNewest: db.prepare(
        'SELECT boundary, data FROM keyframes WHERE boundary > ? AND boundary <= ? ORDER BY boundary DESC LIMIT 1',
      ),
      kfPut: db.prepare('INSERT OR REPLACE INTO keyframes (boundary, data) VALUES (?, ?)'),
      kfMinutes: db.prepare(
        'SELECT sensor, metric, last_ts AS ts, last AS value FROM rollup_1m WHERE bucket >= ? AND bucket < ?',
      ),
      kfPrune: db.prepare('DELETE FROM keyframes WHERE boundary < ?'),
      pruneRaw: db.prepare('DELETE FROM readings WHERE sensor = ? AND ts < ?'),
      prune1m: db.prepare('DELETE FROM rollup_1m WHERE bucket < ?'),
      prune1h: db.prepare('DELETE FROM rollup_1h WHERE sensor = ? AND bucket < ?'),
    };
    this.loadDims();
    this.writeTx = db.transaction((batch: readonly Reading[]) => this.writeBatch(batch));
    this.fetchPage = (sensor, fromTs, to, limit) =>
      Promise.resolve(this.s.page.all(sensor, fromTs, to, limit) as ValueRow[]);
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new Error(`reading store ${this.opts.file} has schema v${version}; this build knows v${MIGRATIONS.length}`);
    }
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  private loadDims(): void {
    const devices = this.db.prepare('SELECT sensor, device_id, type FROM devices').all() as {
      sensor: number;
      device_id: string;
      type: DeviceType;
    }[];
    for (const d of devices) this.dims.addDevice({ sensor: d.sensor, deviceId: d.device_id, type: d.type });
    const metrics = this.db.prepare('SELECT id, name FROM metrics').all() as { id: number; name: string }[];
    for (const m of metrics) this.dims.addMetric(m.id, m.name);
  }

  private sensorOf(r: Reading): number {
    const known = this.dims.byDeviceId.get(r.deviceId);
    if (known !== undefined) return known.sensor;
    const sensor = Number(this.s.addDevice.run(r.deviceId, r.type).lastInsertRowid);
    this.dims.addDevice({ sensor, deviceId: r.deviceId, type: r.type });
    this.created.devices.push({ sensor, deviceId: r.deviceId, type: r.type });
    return sensor;
  }

  private metricOf(name: string): number {
    const known = this.dims.metricByName.get(name);
    if (known !== undefined) return known;
    const id = Number(this.s.addMetric.run(name).lastInsertRowid);
    this.dims.addMetric(id, name);
    this.created.metrics.push({ id, name });
    return id;
  }

  private writeBatch(batch: readonly Reading[]): AppendResult {
    const minute = new RollupBatch(BUCKET_MS['1m']);
    const hour = new RollupBatch(BUCKET_MS['1h']);
    let inserted = 0;
    let duplicates = 0;
    const slots = new Set<number>();
    let newest = -Infinity;
    for (const r of batch) {
      const sensor = this.sensorOf(r);
      for (const name in r.values) {
        const value = r.values[name]!;
        const metric = this.metricOf(name);
        if (this.s.insert.run(sensor, r.ts, metric, value).changes === 0) {
          duplicates++;
          continue;
        }
        inserted++;
        slots.add(floorTo(r.ts, KEYFRAME_MS));
        if (r.ts > newest) newest = r.ts;
        minute.add(sensor, metric, r.ts, value);
        hour.add(sensor, metric, r.ts, value);
      }
    }
    const up = (stmt: Database.Statement, a: RollupAgg) =>
      stmt.run(a.bucket, a.sensor, a.metric, a.n, a.vsum, a.vmin, a.vmax, a.firstTs, a.lastTs, a.last);
    for (const a of minute.values()) up(this.s.up1m, a);
    for (const a of hour.values()) up(this.s.up1h, a);
    if (inserted > 0) this.maintainKeyframes(slots, newest);
    return { inserted, duplicates };
  }

  /** Keyframes stored, and those waiting for a rebuild (for tests: the waiting set is bounded). */
  keyframeStats(): { stored: number; dirty: number; builds: number } {
    const stored = this.db.prepare('SELECT count(*) FROM keyframes').pluck().get() as number;
    return { stored, dirty: this.dirty.size, builds: this.keyframeBuilds };
  }

  /** In the batch's transaction, after its rollups (keyframe.ts says what and why). */
  private maintainKeyframes(slots: ReadonlySet<number>, newest: number): void {
    for (const slot of slots) {
      const [from, to] = affectedBoundaries(slot);
      for (const b of this.s.kfDelete.pluck().all(from, to) as number[]) {
        if (this.dirty.size < MAX_DIRTY_KEYFRAMES) this.dirty.add(b);
      }
    }
    const target = floorTo(newest - GRACE_MS, KEYFRAME_MS);
    // Deleted by late readings, it waits for the repair with the others: a backfill deletes it in each of its
    // batches, and rebuilding it each time scanned the look-back's minute rollups per batch.
    if (!this.dirty.has(target)) this.ensureKeyframes([target]);
    const t = this.now();
    if (this.dirty.size > 0 && t - this.lastRepair >= (this.opts.repairEveryMs ?? REPAIR_EVERY_MS)) {
      this.lastRepair = t;
      const due = [...this.dirty].filter((b) => b <= target).sort((a, b) => a - b);
      for (const b of due) this.dirty.delete(b);
      this.ensureKeyframes(due);
    }
  }

  /** Builds the absent keyframes of `boundaries` (ascending), each from the one before it where it can. */
  private ensureKeyframes(boundaries: readonly number[]): void {
    let state: KeyframeState | null = null;
    let stateAt = 0;
    for (const k of boundaries) {
      if (this.s.kfHas.get(k) !== undefined) {
        state = null;
        continue;
      }
      if (state === null || stateAt < k - MAX_LOOKBACK_MS) {
        const prev = this.s.kfBefore.get(k - MAX_LOOKBACK_MS, k) as { boundary: number; data: Buffer } | undefined;
        state = prev === undefined ? new Map() : decodeKeyframe(prev.data);
        stateAt = prev === undefined ? k - MAX_LOOKBACK_MS : prev.boundary;
      }
      mergeInto(state, this.s.kfMinutes.iterate(stateAt, k) as IterableIterator<SnapshotCandidate>);
      dropExpired(state, k);
      this.s.kfPut.run(k, encodeKeyframe(state));
      this.keyframeBuilds++;
      stateAt = k;
    }
  }

  /** `append`, also telling which devices and metrics it added to the dimension tables. */
  async appendReporting(batch: readonly Reading[]): Promise<{ result: AppendResult; created: NewDims }> {
    this.created = { devices: [], metrics: [] };
    const result = await this.append(batch);
    const created = this.created;
    this.created = { devices: [], metrics: [] };
    return { result, created };
  }

  /** Dimension rows another connection created (committed): reads can name them from now on. */
  learnDims(d: NewDims): void {
    for (const x of d.devices) this.dims.addDevice(x);
    for (const m of d.metrics) this.dims.addMetric(m.id, m.name);
  }

  async append(batch: readonly Reading[]): Promise<AppendResult> {
    for (const r of batch) {
      const problem = readingProblem(r);
      if (problem !== null) throw new TypeError(`reading store: bad reading (${problem})`);
    }
    try {
      const result = this.writeTx(batch);
      this.maybeCheckpoint();
      return result;
    } catch (err) {
      // The transaction rolled back; ids handed out inside it no longer exist.
      this.dims.bySensor.clear();
      this.dims.byDeviceId.clear();
      this.dims.metricById.clear();
      this.dims.metricByName.clear();
      this.loadDims();
      throw err;
    }
  }

  private maybeCheckpoint(): void {
    const t = this.now();
    if (t - this.lastCheckpoint < this.checkpointEveryMs) return;
    this.lastCheckpoint = t;
    this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  async range(deviceId: string, from: number, to: number, opts: { limit?: number } = {}): Promise<RawPoint[]> {
    checkRangeArgs(from, to);
    const limit = clampLimit(opts.limit);
    const d = this.dims.byDeviceId.get(deviceId);
    if (d === undefined) return [];
    return collectRange(pointsOf(this.fetchPage, this.dims, d.sensor, from, to), limit);
  }

  async rangeBucketed(deviceId: string, from: number, to: number, bucket: Bucket): Promise<BucketPoint[]> {
    checkRangeArgs(from, to);
    const d = this.dims.byDeviceId.get(deviceId);
    if (d === undefined) return [];
    const stmt = bucket === '1m' ? this.s.b1m : this.s.b1h;
    const rows = stmt.all(d.sensor, floorTo(from, BUCKET_MS[bucket]), to) as BucketRow[];
    return groupBuckets(rows, this.dims);
  }

  /** One prepared read per device: in-process, a call costs microseconds, so there is nothing to batch. */
  rangeBucketedMany: ReadingStore['rangeBucketedMany'] = perDevice((...a) => this.rangeBucketed(...a));

  async latestAt(at: number, opts: { lookbackMs?: number } = {}): Promise<DeviceSnapshot[]> {
    const lookback = checkLookback(opts.lookbackMs);
    if (!Number.isFinite(at)) throw new RangeError(`bad instant ${at}`);
    const since = at - lookback;
    const minuteOfAt = floorTo(at, BUCKET_MS['1m']);
    const merge = new SnapshotMerge(this.dims);
    const add = (sensor: number, metric: number, ts: number, value: number) => {
      if (ts >= since) merge.add(sensor, metric, ts, value);
    };
    // One read transaction, so the reads see the same data.
    this.db.transaction(() => {
      // The newest keyframe within the look-back, and the minutes after it; without one, every minute of it.
      const kf = this.s.kfNewest.get(since, at) as { boundary: number; data: Buffer } | undefined;
      if (kf !== undefined) addKeyframe(kf.data, since, merge);
      const scanFrom = kf?.boundary ?? floorTo(since, BUCKET_MS['1m']);
      for (const c of this.s.snapMinutes.all(scanFrom, minuteOfAt, since) as SnapshotCandidate[]) {
        add(c.sensor, c.metric, c.ts, c.value);
      }
      const current = this.s.snapCurrent.all(minuteOfAt) as {
        sensor: number;
        metric: number;
        firstTs: number;
        lastTs: number;
        last: number;
      }[];
      const straddling = new Set<number>();
      for (const c of current) {
        if (c.lastTs <= at) add(c.sensor, c.metric, c.lastTs, c.last);
        else if (c.firstTs <= at) straddling.add(c.sensor);
      }
      // Devices with readings on both sides of `at` within its minute: only the raw rows know which is last.
      for (const sensor of straddling) {
        const rows = this.s.snapRaw.all(sensor, Math.max(minuteOfAt, since), at) as ValueRow[];
        for (const r of rows) add(sensor, r.metric, r.ts, r.value);
      }
    })();
    return merge.result();
  }

  exportRange(type: DeviceType, from: number, to: number): AsyncIterable<ExportRow> {
    checkRangeArgs(from, to);
    return exportRows(this.fetchPage, this.dims, type, from, to);
  }

  async prune(req: PruneRequest): Promise<{ rawRows: number }> {
    let rawRows = 0;
    const sensors = [...this.dims.bySensor.keys()];
    // A transaction per 200 devices: bounded WAL growth, and the tick's writes get the lock in between.
    for (let i = 0; i < sensors.length; i += 200) {
      const chunk = sensors.slice(i, i + 200);
      this.db.transaction(() => {
        for (const s of chunk) {
          rawRows += this.s.pruneRaw.run(s, req.rawBefore).changes;
          if (req.hourBefore !== undefined) this.s.prune1h.run(s, req.hourBefore);
        }
      })();
    }
    // Keyframes first: one must never be left with the minute rollups after it gone.
    this.s.kfPrune.run(keyframePruneBefore(req));
    if (req.minuteBefore !== undefined) this.s.prune1m.run(req.minuteBefore);
    return { rawRows };
  }

  async coverage(): Promise<{ from: number; to: number } | null> {
    const r = this.db.prepare(`SELECT (SELECT MIN(first_ts) FROM rollup_1m WHERE bucket = (SELECT MIN(bucket) FROM rollup_1m)) AS "from", (SELECT MAX(last_ts) FROM rollup_1m WHERE bucket = (SELECT MAX(bucket) FROM rollup_1m)) AS "to"`).get() as { from: number | null; to: number | null };
    return r.from === null || r.to === null ? null : { from: r.from, to: r.to };
  }

  async sizeBytes(): Promise<number> {
    if (this.opts.file === ':memory:') {
      const pages = this.db.pragma('page_count', { simple: true }) as number;
      return pages * (this.db.pragma('page_size', { simple: true }) as number);
    }
    let total = 0;
    for (const suffix of ['', '-wal']) {
      try {
        total += statSync(this.opts.file + suffix).size;
      } catch {
        // no WAL file right after a truncating checkpoint
      }
    }
    return total;
  }

  async close(): Promise<void> {
    if (this.db.open) {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      this.db.close();
    }
  }
}
