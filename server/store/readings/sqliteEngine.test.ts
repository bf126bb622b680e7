import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { KEYFRAME_MS, MAX_DIRTY_KEYFRAMES } from './keyframe';
import type { Reading } from './port';
import { describeReadingStore } from './readingStore.suite';
import { SqliteReadingStore, openSqliteReadingStore } from './sqliteEngine';

describeReadingStore('SQLite', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ioc-readings-'));
  const file = path.join(dir, 'readings.db');
  return {
    open: () => openSqliteReadingStore({ file }),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

const T0 = Date.UTC(2026, 10, 3, 5, 0, 0);
const HOUR = 3_600_000;
const reading = (deviceId: string, ts: number, pm25: number): Reading => ({ deviceId, type: 'air', ts, values: { pm25 } });

describe('SQLite reading store keyframes', () => {
  it('migrates a store without keyframes: answers from the minute rollups, then builds them as it writes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ioc-readings-'));
    const file = path.join(dir, 'readings.db');
    try {
      let store = await openSqliteReadingStore({ file });
      await store.append([reading('a', T0 + 10 * 60_000, 1), reading('b', T0 + 3 * HOUR, 2)]);
      await store.close();
      // The schema as the release before keyframes left it.
      const db = new Database(file);
      db.exec('DROP TABLE keyframes');
      db.pragma('user_version = 1');
      db.close();
      store = await openSqliteReadingStore({ file });
      const at = T0 + 3 * HOUR + 30 * 60_000;
      const want = [
        { deviceId: 'a', type: 'air', metrics: { pm25: { ts: T0 + 10 * 60_000, value: 1 } } },
        { deviceId: 'b', type: 'air', metrics: { pm25: { ts: T0 + 3 * HOUR, value: 2 } } },
      ];
      expect(await store.latestAt(at, { lookbackMs: 4 * HOUR })).toEqual(want);
      await store.append([reading('c', T0 + 4 * HOUR + 5 * 60_000, 3)]);
      expect((store as SqliteReadingStore).keyframeStats().stored).toBe(1);
      expect(await store.latestAt(at, { lookbackMs: 4 * HOUR })).toEqual(want);
      expect((await store.latestAt(T0 + 5 * HOUR, { lookbackMs: 5 * HOUR })).map((d) => d.deviceId)).toEqual(['a', 'b', 'c']);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bounds the keyframes waiting for a rebuild, and latestAt stays right past the bound', async () => {
    // A clock that never moves: no rebuild falls due, so deleted keyframes pile up.
    const store = new SqliteReadingStore({ file: ':memory:', now: () => 0, repairEveryMs: 60_000 });
    const hours = 1_300;
    const all: Reading[] = [];
    for (let h = 0; h < hours; h++) {
      const r = reading(`d${h % 7}`, T0 + h * HOUR + 5 * 60_000, h);
      all.push(r);
      await store.append([r]);
    }
    expect(store.keyframeStats().stored).toBeGreaterThan(hours - 5);
    // Late readings spread over the whole span: each deletes a day of keyframes.
    const late: Reading[] = [];
    for (let h = 1; h < hours - 48; h += 20) late.push(reading('late', T0 + h * HOUR + 1, -h));
    await store.append(late);
    all.push(...late);
    const s = store.keyframeStats();
    expect(s.dirty).toBe(MAX_DIRTY_KEYFRAMES);
    expect(s.stored).toBeLessThan(hours - MAX_DIRTY_KEYFRAMES);
    for (const h of [30, 500, 1_000, 1_250]) {
      const at = T0 + h * HOUR + KEYFRAME_MS / 2;
      const snap = await store.latestAt(at, { lookbackMs: 24 * HOUR });
      const lateOne = all.filter((r) => r.deviceId === 'late' && r.ts <= at && r.ts >= at - 24 * HOUR).at(-1);
      expect(snap.find((d) => d.deviceId === 'late')?.metrics.pm25?.value).toBe(lateOne?.values.pm25);
      expect(snap.filter((d) => d.deviceId !== 'late')).toHaveLength(7);
    }
    await store.close();
  });

  it('rebuilds keyframes a late reading deleted once the repair falls due', async () => {
    let now = 0;
    const store = new SqliteReadingStore({ file: ':memory:', now: () => now, repairEveryMs: 10_000 });
    for (let h = 0; h < 30; h++) await store.append([reading('a', T0 + h * HOUR + 5 * 60_000, h)]);
    const built = store.keyframeStats().stored;
    await store.append([reading('late', T0 + 2 * HOUR + 1, 99)]);
    expect(store.keyframeStats()).toMatchObject({ stored: built - 24, dirty: 24 });
    await store.append([reading('a', T0 + 30 * HOUR + 5 * 60_000, 30)]);
    expect(store.keyframeStats().dirty).toBe(24); // not due yet
    now += 10_000;
    await store.append([reading('a', T0 + 30 * HOUR + 6 * 60_000, 31)]);
    expect(store.keyframeStats()).toMatchObject({ stored: built + 1, dirty: 0 }); // and the new hour's
    const snap = await store.latestAt(T0 + 20 * HOUR, { lookbackMs: 24 * HOUR });
    expect(snap.find((d) => d.deviceId === 'late')?.metrics.pm25).toEqual({ ts: T0 + 2 * HOUR + 1, value: 99 });
    await store.close();
  });

  it('does not rebuild the newest keyframe for every batch of a backfill, and answers right meanwhile', async () => {
    // A station publishing its day of history beside live reports: each batch holds a late reading that deletes
    // the newest keyframe. Rebuilding it per batch scanned the day's minute rollups each time (the fleet's
    // 42,000 backfill readings took 70 s to store).
    let now = 0;
    const store = new SqliteReadingStore({ file: ':memory:', now: () => now, repairEveryMs: 10_000 });
    for (let h = 0; h < 30; h++) await store.append([reading('live', T0 + h * HOUR + 5 * 60_000, h)]);
    const before = store.keyframeStats().builds;
    const live = T0 + 30 * HOUR;
    for (let i = 0; i < 200; i++) {
      await store.append([reading('back', live - 24 * HOUR + i * 5 * 60_000, i), reading('live', live + i * 1_000, 1_000 + i)]);
    }
    expect(store.keyframeStats().builds - before).toBeLessThanOrEqual(1);
    const snap = await store.latestAt(live + 200 * 1_000, { lookbackMs: 24 * HOUR });
    expect(snap.find((d) => d.deviceId === 'back')?.metrics.pm25).toEqual({ ts: live - 24 * HOUR + 199 * 5 * 60_000, value: 199 });
    expect(snap.find((d) => d.deviceId === 'live')?.metrics.pm25?.value).toBe(1_199);
    // Once the repair falls due, the keyframes are back, with the same answer.
    now += 10_000;
    await store.append([reading('live', live + 201 * 1_000, 1_201)]);
    expect(store.keyframeStats().dirty).toBe(0);
    expect((await store.latestAt(live + 200 * 1_000, { lookbackMs: 24 * HOUR })).find((d) => d.deviceId === 'back')?.metrics.pm25?.value).toBe(199);
    await store.close();
  });
});

