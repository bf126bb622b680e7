/**
 * The Debian programs `npm run cluster` runs, found on PATH or where Debian puts them. Nothing is installed:
 * what is missing is named with the apt-get line that brings it.
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { pgBin } from './postgres';

export interface ClusterBinaries {
  mosquitto: string;
  redis: string;
  nginx: string;
  /** PostgreSQL's bin folder (initdb, postgres, pg_ctl). */
  pg: string;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `name` on PATH, else in Debian's usual folder; null when neither has it. */
export function findProgram(name: string, usualDir: string, envPath = process.env.PATH ?? ''): string | null {
  for (const dir of [...envPath.split(path.delimiter).filter(Boolean), usualDir]) {
    const file = path.join(dir, name);
    if (executable(file)) return file;
  }
  return null;
}

export type FindResult = { ok: true; bins: ClusterBinaries } | { ok: false; missing: string[]; install: string };

/** Where Debian's packages put each program (besides PATH). */
export const DEBIAN_DIRS = { mosquitto: '/usr/sbin', redis: '/usr/bin', nginx: '/usr/sbin' };

export function findClusterBinaries(envPath = process.env.PATH ?? '', dirs = DEBIAN_DIRS, pg: string | null = pgBin()): FindResult {
  const mosquitto = findProgram('mosquitto', dirs.mosquitto, envPath);
  const redis = findProgram('redis-server', dirs.redis, envPath);
  const nginx = findProgram('nginx', dirs.nginx, envPath);
  if (mosquitto && redis && nginx && pg) return { ok: true, bins: { mosquitto, redis, nginx, pg } };
  // The Debian package that brings each missing program.
  const missing = [...(mosquitto ? [] : ['mosquitto']), ...(redis ? [] : ['redis-server']), ...(nginx ? [] : ['nginx']), ...(pg ? [] : ['postgresql'])];
  return { ok: false, missing, install: `apt-get install ${missing.join(' ')}` };
}
