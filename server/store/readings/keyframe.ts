/**
 * Keyframes of the latest values (issue 13, "History that lasts": the snapshot at an instant for 100,000
 * devices). A keyframe at boundary K (every `KEYFRAME_MS`, UTC-aligned) holds, for every (sensor, metric) with a
 * reading in [K − MAX_LOOKBACK_MS, K), the latest such reading. So `latestAt(at)` reads the newest keyframe K in
 * (at − look-back, at] plus the minute rollups in [K, at] instead of every minute row of the look-back, and
 * merges them taking the newer; entries older than the look-back are dropped, which keeps its meaning exactly.
 *
 * Each keyframe is one row of packed numbers (a BLOB in SQLite, a bytea in PostgreSQL): reading a keyframe of
 * 100,000 pairs is one row and a typed-array copy, not 100,000 rows through the driver.
 *
 * Kept correct by the writer, in the transaction of each batch:
 * - a reading inserted with ts in slot s (floor(ts, KEYFRAME_MS)) changes the keyframes of (s, s + look-back]:
 *   any of them that exist are deleted (a late reading never leaves a keyframe wrong, only absent);
 * - the keyframe of floor(newest ts − GRACE_MS) is built when absent, from the newest keyframe before it and the
 *   minute rollups in between (a step per boundary), or from the minute rollups of a whole look-back when there
 *   is none (a new or migrated store, or a long silence); when late readings deleted it, it waits for the repair
 *   below like the others (a backfill deletes it in every batch);
 * - keyframes deleted by late readings behind that one are rebuilt at most every `repairEveryMs`, so a device
 *   backfilling its buffer costs a rebuild every few seconds, not every batch.
 * An absent keyframe is never wrong: `latestAt` uses an older one within the look-back, or scans the minute
 * rollups as before. Retention deletes keyframes older than what it prunes (`keyframePruneBefore`).
 */
import { MAX_LOOKBACK_MS, type PruneRequest } from './port';
import type { SnapshotCandidate, SnapshotMerge } from './common';

/** Spacing of keyframes: at most this much of minute rollups is read beside one. */
export const KEYFRAME_MS = 3_600_000;
/**
 * A boundary's keyframe is built once a reading this much past it is stored: readings a little late (clocks,
 * a tick's batching) land before it is built instead of deleting it again at once.
 */
export const GRACE_MS = 2 * 60_000;
/** Rebuilds of keyframes deleted by late readings, at most this often (store clock). */
export const REPAIR_EVERY_MS = 10_000;

/** Keyframes deleted by late readings and waiting for a rebuild, at most (more stay absent: latestAt scans). */
export const MAX_DIRTY_KEYFRAMES = 1_000;

/** Values of each entry in the packed array: sensor, metric, ts, value. */
const STRIDE = 4;

export type KeyframeState = Map<number, SnapshotCandidate>;

/** Pair key: sensor ids are below 2^31 and metric ids below 2^15 (a smallint in PostgreSQL). */
const pairKey = (sensor: number, metric: number): number => sensor * 65_536 + metric;

export function encodeKeyframe(state: KeyframeState): Buffer {
  const a = new Float64Array(state.size * STRIDE);
  let k = 0;
  for (const c of state.values()) {
    a[k++] = c.sensor;
    a[k++] = c.metric;
    a[k++] = c.ts;
    a[k++] = c.value;
  }
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function unpack(data: Uint8Array): Float64Array {
  if (data.byteLength % (8 * STRIDE) !== 0) throw new Error('reading store: keyframe of a bad length');
  // A copy: the driver's buffer need not be 8-byte aligned.
  const copy = new Uint8Array(data.byteLength);
  copy.set(data);
  return new Float64Array(copy.buffer);
}

/** Adds a keyframe's entries with ts ≥ since to a snapshot. */
export function addKeyframe(data: Uint8Array, since: number, to: Pick<SnapshotMerge, 'add'>): void {
  const a = unpack(data);
  for (let k = 0; k < a.length; k += STRIDE) {
    const ts = a[k + 2]!;
    if (ts >= since) to.add(a[k]!, a[k + 1]!, ts, a[k + 3]!);
  }
}

export function decodeKeyframe(data: Uint8Array): KeyframeState {
  const state: KeyframeState = new Map();
  const a = unpack(data);
  for (let k = 0; k < a.length; k += STRIDE) {
    const c = { sensor: a[k]!, metric: a[k + 1]!, ts: a[k + 2]!, value: a[k + 3]! };
    state.set(pairKey(c.sensor, c.metric), c);
  }
  return state;
}

/** Adds candidates (minute rollups' last values), keeping per pair the newest. */
export function mergeInto(state: KeyframeState, rows: Iterable<SnapshotCandidate>): void {
  for (const r of rows) {
    const key = pairKey(r.sensor, r.metric);
    const prev = state.get(key);
    if (prev === undefined || r.ts > prev.ts) state.set(key, { sensor: r.sensor, metric: r.metric, ts: r.ts, value: r.value });
  }
}

/** Drops what is older than the longest look-back at boundary K: no keyframe grows without bound. */
export function dropExpired(state: KeyframeState, boundary: number): void {
  const oldest = boundary - MAX_LOOKBACK_MS;
  for (const [key, c] of state) if (c.ts < oldest) state.delete(key);
}

/** Keyframe boundaries whose content a reading in `slot` changes: (slot, slot + MAX_LOOKBACK_MS]. */
export function affectedBoundaries(slot: number): [number, number] {
  return [slot + KEYFRAME_MS, slot + MAX_LOOKBACK_MS];
}

/**
 * Keyframes before this go with a prune: a keyframe must not outlive the minute rollups after it (it would be
 * merged with rows that are gone), and one older than the raw retention is not worth its space.
 */
export function keyframePruneBefore(req: PruneRequest): number {
  return Math.max(req.rawBefore, req.minuteBefore ?? -Infinity);
}