describe('SQLite reading store WAL', () => {
  it('keeps the WAL file bounded by its autocheckpoint while many times that is written', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ioc-readings-'));
    const file = path.join(dir, 'readings.db');
    // 50 pages (200 KiB) between checkpoints, the file cut back to 400 KiB after one; the app's are 64 MiB each.
    const store = new SqliteReadingStore({ file, walAutocheckpointPages: 50, journalSizeLimit: 400 * 1024, checkpointEveryMs: 1e12 });
    try {
      let largest = 0;
      const batches = 40;
      for (let b = 0; b < batches; b++) {
        const batch: Reading[] = [];
        // 300 devices a batch, each a page of its own in the b-trees: a batch dirties far more than 50 pages.
        for (let d = 0; d < 300; d++) batch.push({ deviceId: `dev-${d}`, type: 'air', ts: T0 + b * 60_000, values: { pm25: d, pm10: b, temperature: 20 } });
        await store.append(batch);
        largest = Math.max(largest, statSync(`${file}-wal`).size);
      }
      const db = new Database(file, { readonly: true });
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      db.close();
      const walWritten = batches * 300 * pageSize; // at least a page per device per batch went through the WAL
      expect(walWritten).toBeGreaterThan(20 * largest);
      // The bound: the checkpoint threshold plus the one batch that crossed it, cut back after the checkpoint.
      expect(largest).toBeLessThan(4 * 1024 * 1024);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
