import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ViewSnapshot } from '../../shared/events';
import type { Ack } from '../../shared/protocol';
import { LiveStore } from '../store/liveStore';
import { makeDevices, makeWallDelta, makeWallSnapshot, manualScheduler } from '../test-support/fixtures';
import { connectLive, type IocSocket } from './socket';
import type { DevicesResponse } from './api';

type Handler = (...args: unknown[]) => void;
interface SubscribeCall {
  req: unknown;
  reply: (err: Error | null, res?: Ack<ViewSnapshot>) => void;
}

/** Stands in for a socket.io client socket: the handful of calls connectLive makes. */
class FakeSocket {
  connected = false;
  readonly subscribes: SubscribeCall[] = [];
  readonly emitted: { ev: string; req: unknown }[] = [];
  private readonly handlers = new Map<string, Set<Handler>>();

  on(ev: string, fn: Handler) {
    if (!this.handlers.has(ev)) this.handlers.set(ev, new Set());
    this.handlers.get(ev)!.add(fn);
    return this;
  }
  off(ev: string, fn: Handler) {
    this.handlers.get(ev)?.delete(fn);
    return this;
  }
  fire(ev: string, ...args: unknown[]) {
    for (const fn of this.handlers.get(ev) ?? []) fn(...args);
  }
  connect() {
    this.connected = true;
    this.fire('connect');
    return this;
  }
  disconnect() {
    if (this.connected) {
      this.connected = false;
      this.fire('disconnect', 'io client disconnect');
    }
    return this;
  }
  /** The server went away. */
  drop() {
    this.connected = false;
    this.fire('disconnect', 'transport close');
  }
  emit(ev: string, req: unknown) {
    this.emitted.push({ ev, req });
    return this;
  }
  timeout(_ms: number) {
    return {
      emit: (ev: string, req: unknown, cb: (err: Error | null, res?: Ack<ViewSnapshot>) => void) => {
        if (ev === 'view:subscribe') this.subscribes.push({ req, reply: cb });
      },
    };
  }
  lastSubscribe(): SubscribeCall {
    const s = this.subscribes.at(-1);
    if (!s) throw new Error('no subscribe sent');
    return s;
  }
}

function setup(registryVersion = 'r1') {
  const frames = manualScheduler();
  const store = new LiveStore({ view: 'wall', schedule: frames.schedule });
  const socket = new FakeSocket();
  const registry: DevicesResponse = { registryVersion, devices: makeDevices(4) };
  const loadRegistry = vi.fn(async () => registry);
  const conn = connectLive({ view: 'wall', store, socket: socket as unknown as IocSocket, loadRegistry, retryDelayMs: 100 });
  return { store, socket, loadRegistry, registry, conn };
}

