/**
 * A throwaway PostgreSQL cluster from Debian's binaries (`apt-get install postgresql`: only the binaries are
 * used): a temp folder, a free loopback port, durability off. The unit tests' global setup and the bench's
 * store part start one; `stop()` stops it and removes the folder. As root the cluster runs as the `postgres`
 * user (initdb refuses root).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './ports';

const PG_ROOT = '/usr/lib/postgresql';

/** The newest installed PostgreSQL's bin folder, or null when none is installed. */
export function pgBin(): string | null {
  if (!existsSync(PG_ROOT)) return null;
  const versions = readdirSync(PG_ROOT)
    .filter((v) => existsSync(path.join(PG_ROOT, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(PG_ROOT, versions[0], 'bin') : null;
}

export interface PostgresCluster {
  url: string;
  /** The server's settings that differ from a production one, for reports. */
  settings: string;
  stop(): void;
}

/** Starts a cluster with the binaries in `bin` (default: pgBin()); throws when there are none. */
export async function startPostgresCluster(bin = pgBin(), prefix = 'ioc-test-pg-'): Promise<PostgresCluster> {
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql; only its binaries are used)');
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  try {
    if (root) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()));
    const run = (cmd: string, args: string[]) => {
      const r = root ? spawnSync('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args], { encoding: 'utf8' }) : spawnSync(path.join(bin, cmd), args, { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout || r.error?.message}`);
    };
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
