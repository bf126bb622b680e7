/**
 * Vitest global setup of the unit project: the database the PostgreSQL reading-store tests run against.
 * IOC_TEST_DATABASE_URL names one; without it, a throwaway cluster of Debian's PostgreSQL (postgresCluster.ts),
 * stopped and removed after the run.
 */
import type { TestProject } from 'vitest/node';
import { pgBin, startPostgresCluster } from './postgresCluster';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const given = process.env.IOC_TEST_DATABASE_URL;
  if (given) {
    project.provide('databaseUrl', given);
    return () => undefined;
  }
  const bin = pgBin();
  if (!bin) {
    throw new Error(
      'the PostgreSQL reading-store tests need PostgreSQL: install Debian\'s (apt-get install postgresql; only its ' +
        'binaries are used) or set IOC_TEST_DATABASE_URL=postgres://user@host:port/db',
    );
  }
  const cluster = await startPostgresCluster(bin);
  project.provide('databaseUrl', cluster.url);
  return () => cluster.stop();
}
