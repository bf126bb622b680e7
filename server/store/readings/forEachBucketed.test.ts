import { describe, expect, it } from 'vitest';
import { BUCKET_ROWS_PER_READ, devicesPerRead, forEachBucketed } from './forEachBucketed';
import type { BucketPoint } from './port';

const H = 3_600_000;
const FROM = Date.UTC(2026, 9, 1);
const stat = { mean: 1, min: 1, max: 1, sum: 1, count: 1 };

/** Every device has every hour with `metrics` metrics; device "gap-*" has none. Records each read's rollup rows. */
function fullStore(metrics: readonly string[]) {
  const reads: { ids: number; rows: number }[] = [];
  return {
    reads,
    rangeBucketedMany: async (ids: readonly string[], from: number, to: number) => {
      const out = new Map<string, BucketPoint[]>();
      let rows = 0;
      for (const id of ids) {
        if (id.startsWith('gap-')) continue;
        const points: BucketPoint[] = [];
        for (let t = Math.floor(from / H) * H; t < to; t += H) points.push({ ts: t, metrics: Object.fromEntries(metrics.map((m) => [m, stat])) });
        rows += points.length * metrics.length;
        out.set(id, points);
      }
      reads.push({ ids: ids.length, rows });
      return out;
    },
  };
}

describe('forEachBucketed', () => {
  it('reads a chunk of devices at a time, never more rollup rows than the bound, every device once in order', async () => {
    const ids = Array.from({ length: 500 }, (_, k) => (k % 7 === 3 ? `gap-${k}` : `dev-${k}`));
    const store = fullStore(['temperature', 'relativeHumidity']);
    const seen: string[] = [];
    await forEachBucketed(store, ids, FROM, FROM + 45 * 24 * H, '1h', (id, points) => {
      expect(points).toHaveLength(45 * 24);
      seen.push(id);
    }, { metrics: ['temperature', 'relativeHumidity'] });
    expect(seen).toEqual(ids.filter((id) => !id.startsWith('gap-')));
    expect(Math.max(...store.reads.map((r) => r.rows))).toBeLessThanOrEqual(BUCKET_ROWS_PER_READ);
    // Far fewer reads than devices: the point of it.
    expect(store.reads.length).toBe(Math.ceil(500 / devicesPerRead(FROM, FROM + 45 * 24 * H, '1h', 2)));
    expect(store.reads.length).toBeLessThan(30);
  });

  it('takes one device a read when one device alone fills the bound, and asks nothing for no devices', async () => {
    expect(devicesPerRead(FROM, FROM + 365 * 24 * H, '1m', 12)).toBe(1);
    const store = fullStore(['pm25']);
    await forEachBucketed(store, [], FROM, FROM + H, '1h', () => expect.unreachable());
    expect(store.reads).toEqual([]);
  });
});
