import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeAlarm } from '../alarms/alarm';
import { decisionsWrite } from '../alarms/storePort';
import type { Alarm, AlarmChange } from '../../shared/alarms';
import { alarmQuerySchema, AlarmStore } from './alarmStore';
import { MIGRATIONS } from './migrations';

const T0 = Date.UTC(2026, 9, 1);
let dir: string;
let rev: number;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ioc-store-'));
  rev = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

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
const write = (s: AlarmStore, cs: readonly AlarmChange[]): void => s.write(decisionsWrite(cs));
const change = (alarm: Alarm, c: AlarmChange['change'] = 'raised', extra: Partial<AlarmChange> = {}): AlarmChange => {
  rev++;
  return { rev, change: c, alarm: { ...alarm, rev }, actor: 'system', at: alarm.updatedAt, ...extra };
};

describe('AlarmStore', () => {
  it('opens a file in WAL mode with synchronous NORMAL at the latest schema version, idempotently', () => {
    const file = path.join(dir, 'a.db');
    const s = new AlarmStore(file);
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(s.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    write(s, [change(makeStoredAlarm())]);
    s.close();
    const again = new AlarmStore(file);
    expect(again.loadOpen()).toHaveLength(1);
    again.close();
  });

  it('refuses a database written by a newer server', () => {
    const file = path.join(dir, 'new.db');
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    expect(() => new AlarmStore(file)).toThrow(/newer than this server/);
  });

  it('keeps the audit log append-only', () => {
    const s = new AlarmStore(':memory:');
    write(s, [change(makeStoredAlarm())]);
    expect(() => s.db.prepare('UPDATE audit SET actor = ?').run('x')).toThrow(/append-only/);
    expect(() => s.db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    expect(s.history(1)).toHaveLength(1);
  });

  it('enforces one open alarm per (rule, source) and rolls the whole batch back', () => {
    const s = new AlarmStore(':memory:');
    write(s, [change(makeStoredAlarm())]);
    const dup = makeStoredAlarm({ id: 2 });
    expect(() => write(s, [change(makeStoredAlarm({ id: 3, source: 'other' })), change(dup)])).toThrow(/UNIQUE/);
    expect(s.query({}).total).toBe(1);
    expect(s.db.prepare('SELECT COUNT(*) AS n FROM audit').get()).toEqual({ n: 1 });
    // Once the first is closed, the same key may open again.
    write(s, [change(makeStoredAlarm({ state: 'closed' }), 'closed'), change(dup)]);
    expect(s.loadOpen().map((a) => a.id)).toEqual([2]);
  });

  it('writes the row once per batch but an audit row per change, with history in rev order', () => {
    const s = new AlarmStore(':memory:');
    const a = makeStoredAlarm();
    write(s, [
      change(a),
      change({ ...a, state: 'acknowledged', ackAt: T0 + 5, ackBy: 'Lan' }, 'acknowledged', { actor: 'Lan', note: 'ok' }),
    ]);
    expect(s.get(1)).toMatchObject({ state: 'acknowledged', ackBy: 'Lan' });
    expect(s.history(1).map((e) => [e.change, e.actor, e.note, e.snapshot.state])).toEqual([
      ['raised', 'system', null, 'active'],
      ['acknowledged', 'Lan', 'ok', 'acknowledged'],
    ]);
    expect(s.maxIds()).toEqual({ alarmId: 1, rev });
  });

  describe('query', () => {
    function seeded(): AlarmStore {
      const s = new AlarmStore(':memory:');
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
            commune: i <= 10 ? '51001' : '51002',
            state: i % 5 === 0 ? 'closed' : i % 5 === 1 ? 'acknowledged' : 'active',
          }),
        );
      }
      write(s, rows.map((a) => change(a)));
      return s;
    }

    it('filters by state, severity, domain, commune and time, newest first, paginated', () => {
      const s = seeded();
      const ids = (q: Parameters<AlarmStore['query']>[0]) => s.query(q).items.map((a) => a.id);
      expect(s.query({ limit: 5 })).toMatchObject({ total: 30 });
      expect(ids({ limit: 5 })).toEqual([30, 29, 28, 27, 26]);
      expect(ids({ limit: 5, offset: 5 })).toEqual([25, 24, 23, 22, 21]);
      expect(s.query({ state: 'open' }).total).toBe(24);
      expect(ids({ state: 'closed' })).toEqual([30, 25, 20, 15, 10, 5]);
      expect(ids({ severity: 'critical', domain: 'hydro' })).toEqual([30, 24, 18, 12, 6]);
      expect(ids({ commune: '51001', state: 'acknowledged' })).toEqual([6, 1]);
      expect(ids({ from: T0 + 3000, to: T0 + 6000 })).toEqual([5, 4, 3]);
    });

    it('uses an index for each filter', () => {
      const s = seeded();
      const plan = (where: string) =>
        (s.db.prepare(`EXPLAIN QUERY PLAN SELECT data FROM alarms WHERE ${where} ORDER BY raised_at DESC`).all() as { detail: string }[])
          .map((r) => r.detail)
          .join(' | ');
      expect(plan("commune = '51001'")).toMatch(/alarms_commune/);
      expect(plan("severity = 'critical'")).toMatch(/alarms_severity/);
      expect(plan("domain = 'hydro'")).toMatch(/alarms_domain/);
      expect(plan("state = 'active'")).toMatch(/alarms_state/);
      expect(plan('open = 1')).toMatch(/alarms_open/);
    });

    it('validates the HTTP query with coercion and bounds', () => {
      expect(alarmQuerySchema.safeParse({ limit: '20', offset: '40', state: 'open' }).data).toEqual({ limit: 20, offset: 40, state: 'open' });
      expect(alarmQuerySchema.safeParse({ limit: '5000' }).success).toBe(false);
      expect(alarmQuerySchema.safeParse({ severity: 'loud' }).success).toBe(false);
    });
  });

  it('openAt: alarms raised by then and not yet resolved or closed, each as its last decision then, bounded', () => {
    const s = new AlarmStore(':memory:');
    const at = T0 + 60 * 60_000;
    const a = makeStoredAlarm({ id: 1, source: 'a', raisedAt: T0, updatedAt: T0 });
    const closedBefore = makeStoredAlarm({ id: 2, source: 'b', raisedAt: T0, updatedAt: T0 });
    const raisedAfter = makeStoredAlarm({ id: 3, source: 'c', raisedAt: at + 1, updatedAt: at + 1 });
    const acked = makeStoredAlarm({ id: 4, source: 'd', raisedAt: T0 + 1, updatedAt: T0 + 1 });
    write(s, [change(a), change(closedBefore), change(acked)]);
    write(s, [change({ ...closedBefore, state: 'closed', closedAt: at - 1, updatedAt: at - 1 }, 'closed')]);
    write(s, [change(raisedAfter)]);
    // Acknowledged after `at`: open then, and shown as it was (active).
    write(s, [change({ ...acked, state: 'acknowledged', ackAt: at + 5, ackBy: 'op', updatedAt: at + 5 }, 'acknowledged')]);
    const r = s.openAt(at, 10);
    expect(r.total).toBe(2);
    expect(r.items.map((x) => x.id)).toEqual([4, 1]);
    expect(r.items[0]!.state).toBe('active');
    expect(s.openAt(at, 1)).toMatchObject({ total: 2, items: [{ id: 4 }] });
    expect(s.openAt(at - 2, 10).items.map((x) => x.id)).toEqual([4, 2, 1]);
    s.close();
  });
});
