/**
 * How an instance joins the others (DESIGN.md "Scale path"): with REDIS_URL, the instances' bus (redisBus.ts) and
 * a connection of its own for the Socket.IO Redis streams adapter; without, a solo bus and no adapter.
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import type { ServerOptions } from 'socket.io';
import type { Logger } from '../log';
import { soloBus, type InstanceBus } from './bus';
import { connectRedisBus } from './redisBus';

export interface Joined {
  bus: InstanceBus;
  /** The Socket.IO adapter joining the instances' sockets; undefined alone. */
  adapter: ServerOptions['adapter'] | undefined;
  close(): Promise<void>;
}

export async function joinInstances(o: { redisUrl?: string; province: string; instance: string; log: Logger }): Promise<Joined> {
  if (!o.redisUrl) return { bus: soloBus(o.instance), adapter: undefined, close: async () => undefined };
  const bus = await connectRedisBus({ url: o.redisUrl, province: o.province, instance: o.instance, log: o.log });
  const redis = new Redis(o.redisUrl, { maxRetriesPerRequest: 1, retryStrategy: (n) => Math.min(200 * n, 2_000) });
  redis.on('error', () => undefined); // the bus reports Redis's state; the adapter retries by itself
  return {
    bus,
    adapter: createAdapter(redis, { streamName: `ioc:${o.province}:socket.io` }),
    close: async () => {
      redis.disconnect();
      await bus.close();
    },
  };
}
