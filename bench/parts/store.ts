/**
 * Part 7: the reading store (issue 13's speed targets), on SQLite and beside it PostgreSQL (a throwaway
 * cluster of Debian's binaries on loopback; skipped, with the reason, when they are absent). In this process,
 * on temp stores:
 *
 * - the wall at an instant (GET /api/history/snapshot's builder, snapshotAt.ts, with the store's `latestAt`
 *   timed inside it) for the Quảng Ngãi registry and for 100,000 devices, over 24 h of readings;
 * - one device's 30 days bucketed hourly;
 * - a 24 h CSV export of every device (the route's own CSV writer over `exportRange`, type by type);
 * - the writer's sustained append rate (ReadingWriter, the app's transaction size), beside what the ingest's
 *   best rate would ask of it. The ingest's own rate with the store off and on is not measured here.
 *
 * After the figures, the plans of the two queries behind them (EXPLAIN QUERY PLAN; PostgreSQL's EXPLAIN ANALYZE,
 * after the ANALYZE its autovacuum would have run on a live store) go to the log and the JSON.
 *
 * Each engine's stores are filled once; a run is a new set of random instants, devices and a fresh hour of
 * writes, and each figure is the median over the runs of that run's value.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Device } from '../../shared/devices';
import { DEVICE_TYPES } from '../../shared/mqtt';
import { createRandom, type RandomSource } from '../../shared/random';
import { snapshotAt } from '../../server/history/snapshotAt';
import { readingsCsvChunks } from '../../server/http/exportRoutes';
import { loadProvince, loadRegistry } from '../../server/provinces/load';
import { hazardServices, type HazardServices } from '../../server/domain/hazards/services';
import type { AlarmRecords } from '../../server/store/alarmRecords';
import { AlarmStore } from '../../server/store/alarmStore';
import { alarmStoreRecords } from '../../server/store/alarmStoreRecords';
import { TX_ROWS } from '../../server/store/readings/open';
import { openPgReadingStore } from '../../server/store/readings/pgEngine';
import type { ReadingStore } from '../../server/store/readings/port';
import { openSqliteReadingStore } from '../../server/store/readings/sqliteEngine';
import { ReadingWriter } from '../../server/store/readings/writer';
import { pgBin, startPostgresCluster, type PostgresCluster } from '../../test/support/postgresCluster';
import type { BenchOptions, StoreEngine } from '../options';
import { fleetRate, realDevices } from '../payloads';
import { figure, type Figure, type PartOutcome } from '../report';
import { percentile, summarize } from '../stats';
import { CLONE_METRICS, DAY, FILL_INTERVAL_SEC, HOUR, METRICS, MIN, asFilled, fillDevice, iotClones, readings, type FillDevice } from '../lib/storeFleet';

const END = Date.UTC(2026, 10, 20, 0, 0, 0);
/** Devices of the 30-day hourly figure, two readings an hour, air stations' eight metrics. */
const MONTH_DEVICES = 50;
/** The embedded server's confirmed ingest at QoS 0 (README, Performance, full run of 2026-11-22). */
const README_INGEST_MSG_S = 95_000;
const TARGET = { snapshotP95Ms: 200, hourlyP95Ms: 50, exportRowsPerSec: 100_000, storeOnOff: 0.95 };

interface Engine {
  name: 'SQLite' | 'PostgreSQL';
  txRows: number;
  open(tag: string): Promise<ReadingStore>;
  /** The plan of a query on a store's own database, as its engine prints it (ANALYZE where it can). */
  explain(tag: string, sql: string, params: number[]): Promise<string[]>;
  /** After a bulk fill: what a running database has by then (PostgreSQL's autovacuum statistics). */
  settle(tag: string): Promise<void>;
  cleanup(): Promise<void>;
}

/**
 * The engines' slow-path queries, restated here to ask for their plans (sqliteEngine.ts, pgEngine.ts): the
 * snapshot's scan of the look-back's minute rollups, and one device's hourly buckets.
 */
const PLANS = {
  SQLite: {
    minutes: 'SELECT sensor, metric, max(last_ts) AS ts, last AS value FROM rollup_1m WHERE bucket >= ? AND bucket < ? AND last_ts >= ? GROUP BY sensor, metric',
    hours: 'SELECT bucket, metric, n, vsum, vmin, vmax FROM rollup_1h WHERE sensor = ? AND bucket >= ? AND bucket < ? ORDER BY bucket, metric',
  },
  PostgreSQL: {
    minutes: `SELECT DISTINCT ON (sensor, metric) sensor, metric, last_ts AS ts, last AS value FROM rollup_1m
              WHERE bucket >= $1 AND bucket < $2 AND last_ts >= $3 ORDER BY sensor, metric, last_ts DESC`,
    hours: 'SELECT bucket, metric, n, vsum, vmin, vmax FROM rollup_1h WHERE sensor = $1 AND bucket >= $2 AND bucket < $3 ORDER BY bucket, metric',
  },
} as const;

