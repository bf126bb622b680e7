import { describe, expect, it } from 'vitest';
import { LiveStore } from './liveStore';
import {
  makeCounts,
  makeDevices,
  makeIngest,
  makeMobileSnapshot,
  makeWallDelta,
  makeWallSnapshot,
  manualScheduler,
} from '../test-support/fixtures';

function wallStore(n = 6) {
  const frames = manualScheduler();
  const store = new LiveStore({ view: 'wall', schedule: frames.schedule });
  store.setRegistry('r1', makeDevices(n));
  frames.flush();
  return { store, frames };
}

describe('LiveStore: snapshot then deltas', () => {
  it('applies a snapshot: device states, counts, ingest, rate history', () => {
    const { store } = wallStore();
    const res = store.applySnapshot(
      makeWallSnapshot({
        seq: 10,
        devices: [
          { i: 0, on: 1, ts: 1000 },
          { i: 1, on: 0, ts: 0 },
          { i: 2, on: 1, ts: 2000, v: { pm25: 12.5 } },
        ],
        counts: makeCounts({ air: { total: 1, online: 1 }, water: { total: 1, online: 0 } }),
        ingest: makeIngest({ accepted: 42, ratePerSec: 7.5 }),
        rateHistory: [
          [100, 3],
          [101, 4],
        ],
      }),
    );
    expect(res).toBe('applied');
    expect(store.seq).toBe(10);
    expect(Array.from(store.on)).toEqual([1, 0, 1, 0, 0, 0]);
    expect(store.ts[2]).toBe(2000);
    expect(store.values[2]).toEqual({ pm25: 12.5 });
    expect(store.counts.air).toEqual({ total: 1, online: 1 });
    expect(store.onlineTotal()).toBe(1);
    expect(store.deviceTotal()).toBe(2);
    expect(store.ingest.accepted).toBe(42);
    expect(store.rate.toPoints()).toEqual([
      [100_000, 3],
      [101_000, 4],
    ]);
    expect(store.connection).toEqual({ status: 'online', staleSince: null });
  });

  it('applies deltas in order on top of the snapshot', () => {
    const { store } = wallStore();
    store.applySnapshot(makeWallSnapshot({ seq: 10, devices: [{ i: 0, on: 1, ts: 1000 }] }));
    expect(store.applyDelta(makeWallDelta({ seq: 11, devices: [{ i: 3, on: 1, ts: 1200 }], rateSamples: [[200, 9]] }))).toBe(
      'applied',
    );
    expect(store.applyDelta(makeWallDelta({ seq: 12, devices: [{ i: 0, on: 0, ts: 1300 }], ingest: makeIngest({ accepted: 99 }) }))).toBe(
      'applied',
    );
    expect(store.seq).toBe(12);
    expect(Array.from(store.on)).toEqual([0, 0, 0, 1, 0, 0]);
    expect(store.ts[0]).toBe(1300);
    expect(store.ingest.accepted).toBe(99);
    expect(store.rate.toPoints()).toEqual([[200_000, 9]]);
  });

  it('refuses a snapshot for another registry version (the caller refetches the registry)', () => {
    const { store } = wallStore();
    expect(store.applySnapshot(makeWallSnapshot({ registryVersion: 'r2' }))).toBe('registryMismatch');
    expect(store.seq).toBeNull();
  });

  it('skips patches whose index the registry does not have, without growing', () => {
    const { store } = wallStore(3);
    store.applySnapshot(makeWallSnapshot({ devices: [{ i: 7, on: 1, ts: 1 }, { i: -1, on: 1, ts: 1 }, { i: 1, on: 1, ts: 1 }] }));
    expect(store.on.length).toBe(3);
    expect(Array.from(store.on)).toEqual([0, 1, 0]);
  });
});

