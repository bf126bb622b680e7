import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeReadingStore } from './readingStore.suite';
import { openSqliteReadingStore } from './sqliteEngine';

describeReadingStore('SQLite', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ioc-readings-'));
  const file = path.join(dir, 'readings.db');
  return {
    open: () => openSqliteReadingStore({ file }),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
