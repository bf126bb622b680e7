import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
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
