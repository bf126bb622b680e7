import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { readingSchema } from '../store/readings/open';
import { openPgReadingStore } from '../store/readings/pgEngine';
import { backupDatabases, restoreDatabases } from './backup';

/** Against the unit project's throwaway PostgreSQL (test/support/postgresSetup.ts), with Debian's pg_dump and pg_restore. */
const url = inject('databaseUrl');
const PROVINCE = 'ha-tinh';
const schema = readingSchema(PROVINCE, false);
const T0 = Date.UTC(2026, 10, 20);

async function dropSchema(): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

let dir: string;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ioc-pgbackup-'));
  await dropSchema();
});
afterEach(async () => {
  rmSync(dir, { recursive: true, force: true });
  await dropSchema();
});

describe('backup and restore with PostgreSQL', () => {
  it('dumps the province schema, refuses to restore over it without --force, and restores it after it was dropped', async () => {
    const store = await openPgReadingStore({ connectionString: url, schema, max: 2 });
    await store.append([
      { deviceId: 'hti-hydro-0001', type: 'hydro', ts: T0, values: { waterLevel: 2.5 } },
      { deviceId: 'hti-hydro-0001', type: 'hydro', ts: T0 + 60_000, values: { waterLevel: 2.75 } },
    ]);
    await store.close();
    const out = path.join(dir, 'backup');
    const m = await backupDatabases({ out, province: PROVINCE, dataDir: dir, databaseUrl: url });
    expect(m.files).toEqual([{ name: `readings-${PROVINCE}.pgdump`, store: 'readings', engine: 'postgresql', schema }]);

    await expect(restoreDatabases({ from: out, force: false, dataDir: path.join(dir, 'data'), databaseUrl: url })).rejects.toThrow(
      new RegExp(`refusing to overwrite the schema ${schema}.*--force`),
    );
    await dropSchema();
    await restoreDatabases({ from: out, force: false, dataDir: path.join(dir, 'data'), databaseUrl: url });
    const back = await openPgReadingStore({ connectionString: url, schema, max: 2 });
    expect(await back.range('hti-hydro-0001', T0, T0 + 3_600_000)).toEqual([
      { ts: T0, values: { waterLevel: 2.5 } },
      { ts: T0 + 60_000, values: { waterLevel: 2.75 } },
    ]);
    await back.close();
  });
});
