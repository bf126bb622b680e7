/**
 * The reading store on PostgreSQL (`pg`): the engine for more than one instance (DATABASE_URL).
 *
 * - One statement per batch: the raw insert (`unnest` arrays, ON CONFLICT DO NOTHING) feeds both rollup
 *   upserts through RETURNING, so rollups only count rows that were new, and a statement is its own
 *   transaction: a batch is stored whole or not at all.
 * - Several instances may write: dimension rows are inserted with ON CONFLICT DO NOTHING and read back, rollup
 *   upserts are ordered by key so two batches lock rows in the same order, partitions tolerate a racing creator.
 * - int8 columns (ts, counts) are parsed to numbers: epoch ms stay below 2^53.
 */
import pg from 'pg';
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
  MAX_LOOKBACK_MS,
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
  addKeyframe,
  affectedBoundaries,
  decodeKeyframe,
  dropExpired,
  encodeKeyframe,
  keyframePruneBefore,
  mergeInto,
  type KeyframeState,
} from './keyframe';
import { DAY_MS, SCHEMA_NAME, createPartition, dayStart, listPartitions, migrate } from './pgSchema';

export interface PgReadingStoreOptions {
  connectionString: string;
  /** Schema holding the tables (default `ioc_readings`); tests use one per test. */
  schema?: string;
  /** Pool size (default 4): one writer, readers beside it. */
  max?: number;
  now?: () => number;
  /** Rebuilds of keyframes deleted by late readings, at most this often (default REPAIR_EVERY_MS). */
  repairEveryMs?: number;
}

const INT8_OID = 20;

const rollupUpsert = (table: string, size: number, conflict: string) => `
  INSERT INTO ${table} AS r (bucket, sensor, metric, n, vsum, vmin, vmax, first_ts, last_ts, last)
  SELECT ts - ts % ${size}, sensor, metric, count(*), sum(value), min(value), max(value), min(ts), max(ts),
         (array_agg(value ORDER BY ts DESC))[1]
  FROM ins GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (${conflict}) DO UPDATE SET
    n = r.n + excluded.n, vsum = r.vsum + excluded.vsum,
    vmin = LEAST(r.vmin, excluded.vmin), vmax = GREATEST(r.vmax, excluded.vmax),
    first_ts = LEAST(r.first_ts, excluded.first_ts),
    last = CASE WHEN excluded.last_ts > r.last_ts THEN excluded.last ELSE r.last END,
    last_ts = GREATEST(r.last_ts, excluded.last_ts)
  RETURNING 1`;

const APPEND_SQL = `
  WITH ins AS (
    INSERT INTO readings (sensor, ts, metric, value)
    SELECT * FROM unnest($1::integer[], $2::bigint[], $3::smallint[], $4::double precision[])
    ON CONFLICT DO NOTHING
    RETURNING sensor, ts, metric, value
  ),
  m AS (${rollupUpsert('rollup_1m', BUCKET_MS['1m'], 'bucket, sensor, metric')}),
  h AS (${rollupUpsert('rollup_1h', BUCKET_MS['1h'], 'sensor, bucket, metric')})
  SELECT count(*) AS inserted, max(ts) AS newest,
         array_agg(DISTINCT ts - ts % ${KEYFRAME_MS}) AS slots FROM ins`;

export async function openPgReadingStore(opts: PgReadingStoreOptions): Promise<ReadingStore> {
  const schema = opts.schema ?? 'ioc_readings';
  if (!SCHEMA_NAME.test(schema)) throw new Error(`reading store: bad schema name ${JSON.stringify(schema)}`);
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, Number);
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.max ?? 4,
    types,
    options: `-c search_path=${schema}`,
  });
  // An idle client's network error must not crash the process; the next query reports it.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    try {
      await migrate(client, schema);
    } finally {
      client.release();
    }
    const store = new PgReadingStore(pool, schema, opts.now ?? Date.now, opts.repairEveryMs ?? REPAIR_EVERY_MS);
    await store.init();
    return store;
  } catch (err) {
    await pool.end();
    throw err;
  }
}

