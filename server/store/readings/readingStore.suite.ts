/**
 * The reading store's contract, run against every engine (sqliteEngine.test.ts, pgEngine.test.ts). Each test
 * gets a fresh store from the harness; `open()` twice on one harness reopens the same data.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceType } from '../../../shared/mqtt';
import { createRandom, type RandomSource } from '../../../shared/random';
import type { DeviceSnapshot, ExportRow, Reading, ReadingStore } from './port';

export interface StoreHarness {
  /** Opens (or reopens) the store of this test. */
  open(): Promise<ReadingStore>;
  /** Removes everything the test created (file, schema). */
  dispose(): Promise<void>;
}

const T0 = Date.UTC(2026, 10, 3, 5, 0, 0); // on an hour boundary
const MIN = 60_000;
const HOUR = 3_600_000;

export function makeReading(overrides: Partial<Reading> = {}): Reading {
  return { deviceId: 'qng-air-0001', type: 'air', ts: T0, values: { pm25: 12.5, temperature: 28 }, ...overrides };
}

const air = (deviceId: string, ts: number, values: Record<string, number>): Reading =>
  makeReading({ deviceId, ts, values });

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** latestAt by brute force over every reading written: per (device, metric) the newest ts in [at − look-back, at]. */
function referenceLatest(all: readonly Reading[], at: number, lookbackMs: number): DeviceSnapshot[] {
  const by = new Map<string, DeviceSnapshot>();
  for (const r of all) {
    if (r.ts > at || r.ts < at - lookbackMs) continue;
    let d = by.get(r.deviceId);
    if (d === undefined) by.set(r.deviceId, (d = { deviceId: r.deviceId, type: r.type, metrics: {} }));
    for (const [m, value] of Object.entries(r.values)) {
      const prev = d.metrics[m];
      if (prev === undefined || r.ts > prev.ts) d.metrics[m] = { ts: r.ts, value };
    }
  }
  return [...by.values()].sort((a, b) => (a.deviceId < b.deviceId ? -1 : 1));
}

/**
 * Readings of a few devices over `hours` from T0, each device with its own interval and long silences, every
 * (device, metric, ts) once. Metrics come and go, so a pair's latest is not always its device's.
 */
function randomHistory(r: RandomSource, hours: number): Reading[] {
  const out: Reading[] = [];
  for (let d = 0; d < 9; d++) {
    const every = [47_000, 5 * MIN + 13, 37 * MIN, 2 * HOUR + 7][d % 4]!;
    let silentUntil = 0;
    for (let ts = T0 + Math.floor(r.next() * every); ts < T0 + hours * HOUR; ts += every) {
      if (ts < silentUntil) continue;
      if (r.next() < 0.01) silentUntil = ts + Math.floor(r.next() * 5 * HOUR); // silent for up to 5 h
      const values: Record<string, number> = { pm25: Math.round(r.next() * 1000) / 10 };
      if (r.next() < 0.5) values.pm10 = Math.round(r.next() * 1000) / 10;
      out.push(air(`dev-${d}`, ts, values));
    }
  }
  return out.sort((a, b) => a.ts - b.ts);
}

const LOOKBACKS = [15 * MIN, 45 * MIN, 3 * HOUR, 24 * HOUR];

