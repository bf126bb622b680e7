/**
 * Many devices' hourly (or minute) buckets, read a chunk of devices at a time with `rangeBucketedMany`: one
 * round trip per chunk instead of one per device, and never more than about `BUCKET_ROWS_PER_READ` rollup
 * rows in memory at once, whatever the range.
 */
import { BUCKET_MS, type Bucket, type BucketPoint, type ReadingStore } from './port';

/** Rollup rows (one device, bucket and metric each) one read may bring back, as estimated below. */
export const BUCKET_ROWS_PER_READ = 50_000;
/** Metrics a station is assumed to have when the caller does not name them (an air station has 8). */
const METRICS_ASSUMED = 12;

/** How many devices one read takes: the most whose buckets over [from, to) fit the rows per read. */
export function devicesPerRead(from: number, to: number, bucket: Bucket, metrics: number = METRICS_ASSUMED): number {
  const buckets = Math.max(1, Math.ceil((to - from) / BUCKET_MS[bucket]) + 1);
  return Math.max(1, Math.floor(BUCKET_ROWS_PER_READ / (buckets * Math.max(1, metrics))));
}

/**
 * Calls `each(deviceId, points)` for every device of `deviceIds` with buckets in [from, to), in the order of
 * `deviceIds`, each device's points in time order.
 */
export async function forEachBucketed(
  store: Pick<ReadingStore, 'rangeBucketedMany'>,
  deviceIds: readonly string[],
  from: number,
  to: number,
  bucket: Bucket,
  each: (deviceId: string, points: BucketPoint[]) => void,
  opts: { metrics?: readonly string[] } = {},
): Promise<void> {
  const step = devicesPerRead(from, to, bucket, opts.metrics?.length);
  for (let k = 0; k < deviceIds.length; k += step) {
    const chunk = deviceIds.slice(k, k + step);
    const got = await store.rangeBucketedMany(chunk, from, to, bucket, opts);
    for (const id of chunk) {
      const points = got.get(id);
      if (points) each(id, points);
    }
  }
}

/** `rangeBucketedMany` made of one `rangeBucketed` call per device (an in-process store, and test doubles). */
export function perDevice(one: (deviceId: string, from: number, to: number, bucket: Bucket) => Promise<BucketPoint[]>): ReadingStore['rangeBucketedMany'] {
  return async (deviceIds, from, to, bucket, opts = {}) => {
    const out = new Map<string, BucketPoint[]>();
    const keep = opts.metrics && new Set(opts.metrics);
    for (const id of deviceIds) {
      let points = await one(id, from, to, bucket);
      if (keep) {
        points = points
          .map((b) => ({ ts: b.ts, metrics: Object.fromEntries(Object.entries(b.metrics).filter(([m]) => keep.has(m))) }))
          .filter((b) => Object.keys(b.metrics).length > 0);
      }
      if (points.length > 0) out.set(id, points);
    }
    return out;
  };
}