class PgReadingStore implements ReadingStore {
  private readonly dims = new Dims();
  private readonly partitions = new Set<number>();
  private lastDimsLoad = 0;
  private closed = false;
  private readonly fetchPage: FetchPage;
  /** Keyframe boundaries deleted by late readings, to rebuild (bounded: MAX_DIRTY_KEYFRAMES). */
  private readonly dirty = new Set<number>();
  private lastRepair: number;

  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
    private readonly now: () => number,
    private readonly repairEveryMs: number,
  ) {
    this.lastRepair = now();
    this.fetchPage = async (sensor, fromTs, to, limit) =>
      (
        await this.pool.query<ValueRow>({
          // Named: prepared once per connection, so an export of thousands of devices is not planned
          // thousands of times over every partition.
          name: 'readings-page',
          text: `SELECT ts, metric, value FROM readings WHERE sensor = $1 AND ts >= $2 AND ts < $3
                 ORDER BY ts, metric LIMIT $4`,
          values: [sensor, fromTs, to, limit],
        })
      ).rows;
  }

  async init(): Promise<void> {
    await this.loadDims();
    const today = dayStart(this.now());
    await this.ensurePartitions([today, today + DAY_MS]);
  }

  private async loadDims(): Promise<void> {
    const devices = await this.pool.query<{ sensor: number; device_id: string; type: DeviceType }>(
      'SELECT sensor, device_id, type FROM devices',
    );
    for (const d of devices.rows) this.dims.addDevice({ sensor: d.sensor, deviceId: d.device_id, type: d.type });
    const metrics = await this.pool.query<{ id: number; name: string }>('SELECT id, name FROM metrics');
    for (const m of metrics.rows) this.dims.addMetric(m.id, m.name);
    this.lastDimsLoad = this.now();
  }

  /** Another instance may have added devices: reload on a miss, at most every 5 s (a miss can be a typo). */
  private async refreshDims(): Promise<void> {
    if (this.now() - this.lastDimsLoad >= 5_000) await this.loadDims();
  }

  private async ensurePartitions(days: Iterable<number>): Promise<void> {
    const missing = [...new Set(days)].filter((d) => !this.partitions.has(d));
    if (missing.length === 0) return;
    const client = await this.pool.connect();
    try {
      for (const day of missing) {
        await createPartition(client, this.schema, day);
        this.partitions.add(day);
      }
    } finally {
      client.release();
    }
  }

  private async ensureDims(batch: readonly Reading[]): Promise<void> {
    const newDevices = new Map<string, DeviceType>();
    const newMetrics = new Set<string>();
    for (const r of batch) {
      if (!this.dims.byDeviceId.has(r.deviceId)) newDevices.set(r.deviceId, r.type);
      for (const name in r.values) if (!this.dims.metricByName.has(name)) newMetrics.add(name);
    }
    if (newDevices.size > 0) {
      const ids = [...newDevices.keys()];
      await this.pool.query(
        `INSERT INTO devices (device_id, type) SELECT * FROM unnest($1::text[], $2::text[])
         ON CONFLICT (device_id) DO NOTHING`,
        [ids, [...newDevices.values()]],
      );
      const { rows } = await this.pool.query<{ sensor: number; device_id: string; type: DeviceType }>(
        'SELECT sensor, device_id, type FROM devices WHERE device_id = ANY($1)',
        [ids],
      );
      for (const d of rows) this.dims.addDevice({ sensor: d.sensor, deviceId: d.device_id, type: d.type });
    }
    if (newMetrics.size > 0) {
      const names = [...newMetrics];
      await this.pool.query(
        'INSERT INTO metrics (name) SELECT * FROM unnest($1::text[]) ON CONFLICT (name) DO NOTHING',
        [names],
      );
      const { rows } = await this.pool.query<{ id: number; name: string }>(
        'SELECT id, name FROM metrics WHERE name = ANY($1)',
        [names],
      );
      for (const m of rows) this.dims.addMetric(m.id, m.name);
    }
  }

  async append(batch: readonly Reading[]): Promise<AppendResult> {
    let total = 0;
    const days = new Set<number>();
    for (const r of batch) {
      const problem = readingProblem(r);
      if (problem !== null) throw new TypeError(`reading store: bad reading (${problem})`);
      days.add(dayStart(r.ts));
    }
    await this.ensureDims(batch);
    await this.ensurePartitions(days);
    const sensors: number[] = [];
    const tss: number[] = [];
    const metrics: number[] = [];
    const values: number[] = [];
    for (const r of batch) {
      const sensor = this.dims.byDeviceId.get(r.deviceId)!.sensor;
      for (const name in r.values) {
        sensors.push(sensor);
        tss.push(r.ts);
        metrics.push(this.dims.metricByName.get(name)!);
        values.push(r.values[name]!);
        total++;
      }
    }
    if (total === 0) return { inserted: 0, duplicates: 0 };
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ inserted: number; newest: number | null; slots: (number | string)[] | null }>({
        name: 'readings-append',
        text: APPEND_SQL,
        values: [sensors, tss, metrics, values],
      });
      const inserted = rows[0]?.inserted ?? 0;
      const newest = rows[0]?.newest ?? null;
      if (inserted > 0 && newest !== null) {
        await this.maintainKeyframes(client, (rows[0]?.slots ?? []).map(Number), newest);
      }
      await client.query('COMMIT');
      return { inserted, duplicates: total - inserted };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * In the batch's transaction, after its rows (keyframe.ts says what and why). Instances writing at once take
   * turns here: a build waits for a batch that would delete what it builds, and that batch, once it has the
   * lock, sees the keyframe (each statement of a READ COMMITTED transaction sees what committed before it).
   */
  private async maintainKeyframes(client: pg.PoolClient, slots: readonly number[], newest: number): Promise<void> {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`ioc-keyframes:${this.schema}`]);
    for (const slot of slots) {
      const [from, to] = affectedBoundaries(slot);
      const { rows } = await client.query<{ boundary: number }>(
        'DELETE FROM keyframes WHERE boundary >= $1 AND boundary <= $2 RETURNING boundary',
        [from, to],
      );
      for (const r of rows) if (this.dirty.size < MAX_DIRTY_KEYFRAMES) this.dirty.add(r.boundary);
    }
    const target = floorTo(newest - GRACE_MS, KEYFRAME_MS);
    // Deleted by late readings, it waits for the repair with the others (sqliteEngine.ts says why).
    if (!this.dirty.has(target)) await this.ensureKeyframes(client, [target]);
    const t = this.now();
    if (this.dirty.size > 0 && t - this.lastRepair >= this.repairEveryMs) {
      this.lastRepair = t;
      const due = [...this.dirty].filter((b) => b <= target).sort((a, b) => a - b);
      for (const b of due) this.dirty.delete(b);
      await this.ensureKeyframes(client, due);
    }
  }

  /** Builds the absent keyframes of `boundaries` (ascending), each from the one before it where it can. */
  private async ensureKeyframes(client: pg.PoolClient, boundaries: readonly number[]): Promise<void> {
    let state: KeyframeState | null = null;
    let stateAt = 0;
    for (const k of boundaries) {
      if ((await client.query('SELECT 1 FROM keyframes WHERE boundary = $1', [k])).rows.length > 0) {
        state = null;
        continue;
      }
      if (state === null || stateAt < k - MAX_LOOKBACK_MS) {
        const { rows } = await client.query<{ boundary: number; data: Buffer }>(
          'SELECT boundary, data FROM keyframes WHERE boundary >= $1 AND boundary < $2 ORDER BY boundary DESC LIMIT 1',
          [k - MAX_LOOKBACK_MS, k],
        );
        const prev = rows[0];
        state = prev === undefined ? new Map() : decodeKeyframe(prev.data);
        stateAt = prev === undefined ? k - MAX_LOOKBACK_MS : prev.boundary;
      }
      const minutes = await client.query<SnapshotCandidate>(
        'SELECT sensor, metric, last_ts AS ts, last AS value FROM rollup_1m WHERE bucket >= $1 AND bucket < $2',
        [stateAt, k],
      );
      mergeInto(state, minutes.rows);
      dropExpired(state, k);
      await client.query('INSERT INTO keyframes (boundary, data) VALUES ($1, $2)', [k, encodeKeyframe(state)]);
      stateAt = k;
    }
  }

  private async sensorOf(deviceId: string): Promise<number | undefined> {
    if (!this.dims.byDeviceId.has(deviceId)) await this.refreshDims();
    return this.dims.byDeviceId.get(deviceId)?.sensor;
  }

  async range(deviceId: string, from: number, to: number, opts: { limit?: number } = {}): Promise<RawPoint[]> {
    checkRangeArgs(from, to);
    const limit = clampLimit(opts.limit);
    const sensor = await this.sensorOf(deviceId);
    if (sensor === undefined) return [];
    return collectRange(pointsOf(this.fetchPage, this.dims, sensor, from, to), limit);
  }

  async rangeBucketed(deviceId: string, from: number, to: number, bucket: Bucket): Promise<BucketPoint[]> {
    checkRangeArgs(from, to);
    const sensor = await this.sensorOf(deviceId);
    if (sensor === undefined) return [];
    const table = bucket === '1m' ? 'rollup_1m' : 'rollup_1h';
    const { rows } = await this.pool.query<BucketRow>(
      `SELECT bucket, metric, n, vsum, vmin, vmax FROM ${table}
       WHERE sensor = $1 AND bucket >= $2 AND bucket < $3 ORDER BY bucket, metric`,
      [sensor, floorTo(from, BUCKET_MS[bucket]), to],
    );
    return groupBuckets(rows, this.dims);
  }

  async rangeBucketedMany(deviceIds: readonly string[], from: number, to: number, bucket: Bucket, opts: { metrics?: readonly string[] } = {}): Promise<Map<string, BucketPoint[]>> {
    checkRangeArgs(from, to);
    const out = new Map<string, BucketPoint[]>();
    if (deviceIds.some((id) => !this.dims.byDeviceId.has(id)) || opts.metrics?.some((m) => !this.dims.metricByName.has(m))) await this.refreshDims();
    const sensors = deviceIds.flatMap((id) => this.dims.byDeviceId.get(id)?.sensor ?? []);
    const metrics = opts.metrics?.flatMap((m) => this.dims.metricByName.get(m) ?? []);
    if (sensors.length === 0 || metrics?.length === 0) return out;
    const table = bucket === '1m' ? 'rollup_1m' : 'rollup_1h';
    const { rows } = await this.pool.query<BucketRow & { sensor: number }>(
      `SELECT sensor, bucket, metric, n, vsum, vmin, vmax FROM ${table}
       WHERE sensor = ANY($1::int[]) AND bucket >= $2 AND bucket < $3 ${metrics ? 'AND metric = ANY($4::smallint[])' : ''}
       ORDER BY sensor, bucket, metric`,
      [sensors, floorTo(from, BUCKET_MS[bucket]), to, ...(metrics ? [metrics] : [])],
    );
    for (let a = 0; a < rows.length; ) {
      let b = a;
      while (b < rows.length && rows[b]!.sensor === rows[a]!.sensor) b++;
      out.set(this.dims.bySensor.get(rows[a]!.sensor)!.deviceId, groupBuckets(rows.slice(a, b), this.dims));
      a = b;
    }
    return out;
  }

  async latestAt(at: number, opts: { lookbackMs?: number } = {}): Promise<DeviceSnapshot[]> {
    const lookback = checkLookback(opts.lookbackMs);
    if (!Number.isFinite(at)) throw new RangeError(`bad instant ${at}`);
    const since = at - lookback;
    const minuteOfAt = floorTo(at, BUCKET_MS['1m']);
    const client = await this.pool.connect();
    let keyframe: Buffer | null = null;
    let out: SnapshotCandidate[];
    try {
      // One snapshot for the reads, so a batch committed in between cannot be half seen.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // The newest keyframe within the look-back, and the minutes after it; without one, every minute of it.
      const kf = await client.query<{ boundary: number; data: Buffer }>(
        'SELECT boundary, data FROM keyframes WHERE boundary > $1 AND boundary <= $2 ORDER BY boundary DESC LIMIT 1',
        [since, at],
      );
      keyframe = kf.rows[0]?.data ?? null;
      const minutes = await client.query<SnapshotCandidate>(
        `SELECT DISTINCT ON (sensor, metric) sensor, metric, last_ts AS ts, last AS value FROM rollup_1m
         WHERE bucket >= $1 AND bucket < $2 AND last_ts >= $3 ORDER BY sensor, metric, last_ts DESC`,
        [kf.rows[0]?.boundary ?? floorTo(since, BUCKET_MS['1m']), minuteOfAt, since],
      );
      out = minutes.rows;
      const current = await client.query<{ sensor: number; metric: number; first_ts: number; last_ts: number; last: number }>(
        'SELECT sensor, metric, first_ts, last_ts, last FROM rollup_1m WHERE bucket = $1',
        [minuteOfAt],
      );
      const straddling = new Set<number>();
      for (const c of current.rows) {
        if (c.last_ts <= at) out.push({ sensor: c.sensor, metric: c.metric, ts: c.last_ts, value: c.last });
        else if (c.first_ts <= at) straddling.add(c.sensor);
      }
      // Devices with readings on both sides of `at` within its minute: only the raw rows know which is last.
      if (straddling.size > 0) {
        const raw = await client.query<SnapshotCandidate>(
          'SELECT sensor, metric, ts, value FROM readings WHERE sensor = ANY($1) AND ts >= $2 AND ts <= $3',
          [[...straddling], Math.max(minuteOfAt, since), at],
        );
        for (const r of raw.rows) out.push(r);
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
    // Rows another instance wrote may name devices or metrics this one has not loaded yet: load once, then
    // leave out what is still unknown.
    const merged = (): { snap: SnapshotMerge; unknown: boolean } => {
      const snap = new SnapshotMerge(this.dims);
      let unknown = false;
      const add = (sensor: number, metric: number, ts: number, value: number) => {
        if (ts < since) return;
        if (!this.dims.bySensor.has(sensor) || !this.dims.metricById.has(metric)) unknown = true;
        else snap.add(sensor, metric, ts, value);
      };
      if (keyframe !== null) addKeyframe(keyframe, since, { add });
      for (const c of out) add(c.sensor, c.metric, c.ts, c.value);
      return { snap, unknown };
    };
    let m = merged();
    if (m.unknown) {
      await this.loadDims();
      m = merged();
    }
    return m.snap.result();
  }

  async *exportRange(type: DeviceType, from: number, to: number): AsyncGenerator<ExportRow> {
    checkRangeArgs(from, to);
    await this.refreshDims();
    yield* exportRows(this.fetchPage, this.dims, type, from, to);
  }

  async prune(req: PruneRequest): Promise<{ rawRows: number }> {
    let rawRows = 0;
    const client = await this.pool.connect();
    try {
      for (const p of await listPartitions(client, this.schema)) {
        if (p.day >= req.rawBefore) break;
        if (p.day + DAY_MS <= req.rawBefore) {
          // A whole day before the cut-off: drop it (no dead rows, no VACUUM), counting what goes.
          const { rows } = await client.query<{ n: number }>(`SELECT count(*) AS n FROM ${p.name}`);
          await client.query(`DROP TABLE ${p.name}`);
          this.partitions.delete(p.day);
          rawRows += rows[0]?.n ?? 0;
        } else {
          const res = await client.query(`DELETE FROM ${p.name} WHERE ts < $1`, [req.rawBefore]);
          rawRows += res.rowCount ?? 0;
        }
      }
      // Keyframes first: one must never be left with the minute rollups after it gone.
      await client.query('DELETE FROM keyframes WHERE boundary < $1', [keyframePruneBefore(req)]);
      if (req.minuteBefore !== undefined) await client.query('DELETE FROM rollup_1m WHERE bucket < $1', [req.minuteBefore]);
      if (req.hourBefore !== undefined) await client.query('DELETE FROM rollup_1h WHERE bucket < $1', [req.hourBefore]);
    } finally {
      client.release();
    }
    return { rawRows };
  }

  async coverage(): Promise<{ from: number; to: number } | null> {
    const { rows } = await this.pool.query<{ from: string | null; to: string | null }>(`SELECT (SELECT MIN(first_ts) FROM rollup_1m WHERE bucket = (SELECT MIN(bucket) FROM rollup_1m)) AS "from", (SELECT MAX(last_ts) FROM rollup_1m WHERE bucket = (SELECT MAX(bucket) FROM rollup_1m)) AS "to"`);
    const r = rows[0];
    return !r || r.from === null || r.to === null ? null : { from: Number(r.from), to: Number(r.to) };
  }

  async sizeBytes(): Promise<number> {
    const { rows } = await this.pool.query<{ bytes: number }>(
      `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint AS bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind = 'r'`,
      [this.schema],
    );
    return rows[0]?.bytes ?? 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