describe('LiveStore: sequence gaps and stale deltas', () => {
  it('reports a gap, then drops every delta until a fresh snapshot', () => {
    const { store } = wallStore();
    store.applySnapshot(makeWallSnapshot({ seq: 10 }));
    expect(store.applyDelta(makeWallDelta({ seq: 12, devices: [{ i: 0, on: 1, ts: 5 }] }))).toBe('gap');
    expect(store.on[0]).toBe(0);
    expect(store.seq).toBe(10);
    // 11 would have been next, but after a gap nothing is applied until the snapshot.
    expect(store.applyDelta(makeWallDelta({ seq: 11, devices: [{ i: 0, on: 1, ts: 5 }] }))).toBe('dropped');
    expect(store.applyDelta(makeWallDelta({ seq: 13 }))).toBe('dropped');
    expect(store.on[0]).toBe(0);

    store.applySnapshot(makeWallSnapshot({ seq: 20, devices: [{ i: 1, on: 1, ts: 7 }] }));
    expect(store.applyDelta(makeWallDelta({ seq: 19 }))).toBe('stale');
    expect(store.applyDelta(makeWallDelta({ seq: 20 }))).toBe('stale');
    expect(store.applyDelta(makeWallDelta({ seq: 21, devices: [{ i: 2, on: 1, ts: 8 }] }))).toBe('applied');
    expect(Array.from(store.on)).toEqual([0, 1, 1, 0, 0, 0]);
  });

  it('ignores deltas at or below the snapshot seq without asking for a resubscribe', () => {
    const { store } = wallStore();
    store.applySnapshot(makeWallSnapshot({ seq: 10, devices: [{ i: 0, on: 1, ts: 5 }] }));
    expect(store.applyDelta(makeWallDelta({ seq: 9, devices: [{ i: 0, on: 0, ts: 4 }] }))).toBe('stale');
    expect(store.applyDelta(makeWallDelta({ seq: 10, devices: [{ i: 0, on: 0, ts: 4 }] }))).toBe('stale');
    expect(store.on[0]).toBe(1);
    expect(store.applyDelta(makeWallDelta({ seq: 11 }))).toBe('applied');
  });

  it('drops deltas before the first snapshot and while a resubscribe is pending', () => {
    const { store } = wallStore();
    expect(store.applyDelta(makeWallDelta({ seq: 1 }))).toBe('dropped');
    store.applySnapshot(makeWallSnapshot({ seq: 10 }));
    store.beginResync();
    expect(store.applyDelta(makeWallDelta({ seq: 11 }))).toBe('dropped');
  });

  it('asks for a resync when the registry version of a delta changes', () => {
    const { store } = wallStore();
    store.applySnapshot(makeWallSnapshot({ seq: 10 }));
    expect(store.applyDelta(makeWallDelta({ seq: 11, registryVersion: 'r2' }))).toBe('registryChanged');
    expect(store.applyDelta(makeWallDelta({ seq: 12 }))).toBe('dropped');
  });

  it('ignores frames of the other view', () => {
    const { store } = wallStore();
    expect(store.applySnapshot(makeMobileSnapshot())).toBe('wrongView');
    store.applySnapshot(makeWallSnapshot({ seq: 10 }));
    expect(store.applyDelta(makeMobileSnapshot({ seq: 11 }))).toBe('dropped');
    expect(store.seq).toBe(10);
  });
});

describe('LiveStore: notifications', () => {
  it('notifies at most once per frame, however many frames arrived', () => {
    const { store, frames } = wallStore();
    let calls = 0;
    store.subscribe(() => calls++);
    const v0 = store.version;
    store.applySnapshot(makeWallSnapshot({ seq: 10 }));
    for (let s = 11; s <= 30; s++) store.applyDelta(makeWallDelta({ seq: s }));
    expect(calls).toBe(0);
    expect(frames.pending).toBe(1);
    frames.flush();
    expect(calls).toBe(1);
    expect(store.version).toBe(v0 + 1);
    frames.flush();
    expect(calls).toBe(1);

    store.applyDelta(makeWallDelta({ seq: 31 }));
    frames.flush();
    expect(calls).toBe(2);
  });

  it('does not notify when nothing was applied', () => {
    const { store, frames } = wallStore();
    store.applySnapshot(makeWallSnapshot({ seq: 10 }));
    frames.flush();
    let calls = 0;
    store.subscribe(() => calls++);
    store.applyDelta(makeWallDelta({ seq: 3 }));
    store.applyDelta(makeWallDelta({ seq: 10 }));
    expect(frames.pending).toBe(0);
    frames.flush();
    expect(calls).toBe(0);
  });

  it('moves deviceVersion only when some device changed state, rateVersion only on new samples', () => {
    const { store, frames } = wallStore();
    store.applySnapshot(makeWallSnapshot({ seq: 10, devices: [{ i: 0, on: 1, ts: 1 }] }));
    frames.flush();
    const dv = store.deviceVersion;
    const rv = store.rateVersion;
    // Same state, newer timestamp: the map does not need to redraw.
    store.applyDelta(makeWallDelta({ seq: 11, devices: [{ i: 0, on: 1, ts: 2 }] }));
    frames.flush();
    expect(store.deviceVersion).toBe(dv);
    expect(store.rateVersion).toBe(rv);
    store.applyDelta(makeWallDelta({ seq: 12, devices: [{ i: 0, on: 0, ts: 3 }], rateSamples: [[5, 1]] }));
    frames.flush();
    expect(store.deviceVersion).toBe(dv + 1);
    expect(store.rateVersion).toBe(rv + 1);
  });

  it('stops notifying an unsubscribed listener', () => {
    const { store, frames } = wallStore();
    let calls = 0;
    const off = store.subscribe(() => calls++);
    off();
    store.applySnapshot(makeWallSnapshot());
    frames.flush();
    expect(calls).toBe(0);
  });
});

