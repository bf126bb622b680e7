import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import type { Reading } from './port';
import { describeReadingStore } from './readingStore.suite';
import { openPgReadingStore } from './pgEngine';

/**
 * Runs against a real PostgreSQL: IOC_TEST_DATABASE_URL, or the throwaway cluster of Debian's PostgreSQL that
 * the unit project's global setup starts (test/support/postgresSetup.ts; it fails with a clear message when
 * PostgreSQL is not installed, never skips). Each test gets a schema of its own, dropped afterwards.
 */
const url = inject('databaseUrl');

describeReadingStore('PostgreSQL', async () => {
  const schema = `ioc_test_${randomBytes(6).toString('hex')}`;
  return {
    open: () => openPgReadingStore({ connectionString: url, schema, max: 2 }),
    dispose: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
});

describe('PostgreSQL reading store keyframes', () => {
  it('migrates a schema without keyframes: answers from the minute rollups, then builds them as it writes', async () => {
    const schema = `ioc_test_${randomBytes(6).toString('hex')}`;
    const T0 = Date.UTC(2026, 10, 3, 5, 0, 0);
    const HOUR = 3_600_000;
    const reading = (deviceId: string, ts: number, pm25: number): Reading => ({ deviceId, type: 'air', ts, values: { pm25 } });
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      let store = await openPgReadingStore({ connectionString: url, schema, max: 2 });
      await store.append([reading('a', T0 + 10 * 60_000, 1), reading('b', T0 + 3 * HOUR, 2)]);
      await store.close();
      // The schema as the release before keyframes left it.
      await admin.query(`DROP TABLE ${schema}.keyframes; UPDATE ${schema}.schema_version SET version = 1`);
      store = await openPgReadingStore({ connectionString: url, schema, max: 2 });
      const at = T0 + 3 * HOUR + 30 * 60_000;
      const want = [
        { deviceId: 'a', type: 'air', metrics: { pm25: { ts: T0 + 10 * 60_000, value: 1 } } },
        { deviceId: 'b', type: 'air', metrics: { pm25: { ts: T0 + 3 * HOUR, value: 2 } } },
      ];
      expect(await store.latestAt(at, { lookbackMs: 4 * HOUR })).toEqual(want);
      await store.append([reading('c', T0 + 4 * HOUR + 5 * 60_000, 3)]);
      const { rows } = await admin.query<{ boundary: string }>(`SELECT boundary FROM ${schema}.keyframes`);
      expect(rows.map((r) => Number(r.boundary))).toEqual([T0 + 4 * HOUR]);
      expect(await store.latestAt(at, { lookbackMs: 4 * HOUR })).toEqual(want);
      expect((await store.latestAt(T0 + 5 * HOUR, { lookbackMs: 5 * HOUR })).map((d) => d.deviceId)).toEqual(['a', 'b', 'c']);
      await store.close();
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });

  it('leaves the newest keyframe a backfill deletes to the repair instead of rebuilding it per batch', async () => {
    const schema = `ioc_test_${randomBytes(6).toString('hex')}`;
    const T0 = Date.UTC(2026, 10, 3, 5, 0, 0);
    const HOUR = 3_600_000;
    const reading = (deviceId: string, ts: number, pm25: number): Reading => ({ deviceId, type: 'air', ts, values: { pm25 } });
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    let now = 0;
    const store = await openPgReadingStore({ connectionString: url, schema, max: 2, now: () => now, repairEveryMs: 10_000 });
    try {
      for (let h = 0; h < 30; h++) await store.append([reading('live', T0 + h * HOUR + 5 * 60_000, h)]);
      const live = T0 + 30 * HOUR;
      const newest = async () => (await admin.query(`SELECT count(*)::int AS n FROM ${schema}.keyframes WHERE boundary = $1`, [live])).rows[0].n as number;
      await store.append([reading('live', live + 5 * 60_000, 30)]);
      expect(await newest()).toBe(1);
      for (let i = 0; i < 20; i++) {
        await store.append([reading('back', live - 24 * HOUR + i * 5 * 60_000, i), reading('live', live + 5 * 60_000 + i * 1_000, 100 + i)]);
        expect(await newest()).toBe(0);
      }
      const snap = await store.latestAt(live + 10 * 60_000, { lookbackMs: 24 * HOUR });
      expect(snap.find((d) => d.deviceId === 'back')?.metrics.pm25?.value).toBe(19);
      now += 10_000;
      await store.append([reading('live', live + 6 * 60_000, 200)]);
      expect(await newest()).toBe(1);
      expect((await store.latestAt(live + 10 * 60_000, { lookbackMs: 24 * HOUR })).find((d) => d.deviceId === 'back')?.metrics.pm25?.value).toBe(19);
    } finally {
      await store.close();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });
});
