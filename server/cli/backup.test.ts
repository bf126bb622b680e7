import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlarmStore } from '../store/alarmStore';
import { openIdentityDb } from '../store/sqlDb';
import { UserStore } from '../security/users';
import { readingStoreFile } from '../store/readings/open';
import type { Reading } from '../store/readings/port';
import { openSqliteReadingStore } from '../store/readings/sqliteEngine';
import { alarmStoreFile, backupDatabases, CliError, readManifest, restoreDatabases } from './backup';

const T0 = Date.UTC(2026, 10, 20);
const PER_BATCH = 50;
const makeBatch = (k: number): Reading[] =>
  Array.from({ length: PER_BATCH }, (_, j) => ({ deviceId: 'qng-hydro-0001', type: 'hydro', ts: T0 + (k * PER_BATCH + j) * 1000, values: { waterLevel: k + j / 100 } }));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ioc-backup-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('backup and restore', () => {
  it('backs up stores that are open and being written, and the restored store reads a consistent prefix back', async () => {
    const live = path.join(dir, 'live');
    const out = path.join(dir, 'backup');
    const empty = path.join(dir, 'empty');
    mkdirSync(live);
    const store = await openSqliteReadingStore({ file: readingStoreFile(live, 'quang-ngai', false) });
    const alarms = new AlarmStore(alarmStoreFile(live, 'quang-ngai'));
    alarms.db.exec('CREATE TABLE probe (x INTEGER); INSERT INTO probe VALUES (42);');
    // The identity store (users, sessions, audit) goes with the others.
    const identity = await openIdentityDb({ province: 'quang-ngai', dataDir: live });
    const users = await UserStore.open(identity, () => T0);
    await users.create({ username: 'an', displayName: 'An', role: 'operator', password: 'mật-khẩu-dài-đủ' });
    await identity.close();
    // Enough rows that the copy is more than a page or two.
    let k = 0;
    for (; k < 40; k++) await store.append(makeBatch(k));
    const before = k;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await store.append(makeBatch(k++));
        await new Promise((r) => setImmediate(r));
      }
    })();
    const manifest = await backupDatabases({ out, province: 'quang-ngai', dataDir: live });
    const after = k;
    writing = false;
    await writer;
    expect(k).toBeGreaterThan(before); // the writer did write while the backup ran
    expect(manifest.files.map((f) => f.store).sort()).toEqual(['alarms', 'identity', 'readings']);

    await restoreDatabases({ from: out, force: false, dataDir: empty });
    const restored = await openSqliteReadingStore({ file: readingStoreFile(empty, 'quang-ngai', false) });
    const rows = await restored.range('qng-hydro-0001', T0, T0 + 1e9);
    // Whole batches only (one transaction each), and at least everything written before the backup began.
    expect(rows.length % PER_BATCH).toBe(0);
    expect(rows.length).toBeGreaterThanOrEqual(before * PER_BATCH);
    expect(rows.length).toBeLessThanOrEqual(after * PER_BATCH);
    const written = Array.from({ length: rows.length / PER_BATCH }, (_, b) => makeBatch(b)).flat();
    expect(rows).toEqual(written.map((r) => ({ ts: r.ts, values: r.values })));
    const restoredAlarms = new Database(alarmStoreFile(empty, 'quang-ngai'), { readonly: true });
    expect(restoredAlarms.prepare('SELECT x FROM probe').pluck().get()).toBe(42);
    restoredAlarms.close();
    const restoredIdentity = await openIdentityDb({ province: 'quang-ngai', dataDir: empty });
    expect('user' in (await (await UserStore.open(restoredIdentity, () => T0)).verifyPassword('an', 'mật-khẩu-dài-đủ'))).toBe(true);
    await restoredIdentity.close();
    await restored.close();
    await store.close();
    alarms.close();
  });

  it('refuses to overwrite existing databases without --force, and replaces them with it', async () => {
    const live = path.join(dir, 'live');
    const out = path.join(dir, 'backup');
    mkdirSync(live);
    const store = await openSqliteReadingStore({ file: readingStoreFile(live, 'quang-ngai', false) });
    await store.append(makeBatch(0));
    await backupDatabases({ out, province: 'quang-ngai', dataDir: live });
    await store.append(makeBatch(1));
    await store.close();

    await expect(restoreDatabases({ from: out, force: false, dataDir: live })).rejects.toThrow(/refusing to overwrite .*readings-quang-ngai\.sqlite.*--force/);
    const kept = await openSqliteReadingStore({ file: readingStoreFile(live, 'quang-ngai', false) });
    expect(await kept.range('qng-hydro-0001', T0, T0 + 1e9)).toHaveLength(2 * PER_BATCH);
    await kept.close();

    // A WAL left by the old database would be replayed into the restored file.
    writeFileSync(`${readingStoreFile(live, 'quang-ngai', false)}-wal`, 'stale');
    await restoreDatabases({ from: out, force: true, dataDir: live });
    expect(existsSync(`${readingStoreFile(live, 'quang-ngai', false)}-wal`)).toBe(false);
    const back = await openSqliteReadingStore({ file: readingStoreFile(live, 'quang-ngai', false) });
    expect(await back.range('qng-hydro-0001', T0, T0 + 1e9)).toHaveLength(PER_BATCH);
    await back.close();
  });

  it('refuses a folder that is not a finished backup, a missing store and a non-empty output folder', async () => {
    expect(() => readManifest(dir)).toThrow(/not a backup/);
    await expect(backupDatabases({ out: path.join(dir, 'b'), province: 'quang-ngai', dataDir: dir })).rejects.toThrow(/no reading store/);
    const store = await openSqliteReadingStore({ file: readingStoreFile(dir, 'quang-ngai', false) });
    await store.close();
    const out = path.join(dir, 'full');
    mkdirSync(out);
    writeFileSync(path.join(out, 'something'), 'x');
    await expect(backupDatabases({ out, province: 'quang-ngai', dataDir: dir })).rejects.toThrow(CliError);
    await expect(backupDatabases({ out, province: 'quang-ngai', dataDir: dir })).rejects.toThrow(/not an empty folder/);
  });
});