export function describeReadingStore(name: string, makeHarness: () => Promise<StoreHarness>): void {
  describe(`reading store: ${name}`, () => {
    let harness: StoreHarness;
    let store: ReadingStore;
    beforeEach(async () => {
      harness = await makeHarness();
      store = await harness.open();
    });
    afterEach(async () => {
      await store.close();
      await harness.dispose();
    });

    it('appends and reads one device back raw, in ts order, within [from, to)', async () => {
      const res = await store.append([
        air('qng-air-0001', T0 + 2000, { pm25: 3 }),
        air('qng-air-0001', T0, { pm25: 1, temperature: 27.25 }),
        air('qng-air-0002', T0 + 1000, { pm25: 99 }),
        air('qng-air-0001', T0 + 1000, { pm25: 2 }),
      ]);
      expect(res).toEqual({ inserted: 5, duplicates: 0 });
      expect(await store.range('qng-air-0001', T0, T0 + 2000)).toEqual([
        { ts: T0, values: { pm25: 1, temperature: 27.25 } },
        { ts: T0 + 1000, values: { pm25: 2 } },
      ]);
      expect(await store.range('qng-air-0001', T0, T0 + 5000, { limit: 1 })).toHaveLength(1);
      expect(await store.range('qng-air-0009', T0, T0 + 5000)).toEqual([]);
    });

    it('ignores duplicates (same device, metric and ts), in one batch and across batches, rollups too', async () => {
      const batch = [air('d1', T0, { pm25: 10 }), air('d1', T0, { pm25: 10, pm10: 20 })];
      expect(await store.append(batch)).toEqual({ inserted: 2, duplicates: 1 });
      expect(await store.append(batch)).toEqual({ inserted: 0, duplicates: 3 });
      expect(await store.range('d1', T0, T0 + 1)).toEqual([{ ts: T0, values: { pm25: 10, pm10: 20 } }]);
      const [minute] = await store.rangeBucketed('d1', T0, T0 + MIN, '1m');
      expect(minute?.metrics.pm25).toEqual({ mean: 10, min: 10, max: 10, sum: 10, count: 1 });
    });

    it('buckets a device by minute and by hour (mean, min, max, count), leaving empty buckets out', async () => {
      await store.append([
        air('d1', T0, { pm25: 10 }),
        air('d1', T0 + 20_000, { pm25: 20 }),
        air('d1', T0 + 40_000, { pm25: 60 }),
      ]);
      await store.append([air('d1', T0 + 3 * MIN, { pm25: 5 }), air('d1', T0 + HOUR + 1, { pm25: 7 })]);
      const minutes = await store.rangeBucketed('d1', T0, T0 + 10 * MIN, '1m');
      expect(minutes.map((b) => b.ts)).toEqual([T0, T0 + 3 * MIN]);
      expect(minutes[0]?.metrics.pm25).toEqual({ mean: 30, min: 10, max: 60, sum: 90, count: 3 });
      const hours = await store.rangeBucketed('d1', T0 + 30 * MIN, T0 + 2 * HOUR, '1h');
      expect(hours.map((b) => b.ts)).toEqual([T0, T0 + HOUR]);
      expect(hours[0]?.metrics.pm25).toEqual({ mean: 23.75, min: 5, max: 60, sum: 95, count: 4 });
      expect(hours[1]?.metrics.pm25?.count).toBe(1);
    });

    it('buckets several devices in one read, each as its own range would, and narrows to the metrics asked', async () => {
      const r = createRandom(7);
      const all = randomHistory(r, 30);
      for (let k = 0; k < all.length; k += 500) await store.append(all.slice(k, k + 500));
      const ids = [...new Set(all.map((x) => x.deviceId))].sort();
      const asked = [...ids, 'never-reported'];
      for (const bucket of ['1m', '1h'] as const) {
        const from = T0 + 3 * HOUR + 17 * MIN;
        const to = T0 + 21 * HOUR;
        const many = await store.rangeBucketedMany(asked, from, to, bucket);
        const each = new Map<string, unknown>();
        for (const id of asked) {
          const points = await store.rangeBucketed(id, from, to, bucket);
          if (points.length > 0) each.set(id, points);
        }
        expect(each.size).toBeGreaterThan(3);
        expect(many).toEqual(each);
      }
      const narrowed = await store.rangeBucketedMany(ids, T0, T0 + 30 * HOUR, '1h', { metrics: ['pm10', 'no-such-metric'] });
      const metrics = new Set([...narrowed.values()].flat().flatMap((b) => Object.keys(b.metrics)));
      expect([...metrics]).toEqual(['pm10']);
      expect(await store.rangeBucketedMany(ids, T0, T0 + 30 * HOUR, '1h', { metrics: ['no-such-metric'] })).toEqual(new Map());
      expect(await store.rangeBucketedMany([], T0, T0 + HOUR, '1h')).toEqual(new Map());
    });

    it('sums rain precipitation per hour across batches', async () => {
      const rain = (ts: number, precipitation: number): Reading => ({
        deviceId: 'qng-rain-0001',
        type: 'rain',
        ts,
        values: { precipitation, intervalSec: 600 },
      });
      await store.append([rain(T0 + 10 * MIN, 0.5), rain(T0 + 20 * MIN, 1.25)]);
      await store.append([rain(T0 + 30 * MIN, 2.5), rain(T0 + HOUR + 10 * MIN, 4)]);
      const hours = await store.rangeBucketed('qng-rain-0001', T0, T0 + 2 * HOUR, '1h');
      expect(hours.map((h) => h.metrics.precipitation?.sum)).toEqual([4.25, 4]);
      expect(hours[0]?.metrics.intervalSec?.mean).toBe(600);
    });

    it('gives every device its latest values at or before an instant, within the look-back', async () => {
      await store.append([
        air('a', T0, { pm25: 1, temperature: 25 }),
        air('b', T0 + 2 * MIN, { pm25: 2 }),
        air('stale', T0 - 2 * HOUR, { pm25: 3 }),
        air('a', T0 + 5 * MIN, { pm25: 4 }),
        // Two readings in the minute of the instant, one before it and one after.
        air('c', T0 + 10 * MIN + 10_000, { pm25: 5 }),
        air('c', T0 + 10 * MIN + 50_000, { pm25: 6 }),
        air('a', T0 + 20 * MIN, { pm25: 7 }),
      ]);
      const at = T0 + 10 * MIN + 30_000;
      expect(await store.latestAt(at)).toEqual([
        { deviceId: 'a', type: 'air', metrics: { pm25: { ts: T0 + 5 * MIN, value: 4 }, temperature: { ts: T0, value: 25 } } },
        { deviceId: 'b', type: 'air', metrics: { pm25: { ts: T0 + 2 * MIN, value: 2 } } },
        { deviceId: 'c', type: 'air', metrics: { pm25: { ts: T0 + 10 * MIN + 10_000, value: 5 } } },
      ]);
      const early = await store.latestAt(T0 + 3 * MIN);
      expect(early.map((d) => [d.deviceId, d.metrics.pm25?.value])).toEqual([
        ['a', 1],
        ['b', 2],
      ]);
      // A reading exactly at the instant counts ("at or before").
      expect((await store.latestAt(T0 + 5 * MIN)).find((d) => d.deviceId === 'a')?.metrics.pm25?.value).toBe(4);
      const short = await store.latestAt(at, { lookbackMs: 6 * MIN });
      expect(short.map((d) => d.deviceId)).toEqual(['a', 'c']);
      expect(short[0]?.metrics).toEqual({ pm25: { ts: T0 + 5 * MIN, value: 4 } });
      await expect(store.latestAt(at, { lookbackMs: 0 })).rejects.toThrow(/look-back/);
    });

    it('latestAt equals a brute-force reference over random data with silences, late readings and hour boundaries', async () => {
      const r = createRandom(13);
      const history = randomHistory(r, 30);
      // Most arrives in time order, in batches; one reading in ten arrives late, one to twenty hours behind.
      const onTime: Reading[] = [];
      const late: Reading[] = [];
      for (const x of history) (r.next() < 0.1 ? late : onTime).push(x);
      const written: Reading[] = [];
      const check = async (instants: readonly number[]) => {
        for (const at of instants) {
          const lookbackMs = LOOKBACKS[Math.floor(r.next() * LOOKBACKS.length)]!;
          expect({ at, lookbackMs, snap: await store.latestAt(at, { lookbackMs }) }).toEqual({
            at,
            lookbackMs,
            snap: referenceLatest(written, at, lookbackMs),
          });
        }
      };
      const instants = (upTo: number): number[] => {
        const hour = Math.floor((upTo - T0) / HOUR);
        const boundary = T0 + Math.floor(r.next() * (hour + 1)) * HOUR;
        // Exactly on a boundary, either side of one, and anywhere before the newest reading.
        return [boundary, boundary - 1, boundary + 1, T0 + Math.floor(r.next() * (upTo - T0 + 1)), upTo];
      };
      for (let i = 0; i < onTime.length; i += 40) {
        const batch = onTime.slice(i, i + 40);
        await store.append(batch);
        written.push(...batch);
        if (i % 400 === 0) await check(instants(batch.at(-1)!.ts));
      }
      await check(instants(T0 + 30 * HOUR));
      for (let i = 0; i < late.length; i += 15) {
        const batch = late.slice(i, i + 15);
        await store.append(batch);
        written.push(...batch);
        await check(instants(T0 + 30 * HOUR));
      }
      for (let h = 0; h <= 31; h++) await check([T0 + h * HOUR, T0 + h * HOUR + 30 * MIN]);
    });

    it('latestAt stays right after retention prunes raw rows and minute rollups', async () => {
      const r = createRandom(7);
      const history = randomHistory(r, 30);
      for (let i = 0; i < history.length; i += 50) await store.append(history.slice(i, i + 50));
      const cut = T0 + 10 * HOUR + 17 * MIN;
      await store.prune({ rawBefore: cut, minuteBefore: cut });
      // What the store can still answer: look-backs that start after the cut (minutes before it are gone).
      for (let h = 11; h <= 31; h++) {
        for (const at of [T0 + h * HOUR, T0 + h * HOUR + 1 + Math.floor(r.next() * HOUR)]) {
          const lookbackMs = Math.min(at - cut, 3 * HOUR);
          expect(await store.latestAt(at, { lookbackMs })).toEqual(referenceLatest(history, at, lookbackMs));
        }
      }
      // New readings after the prune build on what is left.
      const more = [air('dev-0', T0 + 31 * HOUR, { pm25: 1 }), air('dev-new', T0 + 31 * HOUR + 3 * MIN, { pm10: 2 })];
      await store.append(more);
      const at = T0 + 32 * HOUR;
      expect(await store.latestAt(at, { lookbackMs: 3 * HOUR })).toEqual(referenceLatest([...history, ...more], at, 3 * HOUR));
    });

    it('exports one type in (deviceId, ts) order, page by page, within [from, to)', async () => {
      await store.append([
        air('b', T0 + 1000, { pm25: 1 }),
        air('a', T0 + 2000, { pm25: 2 }),
        air('a', T0 + 1000, { pm25: 3, pm10: 4 }),
        { deviceId: 'r', type: 'rain', ts: T0, values: { precipitation: 1 } },
        air('a', T0 + HOUR, { pm25: 5 }),
        // More devices than the export fetches ahead, first seen in reverse order.
        ...['g', 'f', 'e', 'd', 'c'].map((id) => air(id, T0 + 500, { no2: 1 })),
      ]);
      const rows = await collect(store.exportRange('air', T0, T0 + HOUR));
      expect(rows).toEqual<ExportRow[]>([
        { deviceId: 'a', ts: T0 + 1000, values: { pm25: 3, pm10: 4 } },
        { deviceId: 'a', ts: T0 + 2000, values: { pm25: 2 } },
        { deviceId: 'b', ts: T0 + 1000, values: { pm25: 1 } },
        ...['c', 'd', 'e', 'f', 'g'].map((deviceId) => ({ deviceId, ts: T0 + 500, values: { no2: 1 } })),
      ]);
      expect(await collect(store.exportRange('hydro' as DeviceType, T0, T0 + HOUR))).toEqual([]);
    });

    it('streams an export larger than a page without losing or splitting a reading', async () => {
      // 3,001 readings × 4 metrics = 12,004 value rows: more than one 10,000-row page, and the page boundary
      // falls inside a reading.
      const batch: Reading[] = [];
      for (let i = 0; i <= 3000; i++) {
        batch.push({ deviceId: 'w', type: 'water', ts: T0 + i * 1000, values: { pH: 7, cod: i, tss: 1, nh4: 2 } });
      }
      await store.append(batch);
      let n = 0;
      let lastTs = -1;
      for await (const row of store.exportRange('water', T0, T0 + HOUR)) {
        expect(row.ts).toBeGreaterThan(lastTs);
        expect(Object.keys(row.values)).toHaveLength(4);
        expect(row.values.cod).toBe((row.ts - T0) / 1000);
        lastTs = row.ts;
        n++;
      }
      expect(n).toBe(3001);
      // A consumer may stop early; the iterator must not need to be drained.
      for await (const row of store.exportRange('water', T0, T0 + HOUR)) {
        expect(row.ts).toBe(T0);
        break;
      }
      expect(await store.range('w', T0, T0 + HOUR, { limit: 2500 })).toHaveLength(2500);
    });

    it('prunes raw rows before a cut-off and keeps the rollups unless asked', async () => {
      const day = 24 * HOUR;
      await store.append([
        air('a', T0 - 3 * day, { pm25: 1 }),
        air('a', T0 - 2 * day, { pm25: 2, pm10: 2 }),
        air('b', T0 - 2 * day + HOUR, { pm25: 3 }),
        air('a', T0 - day, { pm25: 4 }),
      ]);
      expect(await store.prune({ rawBefore: T0 - day - HOUR })).toEqual({ rawRows: 4 });
      expect(await store.range('a', T0 - 4 * day, T0)).toEqual([{ ts: T0 - day, values: { pm25: 4 } }]);
      expect(await store.rangeBucketed('a', T0 - 4 * day, T0, '1h')).toHaveLength(3);
      await store.prune({ rawBefore: T0 - 4 * day, minuteBefore: T0 - 2 * day + 1, hourBefore: T0 - 2 * day + 1 });
      expect((await store.rangeBucketed('a', T0 - 4 * day, T0, '1m')).map((b) => b.ts)).toEqual([T0 - day]);
      expect((await store.rangeBucketed('a', T0 - 4 * day, T0, '1h')).map((b) => b.ts)).toEqual([T0 - day]);
    });

    it('keeps a camera’s nested values under dotted names (intensity.car)', async () => {
      const values = { averageVehicleSpeed: 42, 'intensity.car': 120, 'intensity.motorbike': 900, intensity: 1020 };
      expect(await store.append([{ deviceId: 'cam', type: 'camera', ts: T0, values }])).toMatchObject({ inserted: 4 });
      expect(await store.range('cam', T0, T0 + 1)).toEqual([{ ts: T0, values }]);
    });

    it('tells the time span it holds, from the first to the last reading', async () => {
      expect(await store.coverage()).toBeNull();
      await store.append([air('a', T0 + 30_000, { pm25: 1 }), air('b', T0 - 3 * HOUR + 5_000, { pm25: 2 }), air('a', T0 + 2 * HOUR + 59_000, { pm25: 3 })]);
      expect(await store.coverage()).toEqual({ from: T0 - 3 * HOUR + 5_000, to: T0 + 2 * HOUR + 59_000 });
    });

    it('reports its size, which grows with data', async () => {
      const before = await store.sizeBytes();
      expect(before).toBeGreaterThan(0);
      const batch: Reading[] = [];
      for (let i = 0; i < 5000; i++) batch.push(air(`d${i % 50}`, T0 + i * 1000, { pm25: i, pm10: i / 2 }));
      await store.append(batch);
      expect(await store.sizeBytes()).toBeGreaterThan(before + 10_000 * 8);
    });

    it('keeps data, ids and rollups across a reopen', async () => {
      await store.append([air('a', T0, { pm25: 1 }), { deviceId: 'r', type: 'rain', ts: T0, values: { precipitation: 2 } }]);
      await store.close();
      store = await harness.open();
      expect(await store.range('a', T0, T0 + 1)).toEqual([{ ts: T0, values: { pm25: 1 } }]);
      await store.append([air('new', T0 + 1000, { pm25: 9, no2: 3 }), air('a', T0, { pm25: 1 })]);
      const snap = await store.latestAt(T0 + 2000);
      expect(snap.map((d) => [d.deviceId, d.type, d.metrics])).toEqual([
        ['a', 'air', { pm25: { ts: T0, value: 1 } }],
        ['new', 'air', { pm25: { ts: T0 + 1000, value: 9 }, no2: { ts: T0 + 1000, value: 3 } }],
        ['r', 'rain', { precipitation: { ts: T0, value: 2 } }],
      ]);
      expect((await store.rangeBucketed('r', T0, T0 + HOUR, '1h'))[0]?.metrics.precipitation?.sum).toBe(2);
    });

    it('refuses a bad reading and writes nothing of its batch', async () => {
      await expect(store.append([air('a', T0, { pm25: 1 }), air('a', Math.floor(T0 / 1000), { pm25: 2 })])).rejects.toThrow(
        /bad reading \(ts\)/,
      );
      await expect(store.append([air('a', T0, { pm25: Number.NaN })])).rejects.toThrow(/value/);
      await expect(store.append([air('a b', T0, { pm25: 1 })])).rejects.toThrow(/deviceId/);
      expect(await store.range('a', 0, T0 + HOUR)).toEqual([]);
      await expect(store.range('a', 10, 5)).rejects.toThrow(/range/);
    });
  });
}
