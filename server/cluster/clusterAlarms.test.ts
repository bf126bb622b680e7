import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alarm } from '../../shared/alarms';
import { ERROR_CODES } from '../../shared/protocol';
import { AlarmService } from '../alarms/service';
import type { AlarmWrite } from '../alarms/storePort';
import { makeRule, makeSignal, MIN, T0 } from '../alarms/testing';
import type { BusHandler, BusResponder, InstanceBus } from './bus';
import { startClusterAlarms, type AlarmRecordsForCluster, type ClusterAlarms } from './clusterAlarms';
import type { Leadership } from './leader';

const log = pino({ level: 'silent' });

/** The shared database, as far as alarms go: rows with a version, written conditionally. */
class MemoryRecords implements AlarmRecordsForCluster {
  readonly rows = new Map<number, Alarm>();
  audit = 0;
  async loadOpen() {
    return [...this.rows.values()].filter((a) => a.state !== 'resolved' && a.state !== 'closed').map((a) => structuredClone(a));
  }
  async maxIds() {
    let alarmId = 0;
    let rev = 0;
    for (const a of this.rows.values()) {
      alarmId = Math.max(alarmId, a.id);
      rev = Math.max(rev, a.rev);
    }
    return { alarmId, rev };
  }
  async write(w: AlarmWrite, prevRev: (id: number) => number | undefined) {
    const conflicts = w.alarms.filter((a) => this.rows.get(a.id)?.rev !== prevRev(a.id)).map((a) => a.id);
    if (conflicts.length > 0) return { conflicts };
    for (const a of w.alarms) this.rows.set(a.id, structuredClone(a));
    this.audit += w.audit.length;
    return { conflicts: [] };
  }
}

/** Instances in one process: what one publishes, the others get (asynchronously, as over Redis). */
function memoryNet() {
  const members = new Map<string, { handlers: Map<string, Set<BusHandler>>; responders: Map<string, BusResponder> }>();
  const bus = (instance: string): InstanceBus => {
    const me = { handlers: new Map<string, Set<BusHandler>>(), responders: new Map<string, BusResponder>() };
    members.set(instance, me);
    const others = () => [...members.entries()].filter(([k]) => k !== instance).map(([, m]) => m);
    return {
      instance,
      publish: (ch, p) => {
        const copy = structuredClone(p);
        setTimeout(() => others().forEach((m) => m.handlers.get(ch)?.forEach((h) => h(copy, instance))), 1);
      },
      subscribe: (ch, h) => {
        if (!me.handlers.has(ch)) me.handlers.set(ch, new Set());
        me.handlers.get(ch)!.add(h);
        return () => me.handlers.get(ch)!.delete(h);
      },
      request: async (ch, p) => {
        for (const m of others()) {
          const a = await m.responders.get(ch)?.(structuredClone(p), instance);
          if (a !== undefined) return structuredClone(a);
        }
        return undefined;
      },
      respond: (ch, r) => {
        me.responders.set(ch, r);
        return () => me.responders.delete(ch);
      },
      state: () => ({ via: 'redis', connected: true, error: null, sent: 0, received: 0, dropped: 0 }),
    };
  };
  return { bus, leave: (instance: string) => members.delete(instance) };
}

function lock(initial: boolean) {
  let leader = initial;
  const fns = new Set<(v: boolean) => void>();
  const l: Leadership & { set(v: boolean): void } = {
    isLeader: () => leader,
    onChange: (fn) => (fns.add(fn), () => fns.delete(fn)),
    state: () => ({ leader, via: 'postgresql', checkedAt: null, error: null }),
    close: async () => undefined,
    set: (v) => {
      leader = v;
      fns.forEach((f) => f(v));
    },
  };
  return l;
}

const closables: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of closables.splice(0).reverse()) await c.close();
});

const rules = [makeRule({ levels: [{ severity: 'critical', at: 1, title: 'Vượt ngưỡng' }], clearAt: 0 })];
const settle = () => new Promise((r) => setTimeout(r, 20));

