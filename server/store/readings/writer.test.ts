import { describe, expect, it } from 'vitest';
import type { AppendResult, Reading, ReadingStore } from './port';
import { ReadingWriter, isUnreachable } from './writer';

const T0 = Date.UTC(2026, 10, 3, 5);

function makeReading(overrides: Partial<Reading> = {}): Reading {
  return { deviceId: 'qng-air-0001', type: 'air', ts: T0, values: { pm25: 1, pm10: 2 }, ...overrides };
}

/** n readings of 2 value rows each, distinct timestamps. */
const batchOf = (n: number, start = 0): Reading[] =>
  Array.from({ length: n }, (_, i) => makeReading({ ts: T0 + (start + i) * 1000 }));

/** An engine whose every append waits until the test releases it: a stalled disk or database. */
function stalledStore() {
  const calls: { batch: readonly Reading[]; release: () => void; fail: (err: Error) => void }[] = [];
  const store: Pick<ReadingStore, 'append'> = {
    append: (batch) =>
      new Promise<AppendResult>((resolve, reject) => {
        const rows = batch.reduce((n, r) => n + Object.keys(r.values).length, 0);
        calls.push({ batch, release: () => resolve({ inserted: rows, duplicates: 0 }), fail: reject });
      }),
  };
  return { store, calls };
}

/** An error the database answered with (PostgreSQL's disk-full SQLSTATE): attempts count. */
const refused = () => Object.assign(new Error('disk full'), { code: '53100' });

const tick = () => new Promise((r) => setImmediate(r));
/** Lets the writer run until `cond` holds (it yields a macrotask between transactions). */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !cond(); i++) await tick();
  expect(cond()).toBe(true);
}

