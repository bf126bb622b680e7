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

/**
 * Value rows per write. SQLite in a file writes on a thread of its own, where 20,000-row transactions (about
 * 0.4 s each) take about twice the rows a second of 4,000-row ones: a transaction dirties a page per device
 * whatever its size. An in-memory SQLite store writes on the event loop, so it keeps them short. PostgreSQL
 * writes off-thread.
 */
export const TX_ROWS = { sqlite: 20_000, sqliteInMemory: 4_000, postgresql: 20_000 } as const;

export function readingStoreFile(dataDir: string, province: string, rehearsal: boolean): string {
  return path.join(dataDir, `readings-${province}${rehearsal ? '-rehearsal' : ''}.sqlite`);
}

export function readingSchema(province: string, rehearsal: boolean): string {
  return `ioc_readings_${province.replace(/[^a-z0-9]/g, '_')}${rehearsal ? '_rehearsal' : ''}`;
}

export async function openAppReadingStore(c: ReadingStoreChoice): Promise<{ store: ReadingStore; engine: ReadingEngine; txRows: number }> {
  if (c.databaseUrl) {
    const store = await openPgReadingStore({ connectionString: c.databaseUrl, schema: readingSchema(c.province, c.rehearsal) });
    return { store, engine: 'postgresql', txRows: TX_ROWS.postgresql };
  }
  if (!c.dataDir) return { store: await openSqliteReadingStore({ file: ':memory:' }), engine: 'sqlite', txRows: TX_ROWS.sqliteInMemory };
  // A file: its writes on a thread of their own, so they never hold the event loop (sqliteThreaded.ts).
  const store = await openThreadedSqliteReadingStore({ file: readingStoreFile(c.dataDir, c.province, c.rehearsal) });
  return { store, engine: 'sqlite', txRows: TX_ROWS.sqlite };
}
