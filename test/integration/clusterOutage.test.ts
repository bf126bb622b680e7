/**
 * Issue 16, point 3: Redis, then PostgreSQL, killed for a few seconds under a running cluster (two instances,
 * real Mosquitto, Redis and PostgreSQL, `npm run cluster`'s startCluster) while readings keep coming. Each
 * instance says what is wrong in its wall's header (the frames' `degraded`), recovers by itself when the engine
 * is back, and nothing accepted is lost: every reading published during the outages is in the store after, and
 * no bounded queue dropped a row.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MqttClient } from 'mqtt';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DependencyName } from '../../shared/health';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { readCredentialsFile } from '../../server/broker/gatewayFile';
import { findClusterBinaries, type ClusterBinaries } from '../../server/cluster/local/binaries';
import { startCluster, type Cluster } from '../../server/cluster/local/cluster';
import { redisArgs } from '../../server/cluster/local/configs';
import { signalGroup } from '../../server/cluster/local/parts';
import { pgCommand } from '../../server/cluster/local/postgres';
import { loadRegistry } from '../../server/provinces/load';
import { expectEveryReadingStored, feedGauges } from '../support/gaugeFeed';
import { connectMqtt, subscribe, waitFor, type TestSocket } from '../support/harness';
import { freePort } from '../support/ports';
import { logIn } from '../support/session';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let cluster: Cluster | undefined;
let bins: ClusterBinaries;
let dir = '';
let mqtt: MqttClient | undefined;
const sockets: TestSocket[] = [];
/** Engines restarted by the test (the cluster's own parts are gone by then): stopped at the end. */
const restarted: ChildProcess[] = [];

beforeAll(async () => {
  const found = findClusterBinaries();
  if (!found.ok) throw new Error(`the cluster test needs ${found.missing.join(', ')}: ${found.install}`);
  bins = found.bins;
  dir = mkdtempSync(path.join(tmpdir(), 'ioc-outage-'));
  cluster = await startCluster({ root: ROOT, dir, port: await freePort(), instances: 2, province: 'quang-ngai', fleet: false, bins, env: { ...process.env, LOG_LEVEL: 'warn' }, print: () => undefined });
}, 180_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await mqtt?.endAsync(true).catch(() => undefined);
  await cluster?.stop();
  for (const c of restarted) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    const gone = new Promise((r) => c.once('exit', r));
    // PostgreSQL's fast shutdown; Redis stops on either.
    signalGroup(c.pid!, 'SIGINT');
    await Promise.race([gone, new Promise((r) => setTimeout(r, 10_000))]);
    signalGroup(c.pid!, 'SIGKILL');
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

function restart(file: string, args: string[]): ChildProcess {
  const c = spawn(file, args, { stdio: 'ignore', detached: true });
  restarted.push(c);
  return c;
}

interface Health {
  dependencies: { name: DependencyName; ok: boolean }[];
  leadership: { leader: boolean };
  store: { writer: { queued: number; dropped: number; written: number }; tickBuffer: { dropped: number } };
  cluster: { relay: { received: number; dropped: number } };
}

describe('Redis and PostgreSQL lost for a few seconds under a running cluster', () => {
  it('says what is wrong, recovers by itself, and keeps every reading accepted', { timeout: 150_000 }, async () => {
    const c = cluster!;
    const part = (name: string) => c.parts.find((p) => p.name === name)!;
    const inst = c.parts.filter((p) => p.name.startsWith('ioc-'));
    const urls = inst.map((p) => /http:\/\/[\d.]+:\d+/.exec(p.where)![0]);
    const admin = await logIn(urls[0]!, 'admin', readFileSync(path.join(dir, 'admin-password'), 'utf8').trim());
    const health = async (k: number) => (await (await admin.fetch(`${urls[k]}/api/health`)).json()) as Health;
    // A wall on each instance, straight (not through nginx): what its header would say.
    const walls = await Promise.all(
      urls.map((url) => {
        const s = io(url, { transports: ['websocket'], auth: { protocolVersion: PROTOCOL_VERSION }, reconnection: false, forceNew: true, extraHeaders: { cookie: admin.cookie } }) as TestSocket;
        sockets.push(s);
        return subscribe(s, 'wall');
      }),
    );
    const latestDegraded = (k: number) => (walls[k]!.deltas.at(-1)?.degraded ?? []).map((d) => d.name);
    const bothSay = (name: DependencyName, down: boolean) => [0, 1].every((k) => latestDegraded(k).includes(name) === down);

    // Readings all along: five river gauges, each every 100 ms, QoS 1, below every alarm level.
    const gauges = loadRegistry('quang-ngai')
      .registry.devices.filter((d) => d.type === 'hydro')
      .slice(0, 5);
    mqtt = await connectMqtt(part('mosquitto').where, { clientId: 'outage-test', ...readCredentialsFile(path.join(dir, 'mosquitto', 'gateway.json')) });
    const feed = feedGauges(mqtt, gauges, 100);
    await new Promise((r) => setTimeout(r, 1000));

    // Redis killed: both headers say so; back: both recover and relay to each other again.
    const redis = part('redis');
    const redisPort = Number(/:(\d+)$/.exec(redis.where)![1]);
    signalGroup(redis.pid, 'SIGKILL');
    await waitFor('both walls saying Redis is down', () => bothSay('redis', true), 15_000);
    await new Promise((r) => setTimeout(r, 3000));
    restart(bins.redis, redisArgs(redisPort, path.join(dir, 'redis')));
    await waitFor('both walls clear of Redis', () => bothSay('redis', false), 30_000);
    const relayed = (await Promise.all([health(0), health(1)])).map((h) => h.cluster.relay.received);
    await waitFor('the relay moving again both ways', async () => (await Promise.all([health(0), health(1)])).every((h, k) => h.cluster.relay.received > relayed[k]!), 15_000);

    // PostgreSQL killed: both headers say so (the leader check and the writer fail); back: both recover, one leads.
    const postgres = part('postgres');
    const pgPort = Number(/^127\.0\.0\.1:(\d+)/.exec(postgres.where)![1]);
    signalGroup(postgres.pid, 'SIGKILL');
    await waitFor('both walls saying PostgreSQL is down', () => bothSay('postgresql', true), 30_000);
    await new Promise((r) => setTimeout(r, 3000));
    const pgDir = path.join(dir, 'postgres');
    const cmd = pgCommand(bins.pg, 'postgres', ['-D', path.join(pgDir, 'data'), '-p', String(pgPort), '-k', pgDir, '-c', 'listen_addresses=127.0.0.1']);
    restart(cmd.file, cmd.args);
    await waitFor('both walls clear of PostgreSQL and the store', () => bothSay('postgresql', false) && bothSay('store', false), 60_000);

    await feed.stop();
    await waitFor('both writers drained', async () => (await Promise.all([health(0), health(1)])).every((h) => h.store.writer.queued === 0), 30_000);
    const after = await Promise.all([health(0), health(1)]);
    expect(after.filter((h) => h.leadership.leader)).toHaveLength(1);
    for (const h of after) {
      expect(h.store.writer.dropped).toBe(0);
      expect(h.store.tickBuffer.dropped).toBe(0);
    }

    // Every reading published, Redis and PostgreSQL outages included, is in the store once.
    const total = await expectEveryReadingStored(admin, urls[1]!, feed.published);
    expect(total).toBeGreaterThan(200);
  });
});