describe('ReadingWriter', () => {
  it('holds at most capRows while the engine is stalled, and counts what it drops', async () => {
    const { store, calls } = stalledStore();
    const writer = new ReadingWriter({ store, capRows: 1_000, txRows: 200 });
    // 30 ticks of 50 readings (100 value rows each) = 3,000 rows offered against a cap of 1,000.
    let accepted = 0;
    for (let t = 0; t < 30; t++) accepted += writer.offer(batchOf(50, t * 50));
    await tick();
    expect(accepted).toBe(1_000);
    expect(writer.stats()).toMatchObject({ queued: 1_000, written: 0, dropped: 2_000 });
    // One transaction is in flight while the engine stalls: the first tick's, started at once.
    expect(calls).toHaveLength(1);
    expect(calls[0]!.batch).toHaveLength(50);

    // The engine recovers: the rest drains in transactions of at most 200 rows (100 readings), in order.
    for (let i = 0; i < 6; i++) {
      await until(() => calls.length > i);
      calls[i]!.release();
    }
    await writer.flush();
    expect(writer.stats()).toMatchObject({ queued: 0, written: 1_000, dropped: 2_000, failed: 0 });
    expect(calls.map((c) => [c.batch[0]!.ts, c.batch.length])).toEqual(
      [[0, 50], [50, 100], [150, 100], [250, 100], [350, 100], [450, 50]].map(([i, n]) => [T0 + i! * 1000, n]),
    );
    // Room again after draining.
    expect(writer.offer(batchOf(10, 5_000))).toBe(20);
    await until(() => calls.length > 6);
    calls[6]!.release();
    await writer.flush();
    expect(writer.stats().written).toBe(1_020);
  });

  it('reports its settled position after each transaction, written or given up, for held acknowledgements', async () => {
    const { store, calls } = stalledStore();
    const settled: number[] = [];
    const writer = new ReadingWriter({ store, txRows: 4, maxAttempts: 1, retryDelayMs: 0, onSettled: (p) => settled.push(p) });
    expect(writer.position()).toBe(0);
    writer.offer(batchOf(3)); // 6 rows: transactions of 4 and 2
    expect(writer.position()).toBe(6);
    await until(() => calls.length === 1);
    expect(settled).toEqual([]);
    calls[0]!.release();
    await until(() => calls.length === 2);
    expect(settled).toEqual([4]);
    calls[1]!.fail(refused());
    await writer.flush();
    expect(settled).toEqual([4, 6]);
    // Dropped rows never reach the position: nothing waits on them.
    const full = new ReadingWriter({ store, capRows: 2 });
    full.offer(batchOf(2));
    expect(full.position()).toBe(2);
  });

  it('merges small batches and splits large ones into transactions of about txRows, never splitting a reading', async () => {
    const sizes: number[] = [];
    const store: Pick<ReadingStore, 'append'> = {
      append: async (batch) => {
        const rows = batch.reduce((n, r) => n + Object.keys(r.values).length, 0);
        sizes.push(rows);
        return { inserted: rows, duplicates: 0 };
      },
    };
    const writer = new ReadingWriter({ store, txRows: 20_000, capRows: 100_000 });
    writer.offer(batchOf(25_000)); // 50,000 rows in one tick
    writer.offer([makeReading({ ts: T0 - 1, values: { a: 1, b: 2, c: 3 } })]);
    await writer.flush();
    expect(sizes).toEqual([20_000, 20_000, 10_003]);
    expect(writer.stats()).toMatchObject({ queued: 0, written: 50_003 });
  });

  it('retries a write the store refused, then gives its rows up as failed and moves on', async () => {
    const { store, calls } = stalledStore();
    const writer = new ReadingWriter({ store, maxAttempts: 2, retryDelayMs: 0 });
    writer.offer(batchOf(3));
    await until(() => calls.length === 1);
    calls[0]!.fail(refused());
    await until(() => calls.length === 2);
    calls[1]!.fail(refused());
    await until(() => writer.stats().failed === 6);
    writer.offer(batchOf(1, 10));
    await until(() => calls.length === 3);
    calls[2]!.release();
    await writer.flush();
    expect(writer.stats()).toMatchObject({ queued: 0, written: 2, failed: 6, lastError: 'disk full' });
  });

  it('holds the rows while the database cannot be reached, however long, and writes them when it is back', async () => {
    const { store, calls } = stalledStore();
    const writer = new ReadingWriter({ store, maxAttempts: 2, retryDelayMs: 0 });
    writer.offer(batchOf(3));
    for (let k = 0; k < 6; k++) {
      await until(() => calls.length === k + 1);
      calls[k]!.fail(k % 2 ? Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }) : Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
    }
    await until(() => calls.length === 7);
    expect(writer.stats()).toMatchObject({ failed: 0, queued: 6 });
    calls[6]!.release();
    await writer.flush();
    expect(writer.stats()).toMatchObject({ queued: 0, written: 6, failed: 0, failingSince: null });
    expect([isUnreachable(new Error('Connection terminated unexpectedly')), isUnreachable(refused()), isUnreachable(Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' }))]).toEqual([true, false, false]);
  });

  it('says since when its writes fail, until one succeeds, and times each successful write', async () => {
    const { store, calls } = stalledStore();
    let now = 1_000;
    const writes: [number, number][] = [];
    const writer = new ReadingWriter({ store, capRows: 500, maxAttempts: 2, retryDelayMs: 0, now: () => now, onWrite: (ms, rows) => writes.push([ms, rows]) });
    expect(writer.stats()).toMatchObject({ capRows: 500, failingSince: null });
    writer.offer(batchOf(3));
    await until(() => calls.length === 1);
    now = 2_000;
    calls[0]!.fail(refused());
    await until(() => calls.length === 2);
    // The second attempt fails too: the failure started with the first one's attempt.
    calls[1]!.fail(refused());
    await until(() => writer.stats().failed === 6);
    expect(writer.stats().failingSince).toBe(1_000);
    expect(writes).toEqual([]);
    writer.offer(batchOf(2, 10));
    await until(() => calls.length === 3);
    now = 2_045;
    calls[2]!.release();
    await writer.flush();
    expect(writer.stats()).toMatchObject({ failingSince: null, written: 4, lastWriteMs: 45 });
    expect(writes).toEqual([[45, 4]]);
  });

  it('rejects readings the store would refuse, without failing their neighbours', async () => {
    const seen: Reading[] = [];
    const writer = new ReadingWriter({
      store: {
        append: async (batch) => {
          seen.push(...batch);
          return { inserted: batch.length * 2, duplicates: 0 };
        },
      },
    });
    writer.offer([makeReading(), makeReading({ ts: 1_700_000_000 }), makeReading({ ts: T0 + 1, values: { pm25: Infinity, pm10: 1 } })]);
    await writer.flush();
    expect(seen).toHaveLength(1);
    expect(writer.stats()).toMatchObject({ written: 2, rejected: 4 });
  });

  it('measures the last write with its clock and drops whatever comes after close', async () => {
    let now = 0;
    const writer = new ReadingWriter({
      now: () => now,
      store: {
        append: async (batch) => {
          now += 37;
          return { inserted: batch.length, duplicates: batch.length };
        },
      },
    });
    writer.offer(batchOf(2));
    await writer.close();
    expect(writer.offer(batchOf(1))).toBe(0);
    expect(writer.stats()).toMatchObject({ lastWriteMs: 37, written: 2, duplicates: 2, dropped: 2, queued: 0 });
  });
});