describe('LiveStore: rate history is bounded', () => {
  it('keeps at most 600 samples, the newest ones, across a snapshot and many deltas', () => {
    const { store } = wallStore();
    const history = Array.from({ length: 900 }, (_, k) => [1000 + k, k] as [number, number]);
    store.applySnapshot(makeWallSnapshot({ seq: 1, rateHistory: history }));
    expect(store.rate.size).toBe(600);
    expect(store.rate.toPoints()[0]).toEqual([(1000 + 300) * 1000, 300]);

    let seq = 1;
    for (let k = 900; k < 5000; k++) store.applyDelta(makeWallDelta({ seq: ++seq, rateSamples: [[1000 + k, k]] }));
    const points = store.rate.toPoints();
    expect(store.rate.size).toBe(600);
    expect(points).toHaveLength(600);
    expect(points[0]).toEqual([(1000 + 4400) * 1000, 4400]);
    expect(points[599]).toEqual([(1000 + 4999) * 1000, 4999]);
  });
});

describe('LiveStore: connection state', () => {
  it('goes offline with the time of the newest data, and back online on the next frame', () => {
    const { store } = wallStore();
    expect(store.connection.status).toBe('connecting');
    store.applySnapshot(makeWallSnapshot({ seq: 10, at: 5_000 }));
    store.applyDelta(makeWallDelta({ seq: 11, at: 5_250 }));
    store.setConnection('offline');
    expect(store.connection).toEqual({ status: 'offline', staleSince: 5_250 });
    store.beginResync();
    store.applySnapshot(makeWallSnapshot({ seq: 40, at: 9_000 }));
    expect(store.connection).toEqual({ status: 'online', staleSince: null });
  });

  it('has no stale time when it never had data', () => {
    const { store } = wallStore();
    store.setConnection('offline');
    expect(store.connection).toEqual({ status: 'offline', staleSince: null });
  });
});

describe('LiveStore: mobile view', () => {
  it('keeps the offline list and its true total', () => {
    const frames = manualScheduler();
    const store = new LiveStore({ view: 'mobile', schedule: frames.schedule });
    store.setRegistry('r1', makeDevices(4));
    store.applySnapshot(makeMobileSnapshot({ seq: 5, offline: [{ i: 1, since: 100 }], offlineTotal: 3 }));
    expect(store.offline).toEqual([{ i: 1, since: 100 }]);
    expect(store.offlineTotal).toBe(3);
    expect(store.applyDelta(makeMobileSnapshot({ seq: 6, offline: [], offlineTotal: 0 }))).toBe('applied');
    expect(store.offline).toEqual([]);
    expect(store.applyDelta(makeMobileSnapshot({ seq: 8 }))).toBe('gap');
  });
});

describe('LiveStore: packed bulk devices', () => {
  it('applies the packed columns into the typed arrays, bumps deviceVersion only when a state changed, and skips indices past the registry', async () => {
    const { packDevices } = await import('../../shared/packedDevices');
    const { store, frames } = wallStore(6);
    store.applySnapshot(makeWallSnapshot({ seq: 10, devices: [{ i: 0, on: 1, ts: 1000 }] }));
    frames.flush();
    const v0 = store.deviceVersion;
    const packed = packDevices([
      { i: 4, on: 1, ts: 2000 },
      { i: 0, on: 0, ts: 2100 },
      { i: 600, on: 1, ts: 2200 },
    ]);
    expect(store.applyDelta(makeWallDelta({ seq: 11, packed: packed.buffer }))).toBe('applied');
    frames.flush();
    expect(Array.from(store.on)).toEqual([0, 0, 0, 0, 1, 0]);
    expect(store.ts[4]).toBe(2000);
    expect(store.ts[0]).toBe(2100);
    expect(store.on.length).toBe(6);
    expect(store.deviceVersion).toBe(v0 + 1);
    // Times only: the map has nothing to redraw.
    store.applyDelta(makeWallDelta({ seq: 12, packed: packDevices([{ i: 4, on: 1, ts: 3000 }]).buffer }));
    frames.flush();
    expect(store.ts[4]).toBe(3000);
    expect(store.deviceVersion).toBe(v0 + 1);
  });
});
