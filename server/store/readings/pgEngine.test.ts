import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describeReadingStore } from './readingStore.suite';
import { openPgReadingStore } from './pgEngine';

/**
 * Runs against a real PostgreSQL named by IOC_TEST_DATABASE_URL (.ci/run starts a throwaway cluster and sets
 * it; the README says how to run one locally). Without it this file fails: a skipped engine would pass
 * unnoticed. Each test gets a schema of its own, dropped afterwards, so runs never collide.
 */
const url = process.env.IOC_TEST_DATABASE_URL;
if (url === undefined || url === '') {
  throw new Error(
    'IOC_TEST_DATABASE_URL is not set: the PostgreSQL reading-store tests need a database, ' +
      'e.g. IOC_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:55432/postgres (see README, Tests)',
  );
}

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