async function instance(name: string, net: ReturnType<typeof memoryNet>, records: MemoryRecords, leadership: Leadership, clock: { now: number }, durableAnswerMs?: number) {
  const alarms = new AlarmService({ store: { dbPath: ':memory:' }, now: () => clock.now, rules, escalation: { afterMs: 5 * MIN, maxLevel: 3, severities: ['critical'] } });
  closables.push(alarms);
  const cluster: ClusterAlarms = await startClusterAlarms({ alarms, records, leadership, bus: net.bus(name), log, durableAnswerMs });
  closables.push(cluster);
  return { alarms, cluster };
}

/** The database answering only when let: `hold()` makes writes wait until `release()`. */
class GatedRecords extends MemoryRecords {
  private gate: Promise<void> | null = null;
  private open: () => void = () => undefined;
  hold(): void {
    this.gate = new Promise((r) => (this.open = r));
  }
  release(): void {
    this.gate = null;
    this.open();
  }
  override async write(w: AlarmWrite, prevRev: (id: number) => number | undefined) {
    await this.gate;
    return super.write(w, prevRev);
  }
}

describe('alarms across instances', () => {
  it('the leader refuses a malformed forwarded action with a clear error and a counter, and applies nothing', async () => {
    const clock = { now: T0 };
    const net = memoryNet();
    const records = new MemoryRecords();
    const a = await instance('a', net, records, lock(true), clock);
    a.alarms.push(makeSignal({ value: 5, ts: clock.now }));
    a.alarms.tick(clock.now);
    await settle();
    const [alarm] = a.alarms.snapshot().open;
    const peer = net.bus('peer');
    const answer = await peer.request('alarm:action', { kind: 'acknowledge', id: alarm!.id }, 1000);
    expect(answer).toMatchObject({ error: { code: ERROR_CODES.BAD_REQUEST } });
    expect(a.cluster.stats().badActions).toBe(1);
    expect(a.alarms.snapshot().open[0]).toMatchObject({ state: 'active' });
  });

  it("the leader answers an operator's action once it is in the database (or after a bound while the database is away)", async () => {
    const clock = { now: T0 };
    const net = memoryNet();
    const records = new GatedRecords();
    const a = await instance('a', net, records, lock(true), clock, 200);
    a.alarms.push(makeSignal({ value: 5, ts: clock.now }));
    a.alarms.tick(clock.now);
    await settle();
    const [alarm] = a.alarms.snapshot().open;

    records.hold();
    let answered = false;
    const ack = Promise.resolve(a.alarms.acknowledge(alarm!.id, 'Lan')).then((r) => ((answered = true), r));
    await new Promise((r) => setTimeout(r, 50));
    // Applied in memory, not yet written: not answered yet.
    expect(answered).toBe(false);
    expect(records.rows.get(alarm!.id)).toMatchObject({ state: 'active' });
    records.release();
    expect(await ack).toMatchObject({ data: { state: 'acknowledged' } });
    expect(records.rows.get(alarm!.id)).toMatchObject({ state: 'acknowledged' });

    // The database away for longer than the bound: answered after it, the write still queued and retried.
    records.hold();
    const t0 = Date.now();
    const resolved = await a.alarms.resolve(alarm!.id, 'Lan', 'đã xử lý');
    expect(resolved).toMatchObject({ data: { state: 'resolved' } });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
    expect(records.rows.get(alarm!.id)).toMatchObject({ state: 'acknowledged' });
    records.release();
    await new Promise((r) => setTimeout(r, 50));
    expect(records.rows.get(alarm!.id)).toMatchObject({ state: 'resolved' });
  });

  it("the leader decides and writes; a follower mirrors it and forwards an operator's action, which applies once", async () => {
    const clock = { now: T0 };
    const net = memoryNet();
    const records = new MemoryRecords();
    const a = await instance('a', net, records, lock(true), clock);
    await settle(); // the new leader's "resync" reaches nobody yet
    const b = await instance('b', net, records, lock(false), clock);
    b.alarms.takeChanges();
    expect(a.cluster.stats().role).toBe('leader');
    expect(b.cluster.stats().role).toBe('follower');

    // Both instances see the same signal (shared state); only the leader raises.
    for (const x of [a, b]) x.alarms.push(makeSignal({ value: 5, ts: clock.now }));
    for (const x of [a, b]) x.alarms.tick(clock.now);
    a.cluster.publishTick();
    b.cluster.publishTick();
    await settle();
    const [alarm] = a.alarms.snapshot().open;
    expect(alarm).toMatchObject({ ruleId: 'r', state: 'active' });
    expect(b.alarms.snapshot().open).toEqual([alarm]);
    expect(b.alarms.takeChanges().changes.map((c) => c.change)).toContain('raised');
    expect(records.rows.get(alarm!.id)).toMatchObject({ state: 'active' });

    // Acknowledged through the follower and raced through the leader: one applies, the other is refused.
    const [viaB, viaA] = await Promise.all([b.alarms.acknowledge(alarm!.id, 'Lan', 'đang xử lý'), a.alarms.acknowledge(alarm!.id, 'Minh')]);
    const ok = [viaB, viaA].filter((r) => 'data' in r);
    expect(ok).toHaveLength(1);
    expect([viaB, viaA].find((r) => 'error' in r)).toMatchObject({ error: { code: ERROR_CODES.ALARM_INVALID_TRANSITION } });
    a.cluster.publishTick();
    await settle();
    expect(b.alarms.snapshot().open[0]).toMatchObject({ id: alarm!.id, state: 'acknowledged' });
    expect(records.rows.get(alarm!.id)).toMatchObject({ state: 'acknowledged' });
  });

  it('a new leader takes over from the database: an escalation due while nobody led happens once', async () => {
    const clock = { now: T0 };
    const net = memoryNet();
    const records = new MemoryRecords();
    const lockA = lock(true);
    const lockB = lock(false);
    const a = await instance('a', net, records, lockA, clock);
    const b = await instance('b', net, records, lockB, clock);
    a.alarms.push(makeSignal({ value: 5, ts: clock.now }));
    a.alarms.tick(clock.now);
    a.cluster.publishTick();
    await settle();
    const id = a.alarms.snapshot().open[0]!.id;
    expect(b.alarms.snapshot().open[0]).toMatchObject({ id, escalationLevel: 0 });

    // A dies (it leaves the net and stops leading); six minutes pass with nobody leading; B takes the lock.
    net.leave('a');
    clock.now += 6 * MIN;
    expect(await b.alarms.acknowledge(id, 'Lan')).toMatchObject({ error: { code: ERROR_CODES.UNAVAILABLE } });
    lockB.set(true);
    await settle();
    expect(b.cluster.stats().role).toBe('leader');
    b.alarms.tick(clock.now);
    b.alarms.tick(clock.now + 1000);
    await settle();
    expect(b.alarms.snapshot().open[0]).toMatchObject({ id, escalationLevel: 1 });
    expect(records.rows.get(id)).toMatchObject({ escalationLevel: 1 });
    // And the follower's own actions are its own now.
    expect(await b.alarms.acknowledge(id, 'Lan')).toHaveProperty('data');
  });

  it('a second leader in a split brain gets a conflict, writes nothing, and reloads what the database holds', async () => {
    const clock = { now: T0 };
    const net = memoryNet();
    const records = new MemoryRecords();
    const a = await instance('a', net, records, lock(true), clock);
    a.alarms.push(makeSignal({ value: 5, ts: clock.now }));
    a.alarms.tick(clock.now);
    await settle();
    const id = a.alarms.snapshot().open[0]!.id;
    // B also believes it leads (say its lock check has not failed yet); it loads the alarm as it is now.
    const b = await instance('b', net, records, lock(true), clock);
    const reloads = b.cluster.stats().reloads;
    expect(await a.alarms.acknowledge(id, 'Minh')).toHaveProperty('data');
    await settle();
    expect(records.rows.get(id)).toMatchObject({ state: 'acknowledged', ackBy: 'Minh' });
    // B's engine still has it active: its acknowledgement runs in memory, but the write finds another version.
    expect(await b.alarms.acknowledge(id, 'Lan')).toHaveProperty('data');
    await settle();
    expect(records.rows.get(id)).toMatchObject({ state: 'acknowledged', ackBy: 'Minh' });
    expect(b.cluster.stats().writeBehind?.conflicts ?? 0).toBe(0); // a new port after the reload
    expect(b.cluster.stats().reloads).toBe(reloads + 1);
    expect(b.alarms.snapshot().open[0]).toMatchObject({ id, state: 'acknowledged', ackBy: 'Minh' });
  });
});
