/**
 * For tests of stores written on the SQL port: each engine, fresh and empty. SQLite in memory; PostgreSQL a
 * schema of its own on the unit project's database (test/support/postgresSetup.ts), dropped by dispose().
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPgDb, openSqliteDb, type SqlDb } from './sqlDb';

export interface EngineUnderTest {
  name: 'SQLite' | 'PostgreSQL';
  open(): Promise<{ db: SqlDb; dispose(): Promise<void> }>;
}

export function sqlEngines(databaseUrl: string): EngineUnderTest[] {
  return [
    {
      name: 'SQLite',
      open: async () => {
        const db = openSqliteDb(':memory:');
        return { db, dispose: () => db.close() };
      },
    },
    {
      name: 'PostgreSQL',
      open: async () => {
        const schema = `ioc_test_${randomBytes(6).toString('hex')}`;
        const db = await openPgDb(databaseUrl, schema, 2);
        return {
          db,
          dispose: async () => {
            await db.close();
            const client = new pg.Client({ connectionString: databaseUrl });
            await client.connect();
            try {
              await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
            } finally {
              await client.end();
            }
          },
        };
      },
    },
  ];
}