describe('connectLive', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('subscribes on connect, loads the registry the snapshot names, then applies it', async () => {
    const { store, socket, loadRegistry, conn } = setup();
    expect(socket.subscribes).toHaveLength(1);
    expect(socket.lastSubscribe().req).toEqual({ view: 'wall' });
    socket.lastSubscribe().reply(null, { data: makeWallSnapshot({ seq: 10, devices: [{ i: 2, on: 1, ts: 1 }] }) });
    await vi.advanceTimersByTimeAsync(0);
    expect(loadRegistry).toHaveBeenCalledTimes(1);
    expect(store.seq).toBe(10);
    expect(store.on[2]).toBe(1);
    socket.fire('view:delta', makeWallDelta({ seq: 11, devices: [{ i: 3, on: 1, ts: 2 }] }));
    expect(store.on[3]).toBe(1);
    conn.close();
  });

  it('resubscribes on a sequence gap and applies nothing until the fresh snapshot', async () => {
    const { store, socket, conn } = setup();
    socket.lastSubscribe().reply(null, { data: makeWallSnapshot({ seq: 10 }) });
    await vi.advanceTimersByTimeAsync(0);
    socket.fire('view:delta', makeWallDelta({ seq: 13, devices: [{ i: 0, on: 1, ts: 1 }] }));
    expect(socket.subscribes).toHaveLength(2);
    socket.fire('view:delta', makeWallDelta({ seq: 14, devices: [{ i: 0, on: 1, ts: 1 }] }));
    expect(store.on[0]).toBe(0);
    expect(socket.subscribes).toHaveLength(2);
    socket.lastSubscribe().reply(null, { data: makeWallSnapshot({ seq: 14, devices: [{ i: 1, on: 1, ts: 1 }] }) });
    await vi.advanceTimersByTimeAsync(0);
    expect(store.seq).toBe(14);
    expect(Array.from(store.on)).toEqual([0, 1, 0, 0]);
    conn.close();
  });

  it('after a reconnect resubscribes by itself; refetches the registry only when its version changed', async () => {
    const { store, socket, loadRegistry, registry, conn } = setup();
    socket.lastSubscribe().reply(null, { data: makeWallSnapshot({ seq: 10, at: 1234 }) });
    await vi.advanceTimersByTimeAsync(0);

    socket.drop();
    expect(store.connection).toEqual({ status: 'offline', staleSince: 1234 });
    socket.connect();
    expect(socket.subscribes).toHaveLength(2);
    socket.lastSubscribe().reply(null, { data: makeWallSnapshot({ seq: 3 }) });
    await vi.advanceTimersByTimeAsync(0);
    expect(loadRegistry).toHaveBeenCalledTimes(1);
    expect(store.seq).toBe(3);
    expect(store.connection.status).toBe('online');

    socket.drop();
    registry.registryVersion = 'r2';
    socket.connect();
    socket.lastSubscribe().reply(null, { data: makeWallSnapshot({ seq: 1, registryVersion: 'r2' }) });
    await vi.advanceTimersByTimeAsync(0);
    expect(loadRegistry).toHaveBeenCalledTimes(2);
    expect(store.registry?.version).toBe('r2');
    expect(store.seq).toBe(1);
    conn.close();
  });

  it('dials again when the server closed the connection (a restart), which socket.io does not do itself', async () => {
    const { store, socket, conn } = setup();
    socket.lastSubscribe().reply(null, { data: makeWallSnapshot({ seq: 10, at: 1234 }) });
    await vi.advanceTimersByTimeAsync(0);
    socket.connected = false;
    socket.fire('disconnect', 'io server disconnect');
    expect(store.connection).toEqual({ status: 'offline', staleSince: 1234 });
    expect(socket.subscribes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(socket.connected).toBe(true);
    expect(socket.subscribes).toHaveLength(2);
    conn.close();
  });

  it('ignores the answer to a subscribe that a newer one replaced', async () => {
    const { store, socket, conn } = setup();
    const first = socket.lastSubscribe();
    conn.resubscribe();
    socket.lastSubscribe().reply(null, { data: makeWallSnapshot({ seq: 50 }) });
    await vi.advanceTimersByTimeAsync(0);
    first.reply(null, { data: makeWallSnapshot({ seq: 40 }) });
    await vi.advanceTimersByTimeAsync(0);
    expect(store.seq).toBe(50);
    conn.close();
  });

  it('retries a subscribe that timed out or was refused', async () => {
    const { store, socket, conn } = setup();
    socket.lastSubscribe().reply(new Error('operation has timed out'));
    await vi.advanceTimersByTimeAsync(100);
    expect(socket.subscribes).toHaveLength(2);
    socket.lastSubscribe().reply(null, { error: { code: 'BAD_REQUEST', message: 'nope' } });
    expect(store.loadError).toContain('BAD_REQUEST');
    await vi.advanceTimersByTimeAsync(100);
    expect(socket.subscribes).toHaveLength(3);
    conn.close();
  });

  it('shows a protocol mismatch and stops reconnecting', () => {
    const { store, socket, conn } = setup();
    socket.fire('connect_error', new Error('PROTOCOL_MISMATCH'));
    expect(store.connection.status).toBe('mismatch');
    expect(socket.connected).toBe(false);
    conn.close();
  });

  it('marks the data stale when frames stop while the socket still looks connected', async () => {
    const { store, socket, conn } = setup();
    socket.lastSubscribe().reply(null, { data: makeWallSnapshot({ seq: 10, at: 777 }) });
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(store.connection.status).toBe('online');
    await vi.advanceTimersByTimeAsync(3_000);
    expect(store.connection).toEqual({ status: 'offline', staleSince: 777 });
    socket.fire('view:delta', makeWallDelta({ seq: 11, at: 9_999 }));
    expect(store.connection.status).toBe('online');
    conn.close();
  });

  it('paused for the time machine: unsubscribes, applies no live frame, never calls the silence stale; resume resubscribes', async () => {
    const { store, socket, conn } = setup();
    socket.lastSubscribe().reply(null, { data: makeWallSnapshot({ seq: 10, at: 5_000, devices: [{ i: 0, on: 1, ts: 1 }] }) });
    await vi.advanceTimersByTimeAsync(0);
    conn.pause();
    expect(socket.emitted).toEqual([{ ev: 'view:unsubscribe', req: { view: 'wall' } }]);
    const past = { ...makeWallSnapshot({ seq: 0, at: 1_000, devices: [{ i: 2, on: 1, ts: 900 }] }), historic: { at: 1_000 } };
    expect(store.applyHistoric(past)).toBe('applied');
    socket.fire('view:delta', makeWallDelta({ seq: 11, devices: [{ i: 3, on: 1, ts: 2 }] }));
    expect(Array.from(store.on)).toEqual([0, 0, 1, 0]);
    expect(store.historicAt).toBe(1_000);
    expect(store.frameAt).toBe(1_000);
    // A drop while in the past dates the stale data by the newest live frame, not the past instant.
    socket.drop();
    expect(store.connection).toEqual({ status: 'offline', staleSince: 5_000 });
    // A reconnect while in the past does not pull the live snapshot in.
    socket.connect();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(socket.subscribes).toHaveLength(1);
    expect(store.historicAt).toBe(1_000);
    expect(store.connection.status).toBe('online');
    conn.resume();
    expect(socket.subscribes).toHaveLength(2);
    socket.lastSubscribe().reply(null, { data: makeWallSnapshot({ seq: 40, at: 9_000, devices: [{ i: 1, on: 1, ts: 8_000 }] }) });
    await vi.advanceTimersByTimeAsync(0);
    expect(store.historicAt).toBeNull();
    expect(store.frameAt).toBe(9_000);
    expect(Array.from(store.on)).toEqual([0, 1, 0, 0]);
    socket.fire('view:delta', makeWallDelta({ seq: 41, devices: [{ i: 3, on: 1, ts: 9_100 }] }));
    expect(store.on[3]).toBe(1);
    conn.close();
  });
});
