/**
 * Debian's PostgreSQL binaries (`apt-get install postgresql`; only the binaries are used, never the package's
 * own cluster), run as the `postgres` user when we are root: initdb refuses root. `npm run cluster` keeps a
 * cluster in a folder of its own with these; the tests and the bench start throwaway ones.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const PG_ROOT = '/usr/lib/postgresql';

/** The newest installed PostgreSQL's bin folder, or null when none is installed. */
export function pgBin(): string | null {
  if (!existsSync(PG_ROOT)) return null;
  const versions = readdirSync(PG_ROOT)
    .filter((v) => existsSync(path.join(PG_ROOT, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(PG_ROOT, versions[0], 'bin') : null;
}

/** Whether PostgreSQL's programs must be run as the `postgres` user (we are root). */
export function asPostgresUser(): boolean {
  return process.getuid?.() === 0;
}

/** Gives a file or folder to the `postgres` user when we are root (its programs then run as it). */
export function chownToPostgres(file: string): void {
  if (!asPostgresUser()) return;
  chownSync(file, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()));
}

/** The command line that runs `bin/cmd args` as the `postgres` user when we are root, else as ourselves. */
export function pgCommand(bin: string, cmd: string, args: string[]): { file: string; args: string[] } {
  const file = path.join(bin, cmd);
  return asPostgresUser() ? { file: 'runuser', args: ['-u', 'postgres', '--', file, ...args] } : { file, args };
}

/** Runs one of PostgreSQL's tools to its end; throws with its output when it fails. */
export function runPg(bin: string, cmd: string, args: string[]): void {
  const c = pgCommand(bin, cmd, args);
  const r = spawnSync(c.file, c.args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout || r.error?.message}`);
}
