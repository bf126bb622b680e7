/**
 * Measures the reading store's engines: append rate (rows/s, rollups included), bytes per row, the snapshot at
 * an instant for the province's fleet (~2,300 devices) and for 100,000 devices, one device's 30 days bucketed
 * hourly, and export rate. CPU heavy; run it once:
 *
 *   IOC_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:55432/postgres npx tsx bench/storeBench.ts
 *
 * `--quick` shrinks every data set (a smoke run of the script, not a measurement). Without a database URL only
 * SQLite is measured. A "row" is one value (device, metric, ts). The fleet is the
 * Quảng Ngãi registry's mix (every device every 60 s, cameras every 30 s); values are deterministic.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { DeviceType } from '../shared/mqtt';
import { openPgReadingStore } from '../server/store/readings/pgEngine';
import type { Reading, ReadingStore } from '../server/store/readings/port';
import { openSqliteReadingStore } from '../server/store/readings/sqliteEngine';
import { percentile } from './stats';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const END = Date.UTC(2026, 10, 20, 0, 0, 0);
const TX_ROWS = 20_000;
const QUERIES = 20;
const QUICK = process.argv.includes('--quick');

interface Dev {
  id: string;
  type: DeviceType;
  intervalMs: number;
  metrics: readonly string[];
}

const METRICS: Record<DeviceType, readonly string[]> = {
  air: ['pm25', 'pm10', 'o3', 'co', 'so2', 'no2', 'temperature', 'relativeHumidity'],
  water: ['flow', 'temperature', 'pH', 'cod', 'tss', 'nh4'],
  hydro: ['waterLevel'],
  rain: ['precipitation', 'intervalSec'],
  camera: ['intensityCar', 'intensityMotorbike', 'averageVehicleSpeed', 'occupancy', 'windowSec'],
  iot: ['power', 'energy'],
};

function devices(type: DeviceType, n: number, intervalMs: number, prefix: string = type): Dev[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `bench-${prefix}-${String(i).padStart(6, '0')}`,
    type,
    intervalMs,
    metrics: METRICS[type],
  }));
}

/** The registry's mix: 48 air, 15 water, 13 hydro, 60 rain, 150 cameras, 2,000 IoT (2,286 devices). */
const province = (): Dev[] => [
  ...devices('air', 48, MIN),
  ...devices('water', 15, MIN),
  ...devices('hydro', 13, MIN),
  ...devices('rain', 60, MIN),
  ...devices('camera', 150, 30_000),
  ...devices('iot', 2_000, MIN),
];

/** Readings of `devs` in [from, to), in time order, in batches of about TX_ROWS rows (as the writer makes). */
function* batches(devs: readonly Dev[], from: number, to: number): Generator<Reading[]> {
  const step = 30_000;
  let batch: Reading[] = [];
  let rows = 0;
  for (let t = from, k = 0; t < to; t += step, k++) {
    for (let i = 0; i < devs.length; i++) {
      const d = devs[i]!;
      const every = d.intervalMs / step;
      if ((k + i) % every !== 0) continue;
      const values: Record<string, number> = {};
      for (let m = 0; m < d.metrics.length; m++) values[d.metrics[m]!] = ((i * 7919 + m * 104_729 + k * 31) % 100_000) / 100;
      batch.push({ deviceId: d.id, type: d.type, ts: t + ((i * 37) % step), values });
      rows += d.metrics.length;
      if (rows >= TX_ROWS) {
        yield batch;
        batch = [];
        rows = 0;
      }
    }
  }
  if (batch.length > 0) yield batch;
}

async function load(store: ReadingStore, devs: readonly Dev[], from: number, to: number) {
  let rows = 0;
  const t0 = performance.now();
  for (const b of batches(devs, from, to)) rows += (await store.append(b)).inserted;
  const s = (performance.now() - t0) / 1000;
  return { rows, seconds: round(s, 1), rowsPerSec: Math.round(rows / s) };
}

/** Deterministic instants, so both engines answer the same questions. */
function instants(from: number, to: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => from + Math.floor(((i * 0.618_034) % 1) * (to - from)));
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const t0 = performance.now();
  const result = await fn();
  return { ms: performance.now() - t0, result };
}

const round = (x: number, digits = 2) => Number(x.toFixed(digits));
const pct = (ms: number[]) => ({ p50: round(percentile(ms, 50)), p95: round(percentile(ms, 95)) });

async function snapshotLatency(store: ReadingStore, from: number, to: number, lookbackMs: number) {
  const ms: number[] = [];
  const sizes: number[] = [];
  for (const at of instants(from + lookbackMs, to, QUERIES)) {
    const { ms: t, result } = await timed(() => store.latestAt(at, { lookbackMs }));
    ms.push(t);
    sizes.push(result.length);
  }
  return { lookbackMin: lookbackMs / MIN, devicesMedian: percentile(sizes, 50), ...pct(ms) };
}

interface Engine {
  name: string;
  open(tag: string): Promise<ReadingStore>;
  /** Bytes per table and its indexes (raw partitions summed as `readings`), the store closed or idle. */
  tableBytes(tag: string): Promise<Record<string, number>>;
  cleanup(): Promise<void>;
}

