/**
 * A throwaway PostgreSQL cluster from Debian's binaries (`apt-get install postgresql`: only the binaries are
 * used): a temp folder, a free loopback port, durability off. The unit tests' global setup and the bench's
 * store part start one; `stop()` stops it and removes the folder. As root the cluster runs as the `postgres`
 * user (initdb refuses root).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chownToPostgres, pgBin, runPg } from '../../server/cluster/local/postgres';
import { freePort } from './ports';

export { pgBin };

export interface PostgresCluster {
  url: string;
  /** The server's settings that differ from a production one, for reports. */
  settings: string;
  stop(): void;
}

/** Starts a cluster with the binaries in `bin` (default: pgBin()); throws when there are none. */
export async function startPostgresCluster(bin = pgBin(), prefix = 'ioc-test-pg-'): Promise<PostgresCluster> {
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql; only its binaries are used)');
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  try {
    chownToPostgres(dir);
    const run = (cmd: string, args: string[]) => runPg(bin, cmd, args);
    const data = path.join(dir, 'data');
    const port = await freePort();
    const settings = '-c fsync=off -c synchronous_commit=off -c full_page_writes=off';
    run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    run('pg_ctl', ['-D', data, '-w', '-l', path.join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 ${settings}`, 'start']);
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      settings: 'fsync, synchronous_commit and full_page_writes off',
      stop: () => {
        try {
          run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
