/**
 * Time of GET /api/history/snapshot's builder (server/history/snapshotAt.ts) for the Quảng Ngãi registry
 * (2,286 devices, 136 stations) over a temp SQLite store holding 26 h of the stations at one reading a minute
 * and the last hour of the cameras and bulk IoT devices at one a minute, with 200 alarms. Prints p50/p95 of
 * the whole build and of its two store reads alone:
 *
 *   npx tsx bench/historySnapshotBench.ts [--quick]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DeviceType } from '../shared/mqtt';
import { makeAlarm } from '../server/alarms/alarm';
import { decisionsWrite } from '../server/alarms/storePort';
import { snapshotAt } from '../server/history/snapshotAt';
import { loadRegistry } from '../server/provinces/load';
import { AlarmStore } from '../server/store/alarmStore';
import type { Reading } from '../server/store/readings/port';
import { openSqliteReadingStore } from '../server/store/readings/sqliteEngine';
import { percentile } from './stats';

const MIN = 60_000;
const HOUR = 60 * MIN;
const QUICK = process.argv.includes('--quick');
const RUNS = QUICK ? 3 : 20;
const STATION_HOURS = QUICK ? 2 : 26;
const AT = Date.UTC(2026, 10, 20, 12, 0, 0);

const METRICS: Record<DeviceType, readonly string[]> = {
  air: ['pm25', 'pm10', 'o3', 'co', 'so2', 'no2', 'temperature', 'relativeHumidity'],
  water: ['flow', 'temperature', 'pH', 'cod', 'tss', 'nh4'],
  hydro: ['waterLevel'],
  rain: ['precipitation', 'intervalSec'],
  camera: ['intensityCar', 'intensityMotorbike', 'averageVehicleSpeed', 'occupancy', 'windowSec'],
  iot: ['power', 'energy'],
};
const STATIONS: ReadonlySet<DeviceType> = new Set(['air', 'water', 'hydro', 'rain']);

async function main(): Promise<void> {
  const { registry, version } = loadRegistry('quang-ngai');
  const devices = registry.devices;
  const dir = mkdtempSync(path.join(tmpdir(), 'ioc-history-bench-'));
  const store = await openSqliteReadingStore({ file: path.join(dir, 'readings.sqlite') });
  const alarms = new AlarmStore(':memory:');
  try {
    let t0 = performance.now();
    let batch: Reading[] = [];
    let rows = 0;
    let pending = 0;
    const end = AT + 5 * MIN; // readings after `at` too: the snapshot must leave them out
    for (let ts = AT - STATION_HOURS * HOUR; ts <= end; ts += MIN) {
      const recent = ts > AT - HOUR;
      devices.forEach((d, i) => {
        if (!STATIONS.has(d.type) && !recent) return;
        const values: Record<string, number> = {};
        METRICS[d.type].forEach((m, k) => (values[m] = ((ts / MIN + i * 7 + k) % 50) / 10));
        batch.push({ deviceId: d.id, type: d.type, ts: ts + (i % 60) * 1000, values });
        pending += METRICS[d.type].length;
      });
      if (pending >= 20_000) {
        rows += (await store.append(batch)).inserted;
        batch = [];
        pending = 0;
      }
    }
    rows += (await store.append(batch)).inserted;
    console.log(`store: ${rows.toLocaleString('en')} value rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    let rev = 0;
    for (let k = 0; k < 200; k++) {
      const raisedAt = AT - (k + 1) * 7 * MIN;
      const a = makeAlarm({ id: k + 1, kind: 'single', ruleId: 'r', source: `s${k}`, signal: 'x', domain: 'device', commune: null, title: 'x', severity: 'warning', level: 0, value: 1, raisedAt, lastSeen: raisedAt, conditionSince: raisedAt, runs: [raisedAt], ackDeadline: null });
      alarms.write(decisionsWrite([{ rev: ++rev, change: 'raised', alarm: { ...a, rev }, actor: 'system', at: raisedAt }]));
    }

    const whole: number[] = [];
    const exportMs: number[] = [];
    const latestMs: number[] = [];
    const hoursMs: number[] = [];
    let size = 0;
    for (let r = 0; r < RUNS; r++) {
      const at = AT - r * MIN;
      t0 = performance.now();
      const snap = await snapshotAt({ readings: store, devices, alarms, registryVersion: version }, at);
      whole.push(performance.now() - t0);
      size = JSON.stringify(snap).length;
      t0 = performance.now();
      for (const type of ['water', 'hydro'] as const) for await (const _row of store.exportRange(type, at - 26 * HOUR, at + 1));
      exportMs.push(performance.now() - t0);
      t0 = performance.now();
      for (const d of devices) if (d.type === 'air' || d.type === 'rain') await store.rangeBucketed(d.id, at - 26 * HOUR, at, '1h');
      hoursMs.push(performance.now() - t0);
      t0 = performance.now();
      await store.latestAt(at, { lookbackMs: 3 * MIN });
      latestMs.push(performance.now() - t0);
    }
    const fmt = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(0)} ms, p95 ${percentile(xs, 95).toFixed(0)} ms`;
    console.log(`snapshotAt (${devices.length} devices, ${RUNS} runs): ${fmt(whole)}; JSON ${(size / 1024).toFixed(0)} KiB`);
    console.log(`  parts alone: water + river raw export (26 h): ${fmt(exportMs)}`);
    console.log(`               hourly rollups of the air and rain stations: ${fmt(hoursMs)}`);
    console.log(`               latestAt (3 min look-back, every device): ${fmt(latestMs)}`);
  } finally {
    alarms.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
