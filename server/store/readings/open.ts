/**
 * Picks and opens the app's reading store: PostgreSQL when a database URL is configured (one schema per
 * province), otherwise SQLite in DATA_DIR (in memory without one). A rehearsal's readings carry simulated
 * time: they get a store of their own, as its alarms do.
 */
import path from 'node:path';
import { openPgReadingStore } from './pgEngine';
import type { ReadingStore } from './port';
import { openSqliteReadingStore } from './sqliteEngine';
import { openThreadedSqliteReadingStore } from './sqliteThreaded';

export type ReadingEngine = 'sqlite' | 'postgresql';

export interface ReadingStoreChoice {
  province: string;
  rehearsal: boolean;
  dataDir?: string;
  databaseUrl?: string;
}

/** Value rows per write: a 20k-row SQLite transaction holds its thread for ~0.3 s (the writer thread, for a file; the event loop for an in-memory store); PostgreSQL writes off-thread. */
export const TX_ROWS: Record<ReadingEngine, number> = { sqlite: 4_000, postgresql: 20_000 };

export function readingStoreFile(dataDir: string, province: string, rehearsal: boolean): string {
  return path.join(dataDir, `readings-${province}${rehearsal ? '-rehearsal' : ''}.sqlite`);
}

export function readingSchema(province: string, rehearsal: boolean): string {
  return `ioc_readings_${province.replace(/[^a-z0-9]/g, '_')}${rehearsal ? '_rehearsal' : ''}`;
}

export async function openAppReadingStore(c: ReadingStoreChoice): Promise<{ store: ReadingStore; engine: ReadingEngine }> {
  if (c.databaseUrl) {
    const store = await openPgReadingStore({ connectionString: c.databaseUrl, schema: readingSchema(c.province, c.rehearsal) });
    return { store, engine: 'postgresql' };
  }
  if (!c.dataDir) return { store: await openSqliteReadingStore({ file: ':memory:' }), engine: 'sqlite' };
  // A file: its writes on a thread of their own, so they never hold the event loop (sqliteThreaded.ts).
  return { store: await openThreadedSqliteReadingStore({ file: readingStoreFile(c.dataDir, c.province, c.rehearsal) }), engine: 'sqlite' };
}
