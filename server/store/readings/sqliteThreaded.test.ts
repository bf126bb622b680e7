import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeReading, describeReadingStore } from './readingStore.suite';
import { openThreadedSqliteReadingStore } from './sqliteThreaded';

// The same contract as every engine, with the writes on the worker thread.
describeReadingStore('SQLite, writes on a worker thread', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ioc-readings-t-'));
  const file = path.join(dir, 'readings.db');
  return {
    open: () => openThreadedSqliteReadingStore({ file }),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the writer thread', () => {
  it('keeps the event loop free while it writes: timers run during a large append', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ioc-readings-t-'));
    dirs.push(dir);
    const store = await openThreadedSqliteReadingStore({ file: path.join(dir, 'r.db') });
    try {
      const T = Date.UTC(2026, 5, 1);
      const batch = Array.from({ length: 60_000 }, (_, k) => makeReading({ deviceId: `dev-${k % 2000}`, ts: T + Math.floor(k / 2000) * 1000, values: { a: k, b: k / 2 } }));
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      const t0 = performance.now();
      const r = await store.append(batch);
      const ms = performance.now() - t0;
      clearInterval(timer);
      expect(r).toEqual({ inserted: 120_000, duplicates: 0 });
      // On this thread the same write would hold the loop for its whole duration (no timer could run).
      expect(ticks).toBeGreaterThan(ms / 5 / 4);
      // The reading connection names the devices the writer created.
      expect((await store.range('dev-7', T, T + 60_000)).length).toBe(30);
    } finally {
      await store.close();
    }
  });

  it('reports a failed write as an error and goes on with the next', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ioc-readings-t-'));
    dirs.push(dir);
    const store = await openThreadedSqliteReadingStore({ file: path.join(dir, 'r.db') });
    try {
      await expect(store.append([makeReading({ deviceId: 'bad id with spaces' })])).rejects.toThrow(/bad reading/);
      expect(await store.append([makeReading({ deviceId: 'ok-1', ts: Date.UTC(2026, 5, 1) })])).toMatchObject({ duplicates: 0 });
    } finally {
      await store.close();
    }
  });
});
