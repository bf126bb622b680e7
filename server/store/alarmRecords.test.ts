/**
 * AlarmRecords: the same tests on the SQL port's two engines (SQLite, PostgreSQL) and on the SQLite AlarmStore
 * seen through alarmStoreRecords, which the app reads through while the engine still writes AlarmStore.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { makeAlarm } from '../alarms/alarm';
import { decisionsWrite, type AlarmWrite } from '../alarms/storePort';
import type { Alarm, AlarmChange } from '../../shared/alarms';
import { SqlAlarmRecords, type AlarmRecords } from './alarmRecords';
import { alarmStoreRecords } from './alarmStoreRecords';
import { AlarmStore } from './alarmStore';
import { MIGRATIONS } from './migrations';
import { openSqliteDb } from './sqlDb';
import { sqlEngines } from './sqlDbEngines';

const T0 = Date.UTC(2026, 9, 1);

interface Opened {
  records: AlarmRecords;
  /** A statement straight on the database, past the records (what a bug or an intruder might run). */
  raw(sql: string): Promise<unknown>;
  count(table: 'alarms' | 'audit'): Promise<number>;
  /** The same database opened again (another instance, a restart). */
  reopen(): Promise<AlarmRecords>;
  dispose(): Promise<void>;
}

const targets: { name: string; open(): Promise<Opened> }[] = [
  ...sqlEngines(inject('databaseUrl')).map((engine) => ({
    name: engine.name,
    open: async (): Promise<Opened> => {
      const { db, dispose } = await engine.open();
      return {
        records: await SqlAlarmRecords.open(db),
        raw: (sql) => db.run(sql),
        count: async (table) => Number((await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n),
        reopen: () => SqlAlarmRecords.open(db),
        dispose,
      };
    },
  })),
  {
    name: 'AlarmStore (alarmStoreRecords)',
    open: async (): Promise<Opened> => {
      const store = new AlarmStore(':memory:');
      return {
        records: alarmStoreRecords(store),
        raw: async (sql) => store.db.prepare(sql).run(),
        count: async (table) => (store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n,
        reopen: async () => alarmStoreRecords(store),
        dispose: async () => store.close(),
      };
    },
  },
];

function makeStoredAlarm(overrides: Partial<Alarm> = {}): Alarm {
  const a = makeAlarm({
    id: 1,
    kind: 'single',
    ruleId: 'r',
    source: 's',
    signal: 'x',
    domain: 'device',
    commune: '51001',
    title: 'Vượt',
    severity: 'warning',
    level: 0,
    value: 1,
    raisedAt: T0,
    lastSeen: T0,
    conditionSince: T0,
    runs: [T0],
    ackDeadline: null,
  });
  return { ...a, ...overrides };
}

for (const target of targets) {
  describe(`AlarmRecords on ${target.name}`, () => {
    let t: Opened;
    let rec: AlarmRecords;
    let rev: number;
    /** The rev this writer last wrote for each alarm: its `prevRev`. */
    let seen: Map<number, number>;
    beforeEach(async () => {
      t = await target.open();
      rec = t.records;
      rev = 0;
      seen = new Map();
    });
    afterEach(() => t.dispose());

    const change = (alarm: Alarm, c: AlarmChange['change'] = 'raised', extra: Partial<AlarmChange> = {}): AlarmChange => {
      rev++;
      return { rev, change: c, alarm: { ...alarm, rev }, actor: 'system', at: alarm.updatedAt, ...extra };
    };
    /** Writes as the one writer that knows every alarm it wrote. */
    const write = async (cs: readonly AlarmChange[], w: AlarmWrite = decisionsWrite(cs)) => {
      const r = await rec.write(w, (id) => seen.get(id));
      if (r.conflicts.length === 0) for (const a of w.alarms) seen.set(a.id, a.rev);
      return r;
    };

    it('writes the row once per write but an audit row per change, and reads them back', async () => {
      const a = makeStoredAlarm();
      expect(await write([change(a), change({ ...a, state: 'acknowledged', ackAt: T0 + 5, ackBy: 'Lan' }, 'acknowledged', { actor: 'Lan', note: 'ok' })])).toEqual({ conflicts: [] });
      expect(await rec.get(1)).toMatchObject({ id: 1, rev: 2, state: 'acknowledged', ackBy: 'Lan', runs: [T0] });
      expect(await rec.get(2)).toBeUndefined();
      expect((await rec.history(1)).map((e) => [e.id > 0, e.alarmId, e.rev, e.change, e.actor, e.note, e.snapshot.state])).toEqual([
        [true, 1, 1, 'raised', 'system', null, 'active'],
        [true, 1, 2, 'acknowledged', 'Lan', 'ok', 'acknowledged'],
      ]);
      expect(await t.count('alarms')).toBe(1);
      expect(await rec.loadOpen()).toEqual([expect.objectContaining({ id: 1, rev: 2 })]);
      expect(await rec.maxIds()).toEqual({ alarmId: 1, rev: 2 });
      expect(await rec.write({ alarms: [], audit: [] }, () => undefined)).toEqual({ conflicts: [] });
    });

    it('continues ids and revs after repeats, which move the row only', async () => {
      expect(await rec.maxIds()).toEqual({ alarmId: 0, rev: 0 });
      const a = makeStoredAlarm({ id: 7 });
      await write([change(a)]);
      const repeat = change({ ...a, count: 5, lastSeen: T0 + 9 });
      await write([], { alarms: [repeat.alarm], audit: [] });
      expect(await rec.maxIds()).toEqual({ alarmId: 7, rev: 2 });
      expect(await rec.get(7)).toMatchObject({ count: 5, rev: 2 });
      expect((await rec.history(7)).map((e) => e.rev)).toEqual([1]);
      // Another instance (or a restart) reads the same.
      expect(await (await t.reopen()).maxIds()).toEqual({ alarmId: 7, rev: 2 });
    });

    it('applies a change only where the rev is still the one the writer saw: a second writer from the same rev writes nothing', async () => {
      const a = makeStoredAlarm();
      await write([change(a)]);
      const from = seen.get(1)!;
      const ack = change({ ...a, state: 'acknowledged', ackAt: T0 + 5, ackBy: 'Lan' }, 'acknowledged', { actor: 'Lan' });
      const assign = change({ ...a, state: 'assigned', assignee: 'Minh', assignedAt: T0 + 6 }, 'assigned', { actor: 'Hoa' });
      const other = change(makeStoredAlarm({ id: 2, source: 's2' }));
      expect(await rec.write(decisionsWrite([ack]), () => from)).toEqual({ conflicts: [] });
      // The second writer also raises another alarm in the same write: it is not written either.
      expect(await rec.write(decisionsWrite([other, assign]), (id) => (id === 1 ? from : undefined))).toEqual({ conflicts: [1] });
      expect(await rec.get(1)).toMatchObject({ state: 'acknowledged', ackBy: 'Lan', rev: ack.rev });
      expect(await rec.get(2)).toBeUndefined();
      expect((await rec.history(1)).map((e) => e.change)).toEqual(['raised', 'acknowledged']);
      expect(await t.count('audit')).toBe(2);
      // Raising an id that exists, or updating one that does not, conflicts too; every conflict is named.
      const ghost = change(makeStoredAlarm({ id: 3, source: 's3' }), 'acknowledged');
      const again = change(makeStoredAlarm({ source: 'again' }));
      expect(await rec.write(decisionsWrite([again, ghost]), (id) => (id === 3 ? 99 : undefined))).toEqual({ conflicts: [1, 3] });
      expect(await rec.get(3)).toBeUndefined();
      // With the rev it now holds, the second writer's change applies.
      expect(await rec.write(decisionsWrite([assign]), () => ack.rev)).toEqual({ conflicts: [] });
      expect(await rec.get(1)).toMatchObject({ state: 'assigned', assignee: 'Minh' });
    });

    it('lets exactly one of two concurrent writers from the same rev apply its change', async () => {
      const a = makeStoredAlarm();
      await write([change(a)]);
      const from = seen.get(1)!;
      const ack = change({ ...a, state: 'acknowledged', ackAt: T0 + 5 }, 'acknowledged', { actor: 'Lan' });
      const resolve = change({ ...a, state: 'resolved', resolvedAt: T0 + 5 }, 'resolved', { actor: 'Hoa', note: 'xong' });
      const other = await t.reopen();
      const [x, y] = await Promise.all([rec.write(decisionsWrite([ack]), () => from), other.write(decisionsWrite([resolve]), () => from)]);
      expect([x.conflicts, y.conflicts].sort((p, q) => p.length - q.length)).toEqual([[], [1]]);
      const won = x.conflicts.length === 0 ? ack : resolve;
      expect(await rec.get(1)).toMatchObject({ state: won.alarm.state, rev: won.rev });
      expect((await rec.history(1)).map((e) => e.change)).toEqual(['raised', won.change]);
    });

    it('writes a storm of raises in one write, and takes them all back on one conflict', async () => {
      const many = Array.from({ length: 450 }, (_, i) => change(makeStoredAlarm({ id: i + 1, source: `s${i}` })));
      expect(await write(many)).toEqual({ conflicts: [] });
      expect(await rec.query({ state: 'open' })).toMatchObject({ total: 450 });
      const more = Array.from({ length: 450 }, (_, i) => change(makeStoredAlarm({ id: 1000 + i, source: `t${i}` })));
      // One of them raises an id that exists: none of them is written.
      more[300] = change(makeStoredAlarm({ id: 17, source: 'dup' }));
      expect(await rec.write(decisionsWrite(more), () => undefined)).toEqual({ conflicts: [17] });
      expect(await t.count('alarms')).toBe(450);
      expect(await t.count('audit')).toBe(450);
    });

    it('keeps the audit log append-only', async () => {
      await write([change(makeStoredAlarm())]);
      await expect(t.raw("UPDATE audit SET actor = 'x'")).rejects.toThrow(/append-only/);
      await expect(t.raw('DELETE FROM audit')).rejects.toThrow(/append-only/);
      if (target.name === 'PostgreSQL') await expect(t.raw('TRUNCATE audit')).rejects.toThrow(/append-only/);
      expect(await rec.history(1)).toHaveLength(1);
    });

    it('enforces one open alarm per (rule, source) and rolls the whole write back', async () => {
      await write([change(makeStoredAlarm())]);
      const dup = makeStoredAlarm({ id: 2 });
      await expect(write([change(makeStoredAlarm({ id: 3, source: 'other' })), change(dup)])).rejects.toThrow(/unique/i);
      expect((await rec.query({})).total).toBe(1);
      expect(await t.count('audit')).toBe(1);
      // Once the first is closed, the same key may open again, in the same write.
      await write([change(makeStoredAlarm({ state: 'closed', closedAt: T0 + 1 }), 'closed'), change(dup)]);
      expect((await rec.loadOpen()).map((a) => a.id)).toEqual([2]);
    });

    describe('query', () => {
      async function seed(): Promise<void> {
        const rows: Alarm[] = [];
        for (let i = 1; i <= 30; i++) {
          rows.push(
            makeStoredAlarm({
              id: i,
              source: `s${i}`,
              raisedAt: T0 + i * 1000,
              updatedAt: T0 + i * 1000,
              severity: i % 3 === 0 ? 'critical' : 'warning',
              domain: i % 2 === 0 ? 'hydro' : 'device',
              commune: i <= 10 ? '51001' : i <= 28 ? '51002' : null,
              state: i % 5 === 0 ? 'closed' : i % 5 === 1 ? 'acknowledged' : 'active',
            }),
          );
        }
        await write(rows.map((a) => change(a)));
      }

      it('filters by state, severity, domain, commune and time, newest first, paginated', async () => {
        await seed();
        const ids = async (q: Parameters<AlarmRecords['query']>[0]) => (await rec.query(q)).items.map((a) => a.id);
        expect(await rec.query({ limit: 5 })).toMatchObject({ total: 30 });
        expect(await ids({ limit: 5 })).toEqual([30, 29, 28, 27, 26]);
        expect(await ids({ limit: 5, offset: 5 })).toEqual([25, 24, 23, 22, 21]);
        expect((await rec.query({ state: 'open' })).total).toBe(24);
        expect(await ids({ state: 'closed' })).toEqual([30, 25, 20, 15, 10, 5]);
        expect(await ids({ severity: 'critical', domain: 'hydro' })).toEqual([30, 24, 18, 12, 6]);
        expect(await ids({ commune: '51001', state: 'acknowledged' })).toEqual([6, 1]);
        expect(await ids({ from: T0 + 3000, to: T0 + 6000 })).toEqual([5, 4, 3]);
      });

      it('limits a commune-scoped user to their communes; alarms without a commune are outside every scope', async () => {
        await seed();
        expect(await rec.query({ limit: 3 }, ['51001'])).toMatchObject({ total: 10, items: [{ id: 10 }, { id: 9 }, { id: 8 }] });
        expect((await rec.query({ state: 'closed' }, ['51001', '51002'])).items.map((a) => a.id)).toEqual([25, 20, 15, 10, 5]);
        expect((await rec.query({ commune: '51002' }, ['51001'])).total).toBe(0);
        expect(await rec.query({}, [])).toEqual({ total: 0, items: [] });
        expect((await rec.query({}, null)).total).toBe(30);
      });
    });

    it('answers health: raised per window, the median time to acknowledge, the standing alarms', async () => {
      const a = makeStoredAlarm({ id: 1, source: 'a' });
      const b = makeStoredAlarm({ id: 2, source: 'b', raisedAt: T0 + 10, updatedAt: T0 + 10 });
      const c = makeStoredAlarm({ id: 3, source: 'c', raisedAt: T0 + 20, updatedAt: T0 + 20 });
      await write([change(a), change(b), change(c)]);
      await write([change({ ...a, state: 'acknowledged', ackAt: T0 + 100 }, 'acknowledged'), change({ ...b, state: 'acknowledged', ackAt: T0 + 410 }, 'acknowledged')]);
      expect(await rec.countRaised(T0, T0 + 20)).toBe(2);
      expect(await rec.countRaised(T0 + 21, T0 + 99)).toBe(0);
      expect(await rec.medianAckMs(T0, T0 + 1000)).toEqual({ median: (100 + 400) / 2, count: 2 });
      expect(await rec.medianAckMs(T0 + 1000, T0 + 2000)).toEqual({ median: null, count: 0 });
      const st = await rec.standing(T0 + 10, 1);
      expect({ total: st.total, oldest: st.oldest.map((x) => x.id) }).toEqual({ total: 2, oldest: [1] });
    });

    it('openAt: alarms raised by then and not yet resolved or closed, each as its last decision then, bounded', async () => {
      const at = T0 + 60 * 60_000;
      const a = makeStoredAlarm({ id: 1, source: 'a', raisedAt: T0, updatedAt: T0 });
      const closedBefore = makeStoredAlarm({ id: 2, source: 'b', raisedAt: T0, updatedAt: T0 });
      const raisedAfter = makeStoredAlarm({ id: 3, source: 'c', raisedAt: at + 1, updatedAt: at + 1 });
      const acked = makeStoredAlarm({ id: 4, source: 'd', raisedAt: T0 + 1, updatedAt: T0 + 1 });
      const resolvedAfter = makeStoredAlarm({ id: 5, source: 'e', raisedAt: T0 + 2, updatedAt: T0 + 2 });
      await write([change(a), change(closedBefore), change(acked), change(resolvedAfter)]);
      await write([change({ ...closedBefore, state: 'closed', closedAt: at - 1, updatedAt: at - 1 }, 'closed')]);
      await write([change(raisedAfter)]);
      // Acknowledged after `at`: open then, and shown as it was (active).
      await write([change({ ...acked, state: 'acknowledged', ackAt: at + 5, ackBy: 'op', updatedAt: at + 5 }, 'acknowledged')]);
      await write([change({ ...resolvedAfter, state: 'resolved', resolvedAt: at + 7, updatedAt: at + 7 }, 'resolved')]);
      const r = await rec.openAt(at, 10);
      expect(r.total).toBe(3);
      expect(r.items.map((x) => [x.id, x.state])).toEqual([[5, 'active'], [4, 'active'], [1, 'active']]);
      expect(await rec.openAt(at, 1)).toMatchObject({ total: 3, items: [{ id: 5 }] });
      expect((await rec.openAt(at - 2, 10)).items.map((x) => x.id)).toEqual([5, 4, 2, 1]);
      expect((await rec.openAt(at + 7, 10)).items.map((x) => x.id)).toEqual([3, 4, 1]);
    });
  });
}

describe('AlarmRecords on an alarm file', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'ioc-alarm-records-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('opens a file of the v1 schema, fills ended_at from the records, and AlarmStore reads the result', async () => {
    const file = path.join(dir, 'alarms-quang-ngai.sqlite');
    const old = new Database(file);
    old.exec(MIGRATIONS[0]!);
    old.pragma('user_version = 1');
    const at = T0 + 1000;
    const row = old.prepare(
      `INSERT INTO alarms (id, rule_id, source, kind, domain, commune, severity, severity_rank, state, open, raised_at, updated_at, ack_at, rev, data)
       VALUES (?, 'r', ?, 'single', 'device', '51001', 'warning', 0, ?, ?, ?, ?, NULL, ?, ?)`,
    );
    const put = (a: Alarm) => row.run(a.id, a.source, a.state, a.state === 'active' ? 1 : 0, a.raisedAt, a.updatedAt, a.rev, JSON.stringify(a));
    put(makeStoredAlarm({ id: 1, source: 'a', rev: 1 }));
    put(makeStoredAlarm({ id: 2, source: 'b', rev: 2, state: 'closed', closedAt: at + 5, resolvedAt: null }));
    put(makeStoredAlarm({ id: 3, source: 'c', rev: 3, state: 'resolved', resolvedAt: at - 5 }));
    put(makeStoredAlarm({ id: 4, source: 'd', rev: 4, state: 'closed', resolvedAt: at + 3, closedAt: at + 9 }));
    old.close();

    const db = openSqliteDb(file);
    const rec = await SqlAlarmRecords.open(db);
    expect(await db.get('PRAGMA user_version')).toEqual({ user_version: MIGRATIONS.length });
    expect(await db.all('SELECT id, ended_at FROM alarms ORDER BY id')).toEqual([
      { id: 1, ended_at: null },
      { id: 2, ended_at: at + 5 },
      { id: 3, ended_at: at - 5 },
      { id: 4, ended_at: at + 3 },
    ]);
    expect((await rec.openAt(at, 10)).items.map((a) => a.id)).toEqual([4, 2, 1]);
    expect(await rec.maxIds()).toEqual({ alarmId: 4, rev: 4 });
    await db.close();

    const store = new AlarmStore(file);
    expect(store.openAt(at, 10).items.map((a) => a.id)).toEqual([4, 2, 1]);
    store.close();
  });

  it('refuses a file written by a newer server', async () => {
    const file = path.join(dir, 'new.sqlite');
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    const sql = openSqliteDb(file);
    await expect(SqlAlarmRecords.open(sql)).rejects.toThrow(/newer than this server/);
    await sql.close();
  });
});
