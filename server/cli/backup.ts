/**
 * Backup and restore of a province's databases.
 *
 * A backup is a folder: `manifest.json` (what it holds, for which province, when) beside one file per
 * database. SQLite: `readings-<province>.sqlite` and `alarms-<province>.sqlite`, each made with SQLite's
 * online backup API (better-sqlite3 `db.backup()`), which copies a consistent snapshot page by page while the
 * server keeps writing. PostgreSQL (DATABASE_URL): `readings-<province>.pgdump`, `pg_dump --format=custom` of
 * the province's schema (the alarm store stays SQLite, so it is backed up as a file either way).
 * A folder rather than a tarball: no archive code, and each file opens as is with `sqlite3` or `pg_restore -l`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { z } from 'zod';
import { readingSchema, readingStoreFile } from '../store/readings/open';
import { identitySchema } from '../store/sqlDb';

export const MANIFEST = 'manifest.json';

export function alarmStoreFile(dataDir: string, province: string): string {
  return path.join(dataDir, `alarms-${province}.sqlite`);
}

/** Users, sessions, display tokens, device credentials and the audit log (server/store/sqlDb.ts). */
export function identityStoreFile(dataDir: string, province: string): string {
  return path.join(dataDir, `identity-${province}.sqlite`);
}

const manifestSchema = z.object({
  kind: z.literal('ioc-backup'),
  version: z.literal(1),
  province: z.string(),
  createdAt: z.string(),
  files: z.array(z.object({ name: z.string(), store: z.enum(['readings', 'alarms', 'identity']), engine: z.enum(['sqlite', 'postgresql']), schema: z.string().optional() })),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

/** A failure the user can act on: printed without a stack trace, exit 1. */
export class CliError extends Error {}

export interface BackupOptions {
  out: string;
  province: string;
  dataDir?: string;
  databaseUrl?: string;
  /** Progress: (store, pages done, pages total). */
  onProgress?: (store: string, done: number, total: number) => void;
  /** Where pg_dump is looked for first (tests); default Debian's /usr/lib/postgresql/<v>/bin, then PATH. */
  pgBinDirs?: string[];
  now?: () => Date;
}

function prepareOut(out: string): void {
  if (existsSync(out)) {
    if (!statSync(out).isDirectory() || readdirSync(out).length > 0) throw new CliError(`${out} exists and is not an empty folder: choose a new one`);
  } else mkdirSync(out, { recursive: true });
}

async function backupSqlite(src: string, dest: string, onProgress: (done: number, total: number) => void): Promise<void> {
  const db = new Database(src, { fileMustExist: true });
  try {
    await db.backup(dest, {
      // All remaining pages in one step, in one read transaction: a backup in small steps restarts whenever
      // another connection (the running server, every tick) writes between two steps, and might never end.
      // In WAL mode the read transaction does not block the server's writes.
      progress: ({ totalPages, remainingPages }) => {
        onProgress(totalPages - remainingPages, totalPages);
        return 0x7fffffff;
      },
    });
    onProgress(1, 1);
  } finally {
    db.close();
  }
}

export async function backupDatabases(o: BackupOptions): Promise<BackupManifest> {
  const onProgress = o.onProgress ?? (() => {});
  const files: BackupManifest['files'] = [];
  const jobs: Array<() => Promise<void>> = [];
  if (o.databaseUrl) {
    const pgDump = findPgTool('pg_dump', o.pgBinDirs);
    const schema = readingSchema(o.province, false);
    const name = `readings-${o.province}.pgdump`;
    files.push({ name, store: 'readings', engine: 'postgresql', schema });
    jobs.push(() => run(pgDump, ['--format=custom', `--schema=${schema}`, `--file=${path.join(o.out, name)}`, `--dbname=${o.databaseUrl}`]));
    const idSchema = identitySchema(o.province);
    if ((await existingSchemas(o.databaseUrl, [idSchema])).length > 0) {
      const idName = `identity-${o.province}.pgdump`;
      files.push({ name: idName, store: 'identity', engine: 'postgresql', schema: idSchema });
      jobs.push(() => run(pgDump, ['--format=custom', `--schema=${idSchema}`, `--file=${path.join(o.out, idName)}`, `--dbname=${o.databaseUrl}`]));
    }
  } else {
    if (!o.dataDir) throw new CliError('DATA_DIR is not set: the stores are in memory, there is nothing to back up');
    const src = readingStoreFile(o.dataDir, o.province, false);
    if (!existsSync(src)) throw new CliError(`no reading store at ${src}`);
    const name = path.basename(src);
    files.push({ name, store: 'readings', engine: 'sqlite' });
    jobs.push(() => backupSqlite(src, path.join(o.out, name), (d, t) => onProgress('readings', d, t)));
  }
  if (o.dataDir && existsSync(alarmStoreFile(o.dataDir, o.province))) {
    const src = alarmStoreFile(o.dataDir, o.province);
    const name = path.basename(src);
    files.push({ name, store: 'alarms', engine: 'sqlite' });
    jobs.push(() => backupSqlite(src, path.join(o.out, name), (d, t) => onProgress('alarms', d, t)));
  }
  if (!o.databaseUrl && o.dataDir && existsSync(identityStoreFile(o.dataDir, o.province))) {
    const src = identityStoreFile(o.dataDir, o.province);
    const name = path.basename(src);
    files.push({ name, store: 'identity', engine: 'sqlite' });
    jobs.push(() => backupSqlite(src, path.join(o.out, name), (d, t) => onProgress('identity', d, t)));
  }
  prepareOut(o.out);
  for (const job of jobs) await job();
  const manifest: BackupManifest = { kind: 'ioc-backup', version: 1, province: o.province, createdAt: (o.now?.() ?? new Date()).toISOString(), files };
  // Written last: a folder without a manifest is an unfinished backup, and restore refuses it.
  writeFileSync(path.join(o.out, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export function readManifest(dir: string): BackupManifest {
  const file = path.join(dir, MANIFEST);
  if (!existsSync(file)) throw new CliError(`${dir} is not a backup (no ${MANIFEST}; an interrupted backup has none)`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliError(`${file}: not JSON (${(err as Error).message})`);
  }
  const m = manifestSchema.safeParse(json);
  if (!m.success) throw new CliError(`${file}: not a backup manifest (${m.error.issues[0]?.message ?? 'invalid'})`);
  for (const f of m.data.files) {
    if (f.name !== path.basename(f.name)) throw new CliError(`${file}: bad file name ${f.name}`);
    if (!existsSync(path.join(dir, f.name))) throw new CliError(`${dir}: ${f.name} is missing`);
  }
  return m.data;
}

export interface RestoreOptions {
  from: string;
  force: boolean;
  dataDir?: string;
  databaseUrl?: string;
  pgBinDirs?: string[];
}

/** Puts a backup back. The server must be stopped: a running server keeps the old files open. */
export async function restoreDatabases(o: RestoreOptions): Promise<{ manifest: BackupManifest; restored: string[] }> {
  const manifest = readManifest(o.from);
  const sqlite = manifest.files.filter((f) => f.engine === 'sqlite');
  const pg = manifest.files.filter((f) => f.engine === 'postgresql');
  if (sqlite.length > 0 && !o.dataDir) throw new CliError('DATA_DIR is not set: where should the SQLite files go?');
  if (pg.length > 0 && !o.databaseUrl) throw new CliError('the backup holds a PostgreSQL dump: set DATABASE_URL');
  const targets = sqlite.map((f) => path.join(o.dataDir!, f.name));
  const existing = targets.filter((t) => existsSync(t));
  if (existing.length > 0 && !o.force) {
    throw new CliError(`refusing to overwrite ${existing.join(', ')}: stop the server and pass --force to replace them`);
  }
  const pgRestore = pg.length > 0 ? findPgTool('pg_restore', o.pgBinDirs) : null;
  if (pg.length > 0 && !o.force) {
    const present = await existingSchemas(o.databaseUrl!, pg.map((f) => f.schema ?? ''));
    if (present.length > 0) throw new CliError(`refusing to overwrite the schema ${present.join(', ')}: stop the server and pass --force to replace it`);
  }
  if (sqlite.length > 0) mkdirSync(o.dataDir!, { recursive: true });
  const restored: string[] = [];
  for (const [k, f] of sqlite.entries()) {
    const target = targets[k]!;
    // The old WAL and shared memory belong to the old database: left beside the new file, SQLite would replay them into it.
    for (const ext of ['-wal', '-shm', '-journal']) rmSync(`${target}${ext}`, { force: true });
    copyFileSync(path.join(o.from, f.name), target);
    restored.push(target);
  }
  for (const f of pg) {
    const args = ['--dbname', o.databaseUrl!, '--no-owner', ...(o.force ? ['--clean', '--if-exists'] : []), path.join(o.from, f.name)];
    await run(pgRestore!, args);
    restored.push(`${f.schema ?? f.name} (PostgreSQL)`);
  }
  return { manifest, restored };
}

async function existingSchemas(url: string, schemas: string[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ schema_name: string }>('SELECT schema_name FROM information_schema.schemata WHERE schema_name = ANY($1)', [schemas]);
    return r.rows.map((row) => row.schema_name);
  } finally {
    await client.end();
  }
}

/** Debian installs the PostgreSQL client tools in /usr/lib/postgresql/<major>/bin (newest first), and links some into PATH. */
export function findPgTool(tool: 'pg_dump' | 'pg_restore', dirs?: string[]): string {
  const candidates = dirs ?? debianPgBinDirs();
  for (const d of candidates) {
    const p = path.join(d, tool);
    if (existsSync(p)) return p;
  }
  for (const d of (process.env.PATH ?? '').split(path.delimiter)) {
    if (d && existsSync(path.join(d, tool))) return path.join(d, tool);
  }
  throw new CliError(`${tool} not found (looked in /usr/lib/postgresql/*/bin and PATH): install it with "apt-get install postgresql-client"`);
}

function debianPgBinDirs(): string[] {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => path.join(root, v, 'bin'));
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    child.on('error', (e) => reject(new CliError(`${path.basename(cmd)}: ${e.message}`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new CliError(`${path.basename(cmd)} exited with ${code}: ${err.trim()}`))));
  });
}
