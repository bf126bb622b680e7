/**
 * The instances' bus on Redis pub/sub (ioredis), beside the Socket.IO streams adapter on the same Redis.
 * One channel per province carries every instance's messages (each skips its own); requests are answered on
 * the asker's own channel. Pub/sub, not a stream: what the bus carries is live state (a tick's readings, the
 * leader's alarm changes) whose durable copy is in PostgreSQL, so a message lost while Redis is away is
 * counted, shown, and repaired by the next resync, never queued without bound.
 *
 * The publishing client has no offline queue: a message sent while Redis is down fails at once (counted as
 * dropped) instead of piling up in memory. (The streams adapter's own ephemeral publishes are not caught by the
 * adapter; so Socket.IO's serverSideEmit is not used here, and no unhandled rejection can come of a Redis blip.)
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../log';
import type { BusHandler, BusResponder, BusState, InstanceBus } from './bus';

/** A request's answers are collected this long at most. */
export const MAX_REQUEST_MS = 30_000;
/** Requests waiting for an answer at most; past it a new one fails at once. */
export const PENDING_REQUESTS_CAP = 1_000;

type Envelope =
  | { k: 'pub'; from: string; ch: string; p: unknown }
  | { k: 'req'; from: string; ch: string; id: string; p: unknown }
  | { k: 'res'; from: string; id: string; p: unknown };

export interface RedisBusOptions {
  url: string;
  /** Instances of one province share a bus. */
  province: string;
  instance: string;
  log: Logger;
}

export interface RedisBus extends InstanceBus {
  close(): Promise<void>;
}

export async function connectRedisBus(o: RedisBusOptions): Promise<RedisBus> {
  const common = { lazyConnect: true, connectTimeout: 5_000, retryStrategy: (n: number) => Math.min(200 * n, 2_000) };
  const pub = new Redis(o.url, { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const sub = new Redis(o.url, { ...common, maxRetriesPerRequest: null });
  const all = `ioc:${o.province}:bus`;
  const mine = `${all}:${o.instance}`;
  const handlers = new Map<string, Set<BusHandler>>();
  const responders = new Map<string, BusResponder>();
  const pending = new Map<string, { resolve: (v: unknown) => void; timer: NodeJS.Timeout }>();
  const st = { sent: 0, received: 0, dropped: 0, error: null as string | null };
  let closed = false;

  const onError = (err: Error) => {
    if (st.error !== err.message) o.log.warn({ err: err.message }, 'redis bus error');
    st.error = err.message;
  };
  pub.on('error', onError);
  sub.on('error', onError);
  // A closed connection says so even before a reconnect attempt fails with an error of its own.
  const onClose = () => {
    if (!closed && st.error === null) onError(new Error('connection to Redis closed'));
  };
  pub.on('close', onClose);
  sub.on('close', onClose);
  const onReady = () => {
    if (pub.status === 'ready' && sub.status === 'ready') st.error = null;
  };
  pub.on('ready', onReady);
  sub.on('ready', onReady);

  const send = (channel: string, e: Envelope): boolean => {
    if (pub.status !== 'ready') {
      st.dropped++;
      return false;
    }
    st.sent++;
    pub.publish(channel, JSON.stringify(e)).catch((err: Error) => {
      st.dropped++;
      onError(err);
    });
    return true;
  };

  sub.on('messageBuffer', (_channel: Buffer, raw: Buffer) => {
    let e: Envelope;
    try {
      e = JSON.parse(raw.toString('utf8')) as Envelope;
    } catch {
      return;
    }
    if (e.from === o.instance) return;
    st.received++;
    if (e.k === 'pub') {
      for (const h of handlers.get(e.ch) ?? []) {
        try {
          h(e.p, e.from);
        } catch (err) {
          o.log.error({ err, channel: e.ch }, 'bus handler failed');
        }
      }
    } else if (e.k === 'req') {
      const r = responders.get(e.ch);
      if (!r) return;
      const from = e.from;
      const id = e.id;
      Promise.resolve()
        .then(() => r(e.p, from))
        .then(
          (answer) => {
            if (answer !== undefined) send(`${all}:${from}`, { k: 'res', from: o.instance, id, p: answer });
          },
          (err: unknown) => o.log.error({ err, channel: e.ch }, 'bus responder failed'),
        );
    } else if (e.k === 'res') {
      const w = pending.get(e.id);
      if (!w) return;
      pending.delete(e.id);
      clearTimeout(w.timer);
      w.resolve(e.p);
    }
  });

  await Promise.all([pub.connect(), sub.connect()]).catch((err: Error) => onError(err));
  await sub.subscribe(all, mine).catch((err: Error) => onError(err));
  // After a reconnect ioredis subscribes again by itself (autoResubscribe).

  return {
    instance: o.instance,
    publish(channel, payload) {
      send(all, { k: 'pub', from: o.instance, ch: channel, p: payload });
    },
    subscribe(channel, handler) {
      let set = handlers.get(channel);
      if (!set) handlers.set(channel, (set = new Set()));
      set.add(handler);
      return () => set.delete(handler);
    },
    request(channel, payload, timeoutMs) {
      if (pending.size >= PENDING_REQUESTS_CAP) return Promise.resolve(undefined);
      const id = randomUUID();
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve(undefined);
        }, Math.min(timeoutMs, MAX_REQUEST_MS));
        pending.set(id, { resolve, timer });
        if (!send(all, { k: 'req', from: o.instance, ch: channel, id, p: payload })) {
          pending.delete(id);
          clearTimeout(timer);
          resolve(undefined);
        }
      });
    },
    respond(channel, responder) {
      responders.set(channel, responder);
      return () => responders.delete(channel);
    },
    state(): BusState {
      return { via: 'redis', connected: !closed && pub.status === 'ready' && sub.status === 'ready', error: st.error, sent: st.sent, received: st.received, dropped: st.dropped };
    },
    async close() {
      closed = true;
      for (const w of pending.values()) {
        clearTimeout(w.timer);
        w.resolve(undefined);
      }
      pending.clear();
      pub.disconnect();
      sub.disconnect();
    },
  };
}
