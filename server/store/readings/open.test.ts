import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openAppReadingStore, readingSchema, readingStoreFile } from './open';
import type { Reading } from './port';

const makeReading = (overrides: Partial<Reading> = {}): Reading => ({
  deviceId: 'qng-hydro-0001',
  type: 'hydro',
  ts: Date.UTC(2026, 11, 4, 10, 0, 0),
  values: { waterLevel: 5.2 },
  ...overrides,
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('the app reading store', () => {
  it('is SQLite in DATA_DIR, a file per province and a separate one for a rehearsal', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ioc-open-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    expect(readingStoreFile(dir, 'quang-ngai', false)).toBe(path.join(dir, 'readings-quang-ngai.sqlite'));
    expect(readingStoreFile(dir, 'quang-ngai', true)).toBe(path.join(dir, 'readings-quang-ngai-rehearsal.sqlite'));
    const { store, engine } = await openAppReadingStore({ province: 'quang-ngai', rehearsal: true, dataDir: dir });
    cleanups.push(() => store.close());
    expect(engine).toBe('sqlite');
    await store.append([makeReading()]);
    expect(statSync(readingStoreFile(dir, 'quang-ngai', true)).size).toBeGreaterThan(0);
  });

  it('is SQLite in memory without DATA_DIR', async () => {
    const { store, engine } = await openAppReadingStore({ province: 'ha-tinh', rehearsal: false });
    cleanups.push(() => store.close());
    expect(engine).toBe('sqlite');
    expect(await store.append([makeReading()])).toEqual({ inserted: 1, duplicates: 0 });
    expect(await store.range('qng-hydro-0001', 0, Date.UTC(2027, 0, 1))).toHaveLength(1);
  });

  it('is PostgreSQL with a database URL, in a schema per province', async () => {
    // A province of its own name so parallel runs of this test do not share a schema.
    const province = `t${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
    const schema = readingSchema(province, false);
    expect(readingSchema('quang-ngai', true)).toBe('ioc_readings_quang_ngai_rehearsal');
    const url = inject('databaseUrl');
    const { store, engine } = await openAppReadingStore({ province, rehearsal: false, databaseUrl: url, dataDir: '/nonexistent' });
    cleanups.push(async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    });
    cleanups.push(() => store.close());
    expect(engine).toBe('postgresql');
    await store.append([makeReading()]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const r = await client.query(`SELECT count(*)::int AS n FROM ${schema}.readings`);
      expect(r.rows[0]).toEqual({ n: 1 });
    } finally {
      await client.end();
    }
  });
});
