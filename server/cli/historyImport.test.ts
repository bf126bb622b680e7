import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceType } from '../../shared/mqtt';
import { RECORDING_KIND, RECORDING_VERSION } from '../../shared/recording';
import { readingStoreFile } from '../store/readings/open';
import { openSqliteReadingStore } from '../store/readings/sqliteEngine';
import { importRecording } from './historyImport';

const T0 = Date.UTC(2026, 10, 20, 3);
const DEVICES = new Map<string, DeviceType>([
  ['qng-hydro-0001', 'hydro'],
  ['qng-rain-0001', 'rain'],
]);
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const SAMPLE = fileURLToPath(new URL('../../simulators/samples/flood-quang-ngai.ndjson.gz', import.meta.url));

/** A recording in the recorder's format (header, then one line per message), with one garbage line. */
function writeRecording(file: string): void {
  const msg = (i: number, topic: string, payload: unknown) =>
    JSON.stringify({ receivedAt: T0 + i, topic, qos: 0, retain: false, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
  const lines = [
    JSON.stringify({ recording: RECORDING_KIND, version: RECORDING_VERSION, part: 0, startedAt: T0, source: 'test', retainAsPublished: true }),
    msg(1, 'ioc/v1/hydro/qng-hydro-0001/telemetry', { ts: T0, waterLevel: 3.1 }),
    msg(2, 'ioc/v1/hydro/qng-hydro-0001/telemetry', { ts: T0 + 60_000, waterLevel: 3.4 }),
    msg(3, 'ioc/v1/hydro/qng-hydro-0001/telemetry', { ts: new Date(T0 + 120_000).toISOString(), waterLevel: 3.9 }),
    msg(4, 'ioc/v1/rain/qng-rain-0001/telemetry', { ts: T0, precipitation: 12.5, intervalSec: 300 }),
    msg(5, 'ioc/v1/hydro/qng-hydro-0001/status', { ts: T0, online: true }),
    msg(6, 'ioc/v1/hydro/qng-hydro-9999/telemetry', { ts: T0, waterLevel: 1 }),
    msg(7, 'ioc/v1/hydro/qng-hydro-0001/telemetry', { ts: T0 + 180_000, waterLevel: 'high' }),
    msg(8, 'ioc/v1/hydro/qng-hydro-0001/telemetry', '{not json'),
    msg(9, 'somewhere/else', { ts: T0 }),
    'this line is garbage',
  ];
  writeFileSync(file, gzipSync(`${lines.join('\n')}\n`));
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ioc-import-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('history import', () => {
  it('stores every valid telemetry message of a registered device and counts the rest by reason', async () => {
    const file = path.join(dir, 'rec.ndjson.gz');
    writeRecording(file);
    const store = await openSqliteReadingStore({ file: ':memory:' });
    const counts = await importRecording({ file, store, devices: DEVICES, batchRows: 2 });
    // Value rows: one per metric, so the rain reading (precipitation, intervalSec) makes two.
    expect(counts).toMatchObject({ read: 9, readings: 4, stored: 5, duplicates: 0, parts: 1 });
    expect(counts.skipped).toEqual({ badLine: 1, topic: 1, notTelemetry: 1, unknownDevice: 1, json: 1, schema: 1, unstorable: 0 });
    expect(await store.range('qng-hydro-0001', T0, T0 + 3_600_000)).toEqual([
      { ts: T0, values: { waterLevel: 3.1 } },
      { ts: T0 + 60_000, values: { waterLevel: 3.4 } },
      { ts: T0 + 120_000, values: { waterLevel: 3.9 } },
    ]);
    expect(await store.range('qng-rain-0001', T0, T0 + 1)).toEqual([{ ts: T0, values: { precipitation: 12.5, intervalSec: 300 } }]);

    const again = await importRecording({ file, store, devices: DEVICES });
    expect(again).toMatchObject({ readings: 4, stored: 0, duplicates: 5 });
    await store.close();
  });

  it('imports the shipped flood sample: every message is a reading or a counted skip', async () => {
    const store = await openSqliteReadingStore({ file: ':memory:' });
    const { loadRegistry } = await import('../provinces/load');
    const devices = new Map(loadRegistry('quang-ngai').registry.devices.map((d) => [d.id, d.type] as const));
    const c = await importRecording({ file: SAMPLE, store, devices });
    const skipped = Object.values(c.skipped).reduce((a, b) => a + b, 0) - c.skipped.badLine;
    expect(c.readings).toBeGreaterThan(1000);
    expect(c.readings + skipped).toBe(c.read);
    expect(c.stored).toBeGreaterThanOrEqual(c.readings);
    expect(c.skipped.schema + c.skipped.unknownDevice + c.skipped.badLine).toBe(0);
    await store.close();
  });
});

describe('the command line, as a child process', () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });

  it('prints the usage and exits 2 on bad arguments', () => {
    const r = cli(['backup', '--province', 'quang-ngai']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--out FOLDER is required/);
    expect(r.stderr).toMatch(/usage:\n {2}npm run db:backup -- --out FOLDER/);
  });

  it('imports a recording into DATA_DIR and prints the counts', async () => {
    const file = path.join(dir, 'rec.ndjson.gz');
    writeRecording(file);
    const dataDir = path.join(dir, 'data');
    const r = cli(['import', file, '--province', 'quang-ngai'], { DATA_DIR: dataDir, DATABASE_URL: '' });
    expect(r.stderr).toMatch(/readings 4: 5 values stored, 0 duplicate values\nskipped badLine 1, topic 1, notTelemetry 1, unknownDevice 1, json 1, schema 1/);
    expect(r.status).toBe(0);
    const store = await openSqliteReadingStore({ file: readingStoreFile(dataDir, 'quang-ngai', false) });
    expect(await store.range('qng-hydro-0001', T0, T0 + 3_600_000)).toHaveLength(3);
    await store.close();
  });
});
