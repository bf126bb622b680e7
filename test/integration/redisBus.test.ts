/** The instances' bus on a real Redis: messages, requests, an outage counted and survived, its bounds. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { connectRedisBus, PENDING_REQUESTS_CAP, type RedisBus } from '../../server/cluster/redisBus';
import { startRedis, type RedisServer } from '../support/redisServer';
import { waitFor } from '../support/harness';

const log = pino({ level: 'silent' });
let redis: RedisServer;
const buses: RedisBus[] = [];
const bus = async (instance: string, province = 'quang-ngai') => {
  const b = await connectRedisBus({ url: redis.url, province, instance, log });
  buses.push(b);
  return b;
};

beforeEach(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  for (const b of buses.splice(0)) await b.close();
  await redis.stop();
});

describe('redis bus', () => {
  it('delivers a message to every other instance of the province, never back to its sender or to another province', async () => {
    const [a, b, c, other] = [await bus('a'), await bus('b'), await bus('c'), await bus('x', 'son-la')];
    const got: Record<string, unknown[]> = { a: [], b: [], c: [], x: [] };
    for (const [name, x] of [['a', a], ['b', b], ['c', c], ['x', other]] as const) x.subscribe('readings', (p, from) => got[name]!.push([from, p]));
    a.publish('readings', { n: 1 });
    await waitFor('b and c to get it', () => got.b!.length === 1 && got.c!.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual({ a: [], b: [['a', { n: 1 }]], c: [['a', { n: 1 }]], x: [] });
    expect(a.state()).toMatchObject({ via: 'redis', connected: true, sent: 1, dropped: 0 });
  });

  it('answers a request from the one instance that has an answer; none gives undefined after the timeout', async () => {
    const [a, b, c] = [await bus('a'), await bus('b'), await bus('c')];
    b.respond('alarm:action', () => undefined);
    c.respond('alarm:action', async (p) => ({ done: p }));
    expect(await a.request('alarm:action', 7, 2000)).toEqual({ done: 7 });
    const t0 = Date.now();
    expect(await a.request('nobody', 1, 300)).toBeUndefined();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('counts what it cannot send while Redis is down, never crashes, and works again when Redis is back', async () => {
    const [a, b] = [await bus('a'), await bus('b')];
    const got: unknown[] = [];
    b.subscribe('readings', (p) => got.push(p));
    await redis.kill();
    await waitFor('the bus to see Redis gone', () => !a.state().connected);
    for (let k = 0; k < 100; k++) a.publish('readings', k);
    expect(await a.request('x', 1, 200)).toBeUndefined();
    expect(a.state().dropped).toBeGreaterThanOrEqual(100);
    expect(a.state().error).not.toBeNull();
    await redis.restart();
    await waitFor('both buses back', () => a.state().connected && b.state().connected, 10_000);
    // Subscriptions come back by themselves after the reconnect.
    await waitFor('a message after the outage', async () => {
      a.publish('readings', 'after');
      await new Promise((r) => setTimeout(r, 50));
      return got.includes('after');
    }, 10_000);
    expect(got.filter((g) => typeof g === 'number')).toEqual([]);
  });

  it('bounds the requests waiting for an answer', async () => {
    const a = await bus('a');
    const waiting = Array.from({ length: PENDING_REQUESTS_CAP }, () => a.request('slow', 1, 5_000));
    const t0 = Date.now();
    expect(await a.request('slow', 1, 5_000)).toBeUndefined();
    expect(Date.now() - t0).toBeLessThan(1_000);
    await a.close();
    expect(await Promise.all(waiting)).toEqual(Array(PENDING_REQUESTS_CAP).fill(undefined));
  });
});
