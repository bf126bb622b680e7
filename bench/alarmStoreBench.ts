/**
 * Write cost of the alarm store on a real file (WAL, synchronous = NORMAL): one transaction per change
 * against one transaction per batch, and through the engine. Run: `npx tsx bench/alarmStoreBench.ts`.
 * Prints the median of 3 runs in µs per change.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeAlarm } from '../server/alarms/alarm';
import { AlarmEngine } from '../server/alarms/engine';
import { ruleSchema } from '../server/alarms/rules';
import type { AlarmChange } from '../shared/alarms';
import { AlarmStore } from '../server/store/alarmStore';
import { decisionsWrite } from '../server/alarms/storePort';

const N = 10_000;
const T0 = Date.UTC(2026, 9, 1);

function changes(n: number, members = 0): AlarmChange[] {
  return Array.from({ length: n }, (_, i) => {
    const alarm = makeAlarm({
      id: i + 1,
      kind: members ? 'group' : 'single',
      ruleId: 'device-offline',
      source: `dev-${i}`,
      signal: 'device.offline',
      domain: 'device',
      commune: '51001',
      title: 'Thiết bị mất kết nối',
      severity: 'warning',
      level: 0,
      value: 1,
      raisedAt: T0 + i,
      lastSeen: T0 + i,
      conditionSince: T0 + i,
      runs: [T0 + i],
      ackDeadline: null,
    });
    if (alarm.members) alarm.members = { total: members, active: members, sources: Array.from({ length: members }, (_, k) => `dev-${k}`) };
    return { rev: i + 1, change: 'raised', alarm: { ...alarm, rev: i + 1 }, actor: 'system', at: T0 + i };
  });
}

function withStore(fn: (store: AlarmStore) => number): number {
  const dir = mkdtempSync(path.join(tmpdir(), 'ioc-bench-'));
  const store = new AlarmStore(process.env.BENCH_MEMORY ? ':memory:' : path.join(dir, 'alarms.db'));
  try {
    return fn(store);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function timed(run: () => void): number {
  const t = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - t) / 1000;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const cases: Record<string, () => number> = {
  'store.write, 1 change per transaction': () =>
    withStore((s) => {
      const cs = changes(N);
      return timed(() => cs.forEach((c) => s.write(decisionsWrite([c])))) / N;
    }),
  'store.write, 100 changes per transaction': () =>
    withStore((s) => {
      const cs = changes(N);
      return timed(() => {
        for (let i = 0; i < N; i += 100) s.write(decisionsWrite(cs.slice(i, i + 100)));
      }) / N;
    }),
  'store.write, group with 500 members, 1 per transaction': () =>
    withStore((s) => {
      const cs = changes(N / 10, 500);
      return timed(() => cs.forEach((c) => s.write(decisionsWrite([c])))) / (N / 10);
    }),
  'engine.evaluate, 10,000 raises (distinct sources, no storm)': () =>
    withStore((store) => {
      const rule = ruleSchema.parse({ id: 'r', kind: 'threshold', signal: 'x', domain: 'device', levels: [{ severity: 'warning', at: 1, title: 'x' }], clearAt: 1 });
      const engine = new AlarmEngine({ rules: [rule], now: () => T0, store, storm: { threshold: N + 1 } });
      return timed(() => {
        for (let i = 0; i < N; i++) engine.evaluate({ source: `s${i}`, signal: 'x', value: 1, ts: T0, commune: String(10_000 + i), domain: 'device' });
      }) / N;
    }),
  'engine.evaluateMany, 10,000 raises in batches of 100': () =>
    withStore((store) => {
      const rule = ruleSchema.parse({ id: 'r', kind: 'threshold', signal: 'x', domain: 'device', levels: [{ severity: 'warning', at: 1, title: 'x' }], clearAt: 1 });
      const engine = new AlarmEngine({ rules: [rule], now: () => T0, store, storm: { threshold: N + 1 } });
      const sigs = Array.from({ length: N }, (_, i) => ({ source: `s${i}`, signal: 'x', value: 1, ts: T0, commune: String(10_000 + i), domain: 'device' as const }));
      return timed(() => {
        for (let i = 0; i < N; i += 100) engine.evaluateMany(sigs.slice(i, i + 100));
      }) / N;
    }),
  'engine.evaluate, 10,000 repeats of one alarm + a tick (per signal)': () =>
    withStore((store) => {
      const rule = ruleSchema.parse({ id: 'r', kind: 'threshold', signal: 'x', domain: 'device', levels: [{ severity: 'warning', at: 1, title: 'x' }], clearAt: 1 });
      const engine = new AlarmEngine({ rules: [rule], now: () => T0, store });
      return timed(() => {
        for (let i = 0; i < N; i++) engine.evaluate({ source: 's', signal: 'x', value: 1, ts: T0 + i, domain: 'device' });
        engine.tick(T0 + N);
      }) / N;
    }),
};

for (const [name, run] of Object.entries(cases)) {
  const runs = [run(), run(), run()];
  console.log(`${name}: median ${median(runs).toFixed(1)} µs/change (runs ${runs.map((r) => r.toFixed(1)).join(', ')})`);
}