function sqliteEngine(): Engine {
  const dir = mkdtempSync(path.join(tmpdir(), 'ioc-store-bench-'));
  return {
    name: 'SQLite',
    open: (tag) => openSqliteReadingStore({ file: path.join(dir, `${tag}.db`) }),
    tableBytes: async (tag) => {
      const db = new Database(path.join(dir, `${tag}.db`), { readonly: true });
      try {
        const rows = db
          .prepare(
            `SELECT coalesce(i.tbl_name, s.name) AS tbl, sum(s.pgsize) AS bytes
             FROM dbstat s LEFT JOIN sqlite_schema i ON i.name = s.name GROUP BY tbl`,
          )
          .all() as { tbl: string; bytes: number }[];
        return Object.fromEntries(rows.map((r) => [r.tbl, r.bytes]));
      } finally {
        db.close();
      }
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function pgEngine(url: string): Engine {
  const prefix = `ioc_bench_${process.pid}`;
  const used = new Set<string>();
  return {
    name: 'PostgreSQL',
    open: (tag) => {
      used.add(`${prefix}_${tag}`);
      return openPgReadingStore({ connectionString: url, schema: `${prefix}_${tag}` });
    },
    tableBytes: async (tag) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ tbl: string; bytes: string }>(
          `SELECT CASE WHEN c.relname LIKE 'readings_p%' THEN 'readings' ELSE c.relname END AS tbl,
                  sum(pg_total_relation_size(c.oid)) AS bytes
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = $1 AND c.relkind = 'r' GROUP BY 1`,
          [`${prefix}_${tag}`],
        );
        return Object.fromEntries(rows.map((r) => [r.tbl, Number(r.bytes)]));
      } finally {
        await client.end();
      }
    },
    cleanup: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      for (const schema of used) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

async function measure(engine: Engine) {
  const out: Record<string, unknown> = { engine: engine.name };
  const log = (what: string, x: unknown) => {
    out[what] = x;
    console.log(`${engine.name.padEnd(10)} ${what.padEnd(22)} ${JSON.stringify(x)}`);
  };

  // The province: 6 hours of the whole fleet, then 30 days of 10 air stations (every 5 min) for the long range.
  const fleet = province();
  const from = END - (QUICK ? 20 * MIN : 6 * HOUR);
  let store = await engine.open('province');
  log('append province 6 h', await load(store, fleet, from, END));
  const month = QUICK ? devices('air', 2, HOUR, 'month') : devices('air', 10, 5 * MIN, 'month');
  log('append 30 d, 10 dev', await load(store, month, END - 30 * DAY, END));
  await store.close();
  const reopened = await timed(() => engine.open('province'));
  store = reopened.result;
  log('reopen ms', round(reopened.ms));
  const stored = (out['append province 6 h'] as { rows: number }).rows + (out['append 30 d, 10 dev'] as { rows: number }).rows;
  const bytes = await store.sizeBytes();
  const tables = await engine.tableBytes('province');
  const perRow = (t: string) => round((tables[t] ?? 0) / stored, 1);
  log('size', { bytes, rows: stored, bytesPerRow: round(bytes / stored, 1) });
  log('bytes/row by table', { readings: perRow('readings'), rollup_1m: perRow('rollup_1m'), rollup_1h: perRow('rollup_1h') });

  log('snapshot 2.3k, 60 min', await snapshotLatency(store, from, END, 60 * MIN));
  log('snapshot 2.3k, 5 min', await snapshotLatency(store, from, END, 5 * MIN));

  const hourly: number[] = [];
  for (let q = 0; q < QUERIES; q++) {
    const dev = month[q % month.length]!;
    const { ms, result } = await timed(() => store.rangeBucketed(dev.id, END - 30 * DAY, END, '1h'));
    if (result.length !== 720) throw new Error(`expected 720 hourly buckets, got ${result.length}`);
    hourly.push(ms);
  }
  log('30 d hourly, 1 device', pct(hourly));

  const exp = await timed(async () => {
    let readings = 0;
    let rows = 0;
    for await (const r of store.exportRange('iot', from, END)) {
      readings++;
      rows += Object.keys(r.values).length;
    }
    return { readings, rows };
  });
  const s = exp.ms / 1000;
  log('export iot 6 h', {
    ...exp.result,
    seconds: round(s, 1),
    readingsPerSec: Math.round(exp.result.readings / s),
    rowsPerSec: Math.round(exp.result.rows / s),
  });
  await store.close();

  // 100,000 devices (two metrics each, every 60 s) over 16 minutes: enough for a 15-minute look-back.
  const big = devices('iot', QUICK ? 5_000 : 100_000, MIN, 'big');
  const bigFrom = END - 16 * MIN;
  store = await engine.open('big');
  log('append 100k dev 16 min', await load(store, big, bigFrom, END));
  log('snapshot 100k, 5 min', await snapshotLatency(store, bigFrom, END, 5 * MIN));
  log('snapshot 100k, 15 min', await snapshotLatency(store, bigFrom, END, 15 * MIN));
  await store.close();
  return out;
}

async function main(): Promise<void> {
  const url = process.env.IOC_BENCH_DATABASE_URL ?? process.env.IOC_TEST_DATABASE_URL;
  const engines = [sqliteEngine()];
  if (url !== undefined && url !== '') engines.push(pgEngine(url));
  else console.log('no IOC_BENCH_DATABASE_URL / IOC_TEST_DATABASE_URL: measuring SQLite only');
  const results: unknown[] = [];
  for (const e of engines) {
    try {
      results.push(await measure(e));
    } finally {
      await e.cleanup();
    }
  }
  const dir = path.join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `store-${new Date().toISOString().replaceAll(':', '-')}.json`);
  writeFileSync(file, JSON.stringify({ node: process.version, results }, null, 2));
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
