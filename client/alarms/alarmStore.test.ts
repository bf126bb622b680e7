import { describe, expect, it } from 'vitest';
import type { ViewDelta, ViewSnapshot } from '../../shared/events';
import { worstAnnouncement, type Announcement } from './alarmStore';
import { feedAlarmFrame } from './feed';
import { makeAlarm, makeChange, manualStore, withTotals } from './testing';

describe('AlarmStore', () => {
  it('applies a snapshot, then changes in rev order, and sorts the most urgent first', () => {
    const { store, flush } = manualStore();
    store.applySnapshot(withTotals({ rev: 10, open: [makeAlarm({ id: 1, rev: 5, severity: 'warning', title: 'Thiết bị mất kết nối' })], openTotal: 1 }));
    expect(
      store.applyDelta({
        changes: [makeChange(11, 'raised', { id: 2, severity: 'critical' }), makeChange(12, 'acknowledged', { id: 1, severity: 'warning', state: 'acknowledged' })],
        totals: { open: 2, bySeverity: { critical: 1, major: 0, warning: 1 }, unacknowledged: 1, escalated: 0 },
      }),
    ).toBe('applied');
    flush();
    expect(store.rev).toBe(12);
    expect(store.list().map((a) => [a.id, a.state])).toEqual([
      [2, 'active'],
      [1, 'acknowledged'],
    ]);
    expect(store.countsBySeverity()).toEqual({ critical: 1, major: 0, warning: 1 });
    expect(store.openTotal).toBe(2);
  });

  it('in a storm beyond the snapshot cap, counts are the server totals, not a count of the held list', () => {
    const { store, flush } = manualStore();
    // 1,225 open on the server; the snapshot lists the 500 most urgent (all unacknowledged warnings here).
    const open = Array.from({ length: 500 }, (_, k) => makeAlarm({ id: k + 1, rev: k + 1, severity: 'warning' }));
    const totals = { open: 1225, bySeverity: { critical: 9, major: 18, warning: 1198 }, unacknowledged: 1224, escalated: 3 };
    store.applySnapshot({ rev: 500, open, openTotal: 1225, totals });
    flush();
    expect(store.list()).toHaveLength(500);
    expect(store.countsBySeverity()).toEqual({ critical: 9, major: 18, warning: 1198 });
    expect(store.unacknowledged).toBe(1224);
    expect(store.escalated).toBe(3);
    expect(store.openTotal).toBe(1225);
    // One acknowledged: the delta's totals are the truth, whatever the held list says.
    const next = { ...totals, unacknowledged: 1223 };
    store.applyDelta({ changes: [makeChange(501, 'acknowledged', { id: 1, severity: 'warning', state: 'acknowledged' })], totals: next });
    flush();
    expect(store.unacknowledged).toBe(1223);
    // A delta without totals (nothing counted changed) keeps them.
    store.applyDelta({ changes: [makeChange(502, 'updated', { id: 2, severity: 'warning', count: 5 })] });
    flush();
    expect(store.countsBySeverity()).toEqual({ critical: 9, major: 18, warning: 1198 });
    expect(store.unacknowledged).toBe(1223);
  });

  it('with a calm interval, tells routine changes at most once per interval and a critical raise on the next frame', () => {
    let now = 0;
    const timers: { at: number; cb: () => void }[] = [];
    const { store, flush } = manualStore({ calmMs: 1000, now: () => now, later: (cb, ms) => timers.push({ at: now + ms, cb }) });
    const runTimers = () => {
      for (const t of timers.splice(0)) {
        if (t.at <= now) t.cb();
        else timers.push(t);
      }
    };
    let told = 0;
    store.subscribe(() => told++);
    store.applySnapshot(withTotals({ rev: 10, open: [makeAlarm({ id: 1, rev: 10, severity: 'warning', kind: 'group', members: { total: 40, active: 40, sources: [] } })], openTotal: 1 }));
    expect(flush()).toBe(1);
    expect(told).toBe(1);
    // A storm: the group counts every tick (250 ms). Nothing is told until a second has passed since the snapshot.
    let rev = 10;
    const tick = () => {
      now += 250;
      store.applyDelta({ changes: [{ rev: ++rev, change: 'grouped', id: 1, at: now, set: { members: { active: 40 - (rev - 10) } } }] });
      runTimers();
      flush();
    };
    tick();
    tick();
    tick();
    expect(told).toBe(1);
    tick();
    expect(told).toBe(2);
    // The listener sees the newest count, all four moves in one render.
    expect(store.get(1)!.members!.active).toBe(36);
    for (let k = 0; k < 8; k++) tick();
    expect(told).toBe(4);
    // A critical raise is on the next frame, whatever the interval says.
    now += 10;
    store.applyDelta({ changes: [makeChange(++rev, 'raised', { id: 2, severity: 'critical' })] });
    expect(flush()).toBe(1);
    expect(told).toBe(5);
    expect(store.list()[0]!.id).toBe(2);
    // A warning raise waits for the interval; when no delta follows, its timer tells once, half an interval
    // late (a delta after the interval would have told it on its own frame).
    now += 10;
    store.applyDelta({ changes: [makeChange(++rev, 'raised', { id: 3, severity: 'warning' })] });
    expect(flush()).toBe(0);
    now += 1000;
    runTimers();
    expect(flush()).toBe(0);
    now += 500;
    runTimers();
    expect(flush()).toBe(1);
    expect(told).toBe(6);
    expect(timers).toHaveLength(0);
    // A timer set before a flush tells nobody: here a delta after the interval told first.
    now += 10;
    store.applyDelta({ changes: [makeChange(++rev, 'updated', { id: 3, severity: 'warning', count: 2 })] });
    expect(flush()).toBe(0);
    now += 1000;
    store.applyDelta({ changes: [makeChange(++rev, 'updated', { id: 3, severity: 'warning', count: 3 })] });
    expect(flush()).toBe(1);
    expect(told).toBe(7);
    // The old timer comes due 500 ms after that flush, with a newer change held: still too soon to tell it.
    now += 100;
    store.applyDelta({ changes: [makeChange(++rev, 'updated', { id: 3, severity: 'warning', count: 4 })] });
    now += 400;
    runTimers();
    expect(flush()).toBe(0);
    expect(told).toBe(7);
  });

  it('keeps an unseen critical alarm that has cleared above warnings still happening', () => {
    const { store } = manualStore();
    store.applySnapshot(withTotals({
      rev: 9,
      open: [
        makeAlarm({ id: 1, rev: 1, severity: 'warning', state: 'active', raisedAt: 3 }),
        makeAlarm({ id: 2, rev: 2, severity: 'critical', state: 'cleared', raisedAt: 1 }),
        makeAlarm({ id: 3, rev: 3, severity: 'critical', state: 'acknowledged', raisedAt: 2 }),
        makeAlarm({ id: 4, rev: 4, severity: 'critical', state: 'active', raisedAt: 0 }),
      ],
      openTotal: 4,
    }));
    expect(store.list().map((a) => a.id)).toEqual([4, 2, 1, 3]);
  });

  it('ignores changes at or below the rev it holds, and a change older than the alarm it holds', () => {
    const { store } = manualStore();
    store.applySnapshot(withTotals({ rev: 20, open: [makeAlarm({ id: 1, rev: 20, state: 'acknowledged' })], openTotal: 1 }));
    // Already in the snapshot: the delta after it repeats it.
    store.applyDelta({ changes: [makeChange(19, 'raised', { id: 1, state: 'active' }), makeChange(20, 'acknowledged', { id: 1, state: 'acknowledged' })] });
    expect(store.get(1)?.state).toBe('acknowledged');
    expect(store.rev).toBe(20);
    // An action's answer (rev 22) arrives before the delta that carries rev 21 and 22.
    store.upsert(makeAlarm({ id: 1, rev: 22, state: 'assigned', assignee: 'Bình' }));
    store.applyDelta({ changes: [makeChange(21, 'updated', { id: 1, state: 'acknowledged' }), makeChange(22, 'assigned', { id: 1, state: 'assigned', assignee: 'Bình' })] });
    expect(store.get(1)).toMatchObject({ rev: 22, state: 'assigned', assignee: 'Bình' });
    expect(store.rev).toBe(22);
  });

  it('removes resolved and closed alarms, and a late change cannot bring one back', () => {
    const { store } = manualStore();
    store.applySnapshot(withTotals({ rev: 1, open: [makeAlarm({ id: 1, rev: 1 }), makeAlarm({ id: 2, rev: 1 })], openTotal: 2 }));
    store.upsert(makeAlarm({ id: 1, rev: 5, state: 'resolved', note: 'xong' }));
    store.applyDelta({ changes: [makeChange(4, 'acknowledged', { id: 1, state: 'acknowledged' }), makeChange(5, 'resolved', { id: 1, state: 'resolved' }), makeChange(6, 'closed', { id: 2, state: 'closed' })] });
    expect(store.list()).toEqual([]);
    expect(store.openTotal).toBe(0);
  });

  it('one alarm per id: repeats and duplicates in one delta leave one row', () => {
    const { store } = manualStore();
    store.applySnapshot(withTotals({ rev: 0, open: [], openTotal: 0 }));
    store.applyDelta({
      changes: [
        makeChange(1, 'raised', { id: 7, count: 1 }),
        makeChange(2, 'updated', { id: 7, count: 2 }),
        makeChange(3, 'updated', { id: 7, count: 3 }),
      ],
    });
    store.applyDelta({ changes: [makeChange(3, 'updated', { id: 7, count: 3 })] });
    expect(store.list()).toHaveLength(1);
    expect(store.get(7)?.count).toBe(3);
  });

  it('on resync asks to resubscribe and ignores deltas until the next snapshot', () => {
    const { store } = manualStore();
    store.applySnapshot(withTotals({ rev: 1, open: [], openTotal: 0 }));
    expect(store.applyDelta({ changes: [makeChange(2, 'raised', { id: 1 })], resync: true })).toBe('resync');
    expect(store.applyDelta({ changes: [makeChange(9, 'raised', { id: 2 })] })).toBe('dropped');
    expect(store.get(2)).toBeUndefined();
    store.applySnapshot(withTotals({ rev: 20, open: [makeAlarm({ id: 1, rev: 2 }), makeAlarm({ id: 2, rev: 9 }), makeAlarm({ id: 3, rev: 15 })], openTotal: 3 }));
    expect(store.list().map((a) => a.id).sort()).toEqual([1, 2, 3]);
    expect(store.applyDelta({ changes: [makeChange(21, 'closed', { id: 3, state: 'closed' })] })).toBe('applied');
    expect(store.openTotal).toBe(2);
  });

  it('is bounded: past its cap it keeps the most urgent and counts the rest', () => {
    const { store } = manualStore({ maxOpen: 3 });
    store.applySnapshot(withTotals({ rev: 0, open: [], openTotal: 0 }));
    const changes = Array.from({ length: 10 }, (_, k) =>
      makeChange(k + 1, 'raised', { id: k + 1, severity: k === 6 ? 'critical' : 'warning', raisedAt: 1000 + k }),
    );
    store.applyDelta({ changes });
    expect(store.list()).toHaveLength(3);
    expect(store.list()[0]!.id).toBe(7);
    expect(store.openTotal).toBe(10);
    // A change to an alarm beyond the cap is one of the counted ones, not a new one.
    store.applyDelta({ changes: [makeChange(11, 'closed', { id: 1, state: 'closed', severity: 'warning' })] });
    expect(store.openTotal).toBe(9);
    // A snapshot beyond the cap: held plus counted is the server's total.
    store.applySnapshot(withTotals({ rev: 50, open: Array.from({ length: 5 }, (_, k) => makeAlarm({ id: 100 + k, rev: 50 })), openTotal: 800 }));
    expect(store.list()).toHaveLength(3);
    expect(store.openTotal).toBe(800);
  });

  it('stays bounded when one delta raises past the cap and then closes one of those it cannot hold', () => {
    const { store } = manualStore({ maxOpen: 3 });
    store.applySnapshot(withTotals({ rev: 0, open: [], openTotal: 0 }));
    const raises = Array.from({ length: 10 }, (_, k) => makeChange(k + 1, 'raised', { id: k + 1, severity: 'warning', raisedAt: 1000 + k }));
    store.applyDelta({ changes: [...raises, makeChange(11, 'closed', { id: 1, state: 'closed', severity: 'warning' })] });
    expect(store.list()).toHaveLength(3);
    expect(store.openTotal).toBe(9);
    expect(store.list().some((a) => a.id === 1)).toBe(false);
  });

  it('notifies at most once per frame however many frames arrive', () => {
    const { store, flush } = manualStore();
    let calls = 0;
    store.subscribe(() => calls++);
    store.applySnapshot(withTotals({ rev: 0, open: [], openTotal: 0 }));
    for (let k = 1; k <= 20; k++) store.applyDelta({ changes: [makeChange(k, 'raised', { id: k })] });
    expect(flush()).toBe(1);
    expect(calls).toBe(1);
    expect(store.version).toBe(1);
    // Nothing new: no frame scheduled.
    store.applyDelta({ changes: [makeChange(5, 'updated', { id: 5 })] });
    expect(flush()).toBe(0);
  });

  it('announces a raise and each step up once, never the first snapshot, and a raise missed during a resync', () => {
    const { store, flush } = manualStore();
    const seen: Announcement[] = [];
    store.onAnnounce((b) => seen.push(...b));
    store.applySnapshot(withTotals({ rev: 1, open: [makeAlarm({ id: 1, rev: 1, severity: 'critical' })], openTotal: 1 }));
    store.applyDelta({ changes: [makeChange(2, 'raised', { id: 2, severity: 'warning', title: 'Mực nước vượt BĐ I' })] });
    store.applyDelta({
      changes: [
        makeChange(3, 'updated', { id: 2, severity: 'major', title: 'Mực nước vượt BĐ II' }, { previousSeverity: 'warning' }),
        makeChange(4, 'updated', { id: 2, severity: 'major', count: 3 }),
      ],
    });
    flush();
    expect(seen.map((x) => [x.kind, x.alarm.id, x.alarm.severity])).toEqual([
      ['raised', 2, 'warning'],
      ['stepUp', 2, 'major'],
    ]);
    // Reconnect: the snapshot has the step to critical (whose change we never saw) and a new alarm.
    store.applySnapshot(withTotals({
      rev: 10,
      open: [makeAlarm({ id: 1, rev: 1 }), makeAlarm({ id: 2, rev: 8, severity: 'critical' }), makeAlarm({ id: 3, rev: 9, severity: 'critical' })],
      openTotal: 3,
    }));
    // And the same again: nothing more to announce.
    store.applySnapshot(withTotals({ rev: 10, open: [makeAlarm({ id: 2, rev: 8, severity: 'critical' }), makeAlarm({ id: 3, rev: 9, severity: 'critical' })], openTotal: 2 }));
    flush();
    expect(seen.slice(2).map((x) => [x.kind, x.alarm.id])).toEqual([
      ['stepUp', 2],
      ['raised', 3],
    ]);
    expect(worstAnnouncement(seen)?.alarm.id).toBe(3);
  });

  it('the past (the time machine) is shown quietly, and live again announces only what was raised meanwhile', () => {
    const { store, flush } = manualStore();
    const seen: Announcement[] = [];
    store.onAnnounce((b) => seen.push(...b));
    store.applySnapshot(withTotals({ rev: 5, open: [makeAlarm({ id: 1, rev: 5, severity: 'warning' })], openTotal: 1 }));
    // Alarms open yesterday, one of them critical: shown, no cue.
    store.applySnapshot(withTotals({ rev: 3, open: [makeAlarm({ id: 7, rev: 2, severity: 'critical' }), makeAlarm({ id: 8, rev: 3, severity: 'major' })], openTotal: 2 }), { quiet: true });
    flush();
    expect(store.list().map((a) => a.id)).toEqual([7, 8]);
    expect(seen).toEqual([]);
    // Back to live: 1 was known before, 8 was seen in the past, 9 was raised while the wall looked back.
    store.applySnapshot(withTotals({
      rev: 12,
      open: [makeAlarm({ id: 1, rev: 5, severity: 'warning' }), makeAlarm({ id: 8, rev: 3, severity: 'major' }), makeAlarm({ id: 9, rev: 11, severity: 'major' })],
      openTotal: 3,
    }));
    flush();
    expect(seen.map((x) => [x.kind, x.alarm.id])).toEqual([['raised', 9]]);
  });

  it('the phone: its list replaces what is held, and an action answer wins over an older frame', () => {
    const { store } = manualStore();
    const summary = (top: ReturnType<typeof makeAlarm>[]) => ({
      top,
      totals: { open: 40, unacknowledged: 30, escalated: 1, bySeverity: { critical: 1, major: 2, warning: 37 } },
    });
    store.applyMobile(summary([makeAlarm({ id: 1, rev: 3 }), makeAlarm({ id: 2, rev: 4, severity: 'warning' })]));
    expect(store.openTotal).toBe(40);
    expect(store.countsBySeverity()).toEqual({ critical: 1, major: 2, warning: 37 });
    store.upsert(makeAlarm({ id: 1, rev: 9, state: 'acknowledged', ackBy: 'An' }));
    // A frame built before the acknowledgement.
    store.applyMobile(summary([makeAlarm({ id: 1, rev: 3 }), makeAlarm({ id: 2, rev: 4, severity: 'warning' })]));
    expect(store.get(1)?.state).toBe('acknowledged');
    store.applyMobile(summary([makeAlarm({ id: 1, rev: 12, state: 'acknowledged', escalationLevel: 0 })]));
    expect(store.get(1)?.rev).toBe(12);
    expect(store.get(2)).toBeUndefined();
  });

  it('applies a repeat (the fields that moved) to the alarm it holds, once, without an announcement', () => {
    const { store, flush } = manualStore();
    const members = { total: 40, active: 37, sources: ['l1', 'l2'] };
    const group = makeAlarm({ id: 3, rev: 5, kind: 'group', severity: 'warning', title: 'Đèn đường mất kết nối', count: 40, members });
    store.applySnapshot(withTotals({ rev: 5, open: [group], openTotal: 2 }));
    flush();
    const announced: Announcement[] = [];
    store.onAnnounce((b) => announced.push(...b));
    const repeat = { rev: 6, change: 'grouped' as const, id: 3, at: 1000, set: { count: 44, members: { active: 35 } } };
    // Another alarm's repeat, one this store does not hold (beyond the cap): nothing to apply it to.
    const unheld = { rev: 7, change: 'updated' as const, id: 99, at: 1000, set: { count: 2 } };
    expect(store.applyDelta({ changes: [repeat, unheld] })).toBe('applied');
    flush();
    expect(store.get(3)).toMatchObject({ rev: 6, updatedAt: 1000, count: 44, state: 'active', title: 'Đèn đường mất kết nối', members: { total: 40, active: 35, sources: ['l1', 'l2'] } });
    expect(store.get(3)).not.toBe(group);
    expect(store.get(99)).toBeUndefined();
    expect(store.openTotal).toBe(2);
    // The same repeat again (or an older one) changes nothing.
    store.applyDelta({ changes: [{ ...repeat, rev: 6, set: { count: 1 } }] });
    expect(store.get(3)?.count).toBe(44);
    expect(announced).toEqual([]);
  });

  it("applies a paced repeat by its alarm's own rev, even after newer changes of other alarms", () => {
    const { store, flush } = manualStore();
    const group = makeAlarm({ id: 3, rev: 5, kind: 'group', severity: 'warning', count: 40, members: { total: 40, active: 37, sources: [] } });
    store.applySnapshot(withTotals({ rev: 5, open: [group], openTotal: 1 }));
    flush();
    // Another alarm raised at rev 9 in one delta; the group's repeat of rev 7 (held for its slot) in the next.
    store.applyDelta({ changes: [makeChange(9, 'raised', { id: 8 })] });
    store.applyDelta({ changes: [{ rev: 7, change: 'cleared', id: 3, at: 2000, set: { state: 'cleared', conditionActive: false, clearedAt: 2000, members: { active: 0 } } }] });
    flush();
    expect(store.get(3)).toMatchObject({ rev: 7, state: 'cleared', conditionActive: false, clearedAt: 2000, members: { active: 0 } });
    // A whole change at or below the newest rev seen is still one already applied.
    store.applyDelta({ changes: [makeChange(9, 'acknowledged', { id: 8, state: 'acknowledged' })] });
    expect(store.get(8)?.state).toBe('active');
  });

  it('feedAlarmFrame routes each view frame to the right part of the store', () => {
    const { store } = manualStore();
    const base = { seq: 1, at: 0, registryVersion: 'r', counts: {} as never, ingest: {} as never, mqtt: { connected: true } };
    const health = { at: 0, perHour: [], raisedTotal: 4, medianAckMs: 60_000, acknowledged24h: 2, standing: { shiftMs: 1, total: 0, oldest: [] } };
    const snap: ViewSnapshot = { ...base, view: 'console', alarms: withTotals({ rev: 3, open: [makeAlarm({ id: 4, rev: 3 })], openTotal: 1 }), health };
    expect(feedAlarmFrame(store, snap)).toBe('ok');
    expect(store.health?.raisedTotal).toBe(4);
    const delta: ViewDelta = { ...base, seq: 2, view: 'console', alarms: { changes: [makeChange(4, 'resolved', { id: 4, state: 'resolved' })], resync: true } };
    expect(feedAlarmFrame(store, delta)).toBe('resync');
    expect(store.list()).toEqual([]);
  });
});