function sqlite(): Engine {
  const dir = mkdtempSync(path.join(tmpdir(), 'ioc-bench-store-'));
  return {
    name: 'SQLite',
    txRows: TX_ROWS.sqlite,
    open: (tag) => openSqliteReadingStore({ file: path.join(dir, `${tag}.sqlite`) }),
    explain: async (tag, sql, params) => {
      const db = new Database(path.join(dir, `${tag}.sqlite`), { readonly: true });
      try {
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((x) => x.detail);
        const t0 = performance.now();
        const n = db.prepare(sql).all(...params).length;
        return [...plan, `(${n} rows in ${ms(t0).toFixed(1)} ms)`];
      } finally {
        db.close();
      }
    },
    // The app never runs ANALYZE on its SQLite file: neither does the bench.
    settle: async () => undefined,
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgres(cluster: PostgresCluster): Engine {
  return {
    name: 'PostgreSQL',
    txRows: TX_ROWS.postgresql,
    open: (tag) => openPgReadingStore({ connectionString: cluster.url, schema: `bench_${tag}` }),
    explain: async (tag, sql, params) => {
      const client = new pg.Client({ connectionString: cluster.url, options: `-c search_path=bench_${tag}` });
      await client.connect();
      try {
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
        return rows.map((x) => x['QUERY PLAN']);
      } finally {
        await client.end();
      }
    },
    settle: async (tag) => {
      const client = new pg.Client({ connectionString: cluster.url, options: `-c search_path=bench_${tag}` });
      await client.connect();
      try {
        await client.query('ANALYZE');
      } finally {
        await client.end();
      }
    },
    cleanup: async () => cluster.stop(),
  };
}

const ms = (t0: number) => performance.now() - t0;

async function fill(store: ReadingStore, devs: readonly FillDevice[], from: number, to: number, txRows: number): Promise<{ rows: number; seconds: number }> {
  const t0 = performance.now();
  let rows = 0;
  for (const batch of readings(devs, from, to, txRows)) rows += (await store.append(batch)).inserted;
  return { rows, seconds: ms(t0) / 1000 };
}

function shuffled<T>(xs: readonly T[], r: RandomSource): T[] {
  const out = [...xs];
  for (let k = out.length - 1; k > 0; k--) {
    const j = Math.floor(r.next() * (k + 1));
    [out[k], out[j]] = [out[j]!, out[k]!];
  }
  return out;
}

/**
 * `snapshotAt` at `samples` random instants. Its store reads are timed on their own: the `latestAt`, and every
 * read together (each call, and each step of an export's iterator), so what is left is the builder's own work.
 */
async function snapshots(
  store: ReadingStore,
  devices: readonly Device[],
  alarms: Pick<AlarmRecords, 'openAt'>,
  samples: number,
  r: RandomSource,
  start: number,
  hazards: HazardServices | undefined,
) {
  let latestMs = 0;
  let readMs = 0;
  const clocked = async <T>(p: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await p();
    } finally {
      readMs += ms(t0);
    }
  };
  const timed: Pick<ReadingStore, 'exportRange' | 'latestAt' | 'range' | 'rangeBucketed' | 'rangeBucketedMany'> = {
    exportRange: (...a) => ({
      [Symbol.asyncIterator]: () => {
        const it = store.exportRange(...a)[Symbol.asyncIterator]();
        return { next: () => clocked(() => it.next()), return: async () => (await it.return?.()) ?? { done: true, value: undefined } };
      },
    }),
    range: (...a) => clocked(() => store.range(...a)),
    rangeBucketed: (...a) => clocked(() => store.rangeBucketed(...a)),
    rangeBucketedMany: (...a) => clocked(() => store.rangeBucketedMany(...a)),
    latestAt: async (...a) => {
      const t0 = performance.now();
      const out = await clocked(() => store.latestAt(...a));
      latestMs = ms(t0);
      return out;
    },
  };
  const lookbackMs = Math.max(...devices.map((d) => d.reportIntervalSec * 1000)) * 3;
  const whole: number[] = [];
  const latest: number[] = [];
  const reads: number[] = [];
  let online = 0;
  for (let k = 0; k < samples; k++) {
    const at = Math.floor(start + lookbackMs + r.next() * (END - start - lookbackMs));
    readMs = 0;
    const t0 = performance.now();
    const snap = await snapshotAt({ readings: timed, devices, alarms, registryVersion: 'bench', ...(hazards ? { hazards } : {}) }, at);
    whole.push(ms(t0));
    latest.push(latestMs);
    reads.push(readMs);
    online += snap.devices.filter((p) => p.on === 1).length / samples;
  }
  return { whole, latest, reads, lookbackMs, online: Math.round(online) };
}

async function exportAll(store: ReadingStore, devices: readonly Device[], start: number): Promise<{ rows: number; bytes: number; seconds: number }> {
  const byId = new Map(devices.map((d) => [d.id, d]));
  const t0 = performance.now();
  let bytes = 0;
  let lines = 0;
  for (const type of DEVICE_TYPES) {
    for await (const chunk of readingsCsvChunks(store.exportRange(type, start, END), type, byId)) {
      bytes += chunk.length;
      for (let k = chunk.indexOf('\n'); k !== -1; k = chunk.indexOf('\n', k + 1)) lines++;
    }
  }
  // One header line per type is not a reading.
  return { rows: lines - DEVICE_TYPES.length, bytes, seconds: ms(t0) / 1000 };
}

/** The registry's own fleet at its registry intervals for 30 minutes after END + run·30 min, through the app's writer. */
async function writerRate(store: ReadingStore, devices: readonly Device[], txRows: number, run: number) {
  const writer = new ReadingWriter({ store, txRows });
  const from = END + run * 30 * MIN;
  const t0 = performance.now();
  let offered = 0;
  // Offered a few thousand rows at a time, as the pipeline hands a tick over; wait when the queue nears its cap.
  for (const batch of readings(devices.map((d) => fillDevice(d)), from, from + 30 * MIN, 2_000, 1_000)) {
    offered += writer.offer(batch);
    if (writer.stats().queued > 150_000) await writer.flush();
  }
  await writer.close();
  const s = writer.stats();
  if (s.dropped + s.failed + s.rejected > 0) throw new Error(`writer lost rows: ${JSON.stringify(s)}`);
  return { rows: s.written, offered, seconds: ms(t0) / 1000 };
}

const verdict = (ok: boolean) => (ok ? 'pass' : 'FAIL');

async function measureEngine(e: Engine, o: BenchOptions, log: (s: string) => void) {
  const { registry } = loadRegistry('quang-ngai');
  const province = asFilled(registry.devices);
  const clones = iotClones(registry.devices, Math.max(0, o.storeDevices - province.length));
  const big = [...province, ...clones];
  // The app's time machine rebuilds the risk levels and fire danger too: their look-back (8 and 45 days of hourly
  // rollups) reads the filled hours and finds the rest empty, as a young store would.
  const hazards = hazardServices(loadProvince('quang-ngai'), province);
  const bigHazards = hazardServices(loadProvince('quang-ngai'), big);
  const alarmStore = new AlarmStore(':memory:');
  const alarms = alarmStoreRecords(alarmStore);
  const stores: ReadingStore[] = [];
  const f: Record<string, number[]> = {};
  const put = (k: string, v: number) => (f[k] ??= []).push(v);
  const facts: Record<string, unknown> = { engine: e.name };
  const start = END - o.storeHours * HOUR;
  try {
    const store = await e.open('province');
    stores.push(store);
    const p = await fill(store, province.map((d) => fillDevice(d)), start, END, e.txRows);
    facts.provinceFill = p;
    log(`    ${e.name}: filled ${o.storeHours} h of ${province.length} devices: ${p.rows.toLocaleString('en')} value rows in ${p.seconds.toFixed(1)} s`);
    const month = await e.open('month');
    stores.push(month);
    const monthDevs: FillDevice[] = Array.from({ length: MONTH_DEVICES }, (_, k) => ({ id: `month-${String(k).padStart(3, '0')}`, type: 'air', intervalMs: 30 * MIN, metrics: METRICS.air }));
    const m = await fill(month, monthDevs, END - 30 * DAY, END, e.txRows);
    await e.settle('province');
    await e.settle('month');
    facts.monthFill = m;
    log(`    ${e.name}: filled 30 days of ${MONTH_DEVICES} air stations (2 readings an hour): ${m.rows.toLocaleString('en')} value rows in ${m.seconds.toFixed(1)} s`);

    for (let run = 0; run < o.runs; run++) {
      const r = createRandom(1_000 + run);
      const s = await snapshots(store, province, alarms, o.storeSamples, r, start, hazards);
      put('provSnap50', percentile(s.whole, 50));
      put('provSnap95', percentile(s.whole, 95));
      put('provLatest50', percentile(s.latest, 50));
      put('provLatest95', percentile(s.latest, 95));
      put('provReads95', percentile(s.reads, 95));
      facts.provinceLookbackMin = s.lookbackMs / MIN;
      const hourly: number[] = [];
      for (const d of shuffled(monthDevs, r)) {
        const t0 = performance.now();
        const buckets = await month.rangeBucketed(d.id, END - 30 * DAY, END, '1h');
        hourly.push(ms(t0));
        if (buckets.length !== 720) throw new Error(`expected 720 hourly buckets, got ${buckets.length}`);
      }
      put('hourly50', percentile(hourly, 50));
      put('hourly95', percentile(hourly, 95));
      const x = await exportAll(store, province, start);
      put('export', x.rows / x.seconds);
      facts.exportRows = x.rows;
      facts.exportMB = Math.round(x.bytes / 1e5) / 10;
      const w = await writerRate(store, registry.devices, e.txRows, run);
      put('writer', w.rows / w.seconds);
      log(
        `    ${e.name} run ${run + 1}/${o.runs}: snapshot p95 ${percentile(s.whole, 95).toFixed(0)} ms (latestAt ${percentile(s.latest, 95).toFixed(0)} ms, all reads ${percentile(s.reads, 95).toFixed(0)} ms, ${s.online} online); ` +
          `30 d hourly p95 ${percentile(hourly, 95).toFixed(1)} ms; export ${Math.round(x.rows / x.seconds).toLocaleString('en')} rows/s; writer ${Math.round(w.rows / w.seconds).toLocaleString('en')} rows/s`,
      );
    }

    const c = await fill(store, clones.map((d) => fillDevice(d, CLONE_METRICS)), start, END, e.txRows);
    facts.cloneFill = c;
    await e.settle('province');
    log(`    ${e.name}: added ${o.storeHours} h of ${clones.length.toLocaleString('en')} IoT clones (1 metric, hourly): ${c.rows.toLocaleString('en')} value rows in ${c.seconds.toFixed(1)} s`);
    for (let run = 0; run < o.runs; run++) {
      const s = await snapshots(store, big, alarms, o.storeSamples, createRandom(2_000 + run), start, bigHazards);
      put('bigSnap50', percentile(s.whole, 50));
      put('bigSnap95', percentile(s.whole, 95));
      put('bigLatest50', percentile(s.latest, 50));
      put('bigLatest95', percentile(s.latest, 95));
      put('bigReads95', percentile(s.reads, 95));
      facts.bigLookbackMin = s.lookbackMs / MIN;
      log(`    ${e.name} run ${run + 1}/${o.runs}, ${big.length.toLocaleString('en')} devices: snapshot p95 ${percentile(s.whole, 95).toFixed(0)} ms (latestAt ${percentile(s.latest, 95).toFixed(0)} ms, all reads ${percentile(s.reads, 95).toFixed(0)} ms, ${s.online} online)`);
    }
    // The plans of the two queries that set the snapshot's and the hourly range's cost, on the filled stores.
    const at = END - 2 * HOUR;
    const since = at - (facts.bigLookbackMin as number) * MIN;
    const minuteOf = (t: number) => t - (t % MIN);
    const plans = {
      minutes: await e.explain('province', PLANS[e.name].minutes, [minuteOf(since), minuteOf(at), since]),
      hours: await e.explain('month', PLANS[e.name].hours, [1, END - 30 * DAY, END]),
    };
    facts.plans = plans;
    for (const [k, lines] of Object.entries(plans)) log(`    ${e.name} plan of the ${k === 'minutes' ? 'snapshot\'s minute scan (100k devices)' : '30 d hourly range'}:\n      ${lines.join('\n      ')}`);
  } finally {
    alarmStore.close();
    for (const s of stores) await s.close();
  }
  return { f, facts, provinceCount: province.length, bigCount: big.length };
}

/** Value rows a message of the bench's load makes on average: the registry's telemetry rows over all its messages. */
function rowsPerMessage(): number {
  const devices = realDevices();
  let rows = 0;
  for (const d of devices) rows += METRICS[d.type].length / d.reportIntervalSec;
  return rows / fleetRate(devices);
}

export async function runStore(o: BenchOptions, log: (s: string) => void): Promise<PartOutcome> {
  const t0 = performance.now();
  const figures: Figure[] = [];
  const details: unknown[] = [];
  const skipped: string[] = [];
  const engines: (() => Promise<Engine>)[] = [];
  const want = (x: StoreEngine) => o.storeEngines.includes(x);
  if (want('sqlite')) engines.push(async () => sqlite());
  if (want('postgresql')) {
    if (pgBin() === null) skipped.push('PostgreSQL skipped: no binaries under /usr/lib/postgresql (apt-get install postgresql)');
    else engines.push(async () => postgres(await startPostgresCluster(undefined, 'ioc-bench-pg-')));
  }
  for (const s of skipped) log(`  ${s}`);
  const perMsg = rowsPerMessage();
  const need = README_INGEST_MSG_S * perMsg;
  for (const start of engines) {
    const e = await start();
    let r: Awaited<ReturnType<typeof measureEngine>>;
    try {
      r = await measureEngine(e, o, log);
    } finally {
      await e.cleanup();
    }
    details.push(r.facts);
    const n = e.name;
    const med = (k: string) => summarize(r.f[k] ?? []).median;
    const fi = FILL_INTERVAL_SEC;
    const prov = `${r.provinceCount.toLocaleString('en')} devices`;
    const big = `${r.bigCount.toLocaleString('en')} devices`;
    figures.push(
      figure('store', `${n}: snapshot at p50, ${prov}`, 'ms', r.f.provSnap50!, `snapshotAt over ${o.storeHours} h: stations every ${fi.air / 60} min, cameras ${fi.camera / 60} min, IoT ${fi.iot / 60} min; ${o.storeSamples} random instants a run; look-back ${r.facts.provinceLookbackMin as number} min`),
      figure('store', `${n}: snapshot at p95, ${prov}`, 'ms', r.f.provSnap95!, `target ≤ ${TARGET.snapshotP95Ms} ms: ${verdict(med('provSnap95') <= TARGET.snapshotP95Ms)}`),
      figure('store', `${n}: its latestAt p95, ${prov}`, 'ms', r.f.provLatest95!, 'the store call inside the build'),
      figure('store', `${n}: all its store reads p95, ${prov}`, 'ms', r.f.provReads95!, 'latestAt, stations\' raw export and hourly buckets; the rest is the builder'),
      figure('store', `${n}: snapshot at p50, ${big}`, 'ms', r.f.bigSnap50!, `plus ${(r.bigCount - r.provinceCount).toLocaleString('en')} IoT clones, 1 metric hourly; look-back ${r.facts.bigLookbackMin as number} min`),
      figure('store', `${n}: snapshot at p95, ${big}`, 'ms', r.f.bigSnap95!, `target ≤ ${TARGET.snapshotP95Ms} ms: ${verdict(med('bigSnap95') <= TARGET.snapshotP95Ms)}`),
      figure('store', `${n}: its latestAt p95, ${big}`, 'ms', r.f.bigLatest95!, 'the store call inside the build'),
      figure('store', `${n}: all its store reads p95, ${big}`, 'ms', r.f.bigReads95!),
      figure('store', `${n}: 30 d hourly, 1 device, p95`, 'ms', r.f.hourly95!, `rangeBucketed 1h, ${MONTH_DEVICES} air stations a run (720 buckets × 8 metrics); target ≤ ${TARGET.hourlyP95Ms} ms: ${verdict(med('hourly95') <= TARGET.hourlyP95Ms)}`),
      figure('store', `${n}: CSV export ${o.storeHours} h, every device`, 'rows/s', r.f.export!, `${(r.facts.exportRows as number).toLocaleString('en')} rows, ${r.facts.exportMB as number} MB; target ≥ ${TARGET.exportRowsPerSec.toLocaleString('en')}: ${verdict(med('export') >= TARGET.exportRowsPerSec)}`),
      figure('store', `${n}: writer sustained append`, 'rows/s', r.f.writer!, `ReadingWriter, ${e.txRows.toLocaleString('en')} rows a transaction, 30 min of the registry at its intervals onto the filled store`),
      figure('store', `${n}: writer / rows at the best ingest`, 'ratio', r.f.writer!.map((w) => w / need), `${README_INGEST_MSG_S.toLocaleString('en')} msg/s (README) × ${perMsg.toFixed(2)} rows/msg = ${Math.round(need).toLocaleString('en')} rows/s; ingest on/off not measured`),
    );
  }
  return { part: 'store', status: figures.length > 0 ? 'ok' : 'skipped', ...(skipped.length > 0 ? { reason: skipped.join('; ') } : {}), seconds: ms(t0) / 1000, figures, details };
}
