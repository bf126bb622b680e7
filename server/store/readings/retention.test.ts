import { describe, expect, it } from 'vitest';
import { RetentionJob } from './retention';
import { makeReading } from './readingStore.suite';
import { openSqliteReadingStore } from './sqliteEngine';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 5, 1);

describe('reading store retention', () => {
  it('removes raw readings older than the policy and keeps the newer ones and the rollups', async () => {
    const store = await openSqliteReadingStore({ file: ':memory:' });
    try {
      const at = (days: number) => T0 - days * DAY;
      await store.append([
        makeReading({ deviceId: 'qng-aq-0001', ts: at(100), values: { pm25: 10 } }),
        makeReading({ deviceId: 'qng-aq-0001', ts: at(91), values: { pm25: 11 } }),
        makeReading({ deviceId: 'qng-aq-0001', ts: at(89), values: { pm25: 12 } }),
        makeReading({ deviceId: 'qng-aq-0001', ts: at(1), values: { pm25: 13 } }),
      ]);
      const job = new RetentionJob({ store, now: () => T0, policy: { rawDays: 90 } });
      await job.runOnce();
      expect(job.stats()).toMatchObject({ runs: 1, failures: 0, lastRawRows: 2, lastError: null });
      const raw = await store.range('qng-aq-0001', at(200), T0);
      expect(raw.map((p) => p.values.pm25)).toEqual([12, 13]);
      // Hourly rollups stay: the long-range chart still has the pruned days.
      const hours = await store.rangeBucketed('qng-aq-0001', at(200), T0, '1h');
      expect(hours.length).toBe(4);
    } finally {
      await store.close();
    }
  });

  it('counts a failed prune, keeps going, and never runs two prunes at once', async () => {
    let calls = 0;
    let release!: () => void;
    const store = {
      prune: () => {
        calls++;
        if (calls === 1) return new Promise<{ rawRows: number }>((r) => (release = () => r({ rawRows: 3 })));
        return Promise.reject(new Error('database is locked'));
      },
    };
    const job = new RetentionJob({ store, now: () => T0 });
    const a = job.runOnce();
    const b = job.runOnce();
    expect(calls).toBe(1);
    release();
    await Promise.all([a, b]);
    await job.runOnce();
    expect(job.stats()).toMatchObject({ runs: 2, failures: 1, lastRawRows: 3, lastError: 'Error: database is locked' });
  });

  it('skips when this instance is not the one to prune, and refuses a policy that drops minutes before raw', async () => {
    let calls = 0;
    const job = new RetentionJob({ store: { prune: async () => ({ rawRows: calls++ }) }, now: () => T0, shouldRun: () => false });
    await job.runOnce();
    expect(calls).toBe(0);
    expect(() => new RetentionJob({ store: { prune: async () => ({ rawRows: 0 }) }, now: () => T0, policy: { rawDays: 90, minuteDays: 30 } })).toThrow(RangeError);
  });
});
