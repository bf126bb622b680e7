import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultRules } from './defaultRules';
import { makeHarness, makeRule, MIN, T0, type Harness } from './testing';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ioc-alarms-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const rules = () => [
  makeRule({ id: 'crit', signal: 'crit', levels: [{ severity: 'critical', at: 10, title: 'Khẩn' }] }),
  ...defaultRules().filter((r) => r.id === 'wastewater-cod' || r.id === 'device-offline'),
];
const ww = { signal: 'wastewater.cod.ratio', source: 'ww-1', domain: 'water' as const, value: 1.2 };
const off = (i: number) => ({ signal: 'device.offline', source: `d${i}`, domain: 'device' as const, value: 1 });

describe('restart persistence', () => {
  it('a new engine on the same file has the same open alarms, audit and timers', () => {
    const file = path.join(dir, 'alarms.db');
    const a = makeHarness(rules(), { path: file, storm: { threshold: 2 } });
    expect(a.store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    for (let m = 0; m <= 20; m += 5) a.at(T0 + m * MIN, ww); // warning raised at +15
    a.at(T0 + 16 * MIN, { signal: 'crit', source: 'c-1', value: 11 }); // critical, unacknowledged
    for (let i = 0; i < 5; i++) a.at(T0 + 17 * MIN + i, off(i)); // 2 singles + a group of 3
    a.at(T0 + 18 * MIN, { ...off(3), value: 0 }); // one member back before the restart
    const acked = a.engine.snapshot().alarms.find((x) => x.source === 'd0')!;
    a.engine.acknowledge(acked.id, 'Lan', 'đã biết');
    a.tick(T0 + 20 * MIN);
    const before = a.engine.snapshot();
    const audit = before.alarms.map((x) => a.store.history(x.id));
    expect(before.alarms.map((x) => [x.kind, x.source, x.state])).toEqual([
      ['single', 'ww-1', 'active'],
      ['single', 'c-1', 'active'],
      ['single', 'd0', 'acknowledged'],
      ['single', 'd1', 'active'],
      ['group', 'group:51001', 'active'],
    ]);
    a.store.close();

    // Restart at T0 + 20 min.
    const b: Harness = makeHarness(rules(), { path: file, storm: { threshold: 2 }, startAt: T0 + 20 * MIN });
    const after = b.engine.snapshot();
    expect(after).toEqual(before);
    expect(after.alarms.map((x) => b.store.history(x.id))).toEqual(audit);

    // Escalation resumes: raised 4 min before the restart, escalates 1 min after it.
    b.tick(T0 + 21 * MIN - 1);
    expect(b.changes).toEqual([]);
    b.tick(T0 + 21 * MIN);
    expect(b.changes.map((c) => [c.change, c.alarm.source, c.alarm.escalationLevel, c.rev])).toEqual([
      ['escalated', 'c-1', 1, before.rev + 1],
    ]);

    // The 60-minute step counts from the exceedance's start before the restart, not from the restart.
    for (let m = 25; m <= 60; m += 5) b.at(T0 + m * MIN, ww);
    const step = b.changes.find((c) => c.previousSeverity);
    expect(step).toMatchObject({ at: T0 + 60 * MIN, alarm: { source: 'ww-1', severity: 'critical' } });

    // Dedupe across the restart: a repeat is the same alarm, a known group member is not a new member.
    b.at(T0 + 61 * MIN, { signal: 'crit', source: 'c-1', value: 12 });
    b.at(T0 + 61 * MIN + 1, off(2));
    b.tick(T0 + 62 * MIN);
    const open = b.engine.snapshot().alarms;
    expect(open).toHaveLength(5);
    expect(open.find((x) => x.source === 'c-1')!.count).toBe(2);
    const group = open.find((x) => x.kind === 'group')!;
    expect(group.members).toEqual({ total: 3, active: 2, sources: ['d2', 'd4'] });
    // The member that came back before the restart is not counted back twice; a listed one is.
    b.at(T0 + 62 * MIN, { ...off(3), value: 0 });
    b.at(T0 + 62 * MIN + 1, { ...off(4), value: 0 });
    expect(b.engine.get(group.id)!.members).toEqual({ total: 3, active: 1, sources: ['d2'] });
    expect(b.changes.some((c) => c.change === 'raised')).toBe(false);

    // Ids continue after the restart as well as revs.
    b.at(T0 + 63 * MIN, { signal: 'crit', source: 'c-2', value: 11 });
    expect(b.changes.at(-1)!.alarm.id).toBe(Math.max(...before.alarms.map((x) => x.id)) + 1);
    b.store.close();
  });

  it('revs continue after a restart whose last changes were repeats (on the alarm row, not in the audit)', () => {
    const file = path.join(dir, 'alarms.db');
    const a = makeHarness([makeRule()], { path: file });
    a.at(T0, { value: 11 });
    for (let m = 1; m <= 5; m++) {
      a.at(T0 + m * MIN, { value: 12 });
      a.tick(T0 + m * MIN + 1);
    }
    const last = a.changes.at(-1)!;
    expect(last).toMatchObject({ change: 'updated', rev: 6 });
    expect(a.store.history(last.alarm.id).map((e) => e.rev)).toEqual([1]);
    a.store.close();

    const b = makeHarness([makeRule()], { path: file, startAt: T0 + 10 * MIN });
    expect(b.engine.stats().rev).toBe(6);
    b.at(T0 + 10 * MIN, { value: 1 });
    expect(b.changes.map((c) => [c.change, c.rev])).toEqual([['cleared', 7]]);
    b.store.close();
  });
});
