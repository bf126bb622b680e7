/**
 * The database command line: `npm run db:backup`, `npm run db:restore`, `npm run history:import`.
 * Environment as for the server: PROVINCE (default quang-ngai), DATA_DIR (default ./data, as `npm start`),
 * DATABASE_URL (the reading store in PostgreSQL). Bad arguments print the usage and exit 2; a failure the user
 * can act on prints its message and exits 1.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { DeviceType } from '../../shared/mqtt';
import { DEFAULT_PROVINCE, type ProvinceSlug } from '../../shared/provinces';
import { PROVINCES, isProvinceSlug } from '../provinces/catalog';
import { loadRegistry } from '../provinces/load';
import { openAppReadingStore } from '../store/readings/open';
import { backupDatabases, CliError, restoreDatabases } from './backup';
import { formatCounts, importRecording, type ImportCounts } from './historyImport';
import { createStatusLine } from './statusLine';

const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));

export const USAGE = `usage:
  npm run db:backup -- --out FOLDER [--province slug]
      a consistent copy of the province's reading and alarm stores, taken while the server runs
  npm run db:restore -- FOLDER [--force]
      puts a backup back into DATA_DIR (stop the server first; --force replaces existing databases)
  npm run history:import -- FILE [--province slug]
      loads a recording (npm run sim:record) into the reading store
environment: PROVINCE, DATA_DIR (default ./data), DATABASE_URL
provinces: ${Object.keys(PROVINCES).join(', ')}`;

class UsageError extends Error {}

interface Env {
  PROVINCE?: string;
  DATA_DIR?: string;
  DATABASE_URL?: string;
}

function province(arg: string | undefined, env: Env): ProvinceSlug {
  const p = arg ?? env.PROVINCE ?? DEFAULT_PROVINCE;
  if (!isProvinceSlug(p)) throw new UsageError(`unknown province '${p}'`);
  return p;
}

function parse(argv: string[], options: NonNullable<ParseArgsConfig['options']>, positionals: number) {
  let r;
  try {
    r = parseArgs({ args: argv, options, allowPositionals: positionals > 0, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (r.positionals.length !== positionals) throw new UsageError(positionals === 0 ? 'unexpected argument' : 'expected one FILE');
  return r;
}

export async function runCli(command: string | undefined, argv: string[], env: Env, out: NodeJS.WriteStream = process.stderr): Promise<number> {
  const dataDir = path.resolve(env.DATA_DIR ?? DEFAULT_DATA_DIR);
  const databaseUrl = env.DATABASE_URL || undefined;
  try {
    switch (command) {
      case 'backup': {
        const { values } = parse(argv, { out: { type: 'string' }, province: { type: 'string' } }, 0);
        if (typeof values.out !== 'string' || values.out === '') throw new UsageError('--out FOLDER is required');
        const p = province(values.province as string | undefined, env);
        let now = '';
        const status = createStatusLine(out, () => `backup ${p}: ${now || 'starting'}`);
        try {
          const m = await backupDatabases({
            out: path.resolve(values.out),
            province: p,
            dataDir,
            databaseUrl,
            onProgress: (store, done, total) => {
              now = `${store} ${total > 0 ? Math.round((100 * done) / total) : 100}%`;
            },
          });
          status.stop();
          out.write(`backed up ${m.files.map((f) => `${f.store} (${f.engine}) → ${f.name}`).join(', ')} into ${path.resolve(values.out)}\n`);
        } finally {
          status.stop();
        }
        return 0;
      }
      case 'restore': {
        const { values, positionals } = parse(argv, { force: { type: 'boolean' } }, 1);
        out.write('restore: the server must be stopped (a running server keeps the old databases open)\n');
        const r = await restoreDatabases({ from: path.resolve(positionals[0]!), force: values.force === true, dataDir, databaseUrl });
        out.write(`restored the ${r.manifest.province} backup of ${r.manifest.createdAt}: ${r.restored.join(', ')}\n`);
        return 0;
      }
      case 'import': {
        const { values, positionals } = parse(argv, { province: { type: 'string' } }, 1);
        const p = province(values.province as string | undefined, env);
        const { registry } = loadRegistry(p);
        const devices = new Map<string, DeviceType>(registry.devices.map((d) => [d.id, d.type]));
        if (!databaseUrl) mkdirSync(dataDir, { recursive: true });
        const { store, engine } = await openAppReadingStore({ province: p, rehearsal: false, dataDir, databaseUrl });
        let last: ImportCounts | null = null;
        const status = createStatusLine(out, () => (last ? `import: ${last.readings} readings, ${last.stored} values stored` : 'import: reading…'));
        try {
          const counts = await importRecording({
            file: path.resolve(positionals[0]!),
            store,
            devices,
            onProgress: (c) => {
              last = c;
            },
          });
          status.stop();
          out.write(`imported into the ${p} reading store (${engine})\n${formatCounts(counts)}\n`);
        } finally {
          status.stop();
          await store.close();
        }
        return 0;
      }
      default:
        throw new UsageError(command ? `unknown command '${command}'` : 'no command');
    }
  } catch (err) {
    if (err instanceof UsageError) {
      out.write(`${err.message}\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof CliError || (err instanceof Error && /^no recording at /.test(err.message))) {
      out.write(`error: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command, ...rest] = process.argv.slice(2);
  runCli(command, rest, process.env).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
