/**
 * The cluster part's rig: `npm run cluster`'s own startCluster (Debian's PostgreSQL, Redis, Mosquitto and
 * nginx; N instances; no fleet) in a folder, an admin session on it, and what a rate search needs from it: a
 * publisher through Mosquitto with the gateway credential, and a count that says how much every instance has
 * taken (its own share of the subscription and what the others relayed to it).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HealthResponse } from '../../shared/events';
import { readCredentialsFile } from '../../server/broker/gatewayFile';
import type { ClusterBinaries } from '../../server/cluster/local/binaries';
import { startCluster, type Cluster } from '../../server/cluster/local/cluster';
import type { Part } from '../../server/cluster/local/parts';
import { freePort } from '../../server/cluster/local/ports';
import { Publisher, droppedOf, type Consumer, type Qos } from './rig';
import { descendantPids } from './system';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

type InstanceHealth = HealthResponse & { cluster?: { relay?: { received?: number; dropped?: number }; sessions?: { adopted: string[] } }; leadership?: { leader: boolean }; realtime?: { clients: number }; eventLoop?: { p99Ms: number } | null };

export interface ClusterInstance {
  name: string;
  url: string;
  pid: number;
  part: Part;
  health(): Promise<InstanceHealth>;
}

export interface ClusterRig {
  cluster: Cluster;
  dir: string;
  /** nginx. */
  url: string;
  instances: ClusterInstance[];
  /** An admin session (sessions live in PostgreSQL: good on every instance). */
  cookie: string;
  mqttUrl: string;
  gateway: { username: string; password: string };
  /** Name → pid(s) of the parts whose CPU is reported: instances, mosquitto, redis, postgres with its backends, nginx and its worker. */
  pids(): Record<string, number | number[]>;
  stop(): Promise<void>;
}

/** A cluster in `dir` (kept between starts: PostgreSQL is initialised once), logged in as its first admin. */
export async function startClusterRig(bins: ClusterBinaries, dir: string, instances: number): Promise<ClusterRig> {
  const cluster = await startCluster({ root: ROOT, dir, port: await freePort(), instances, province: 'quang-ngai', fleet: false, bins, env: { ...process.env, LOG_LEVEL: 'warn' }, print: () => undefined });
  try {
    const password = readFileSync(path.join(dir, 'admin-password'), 'utf8').trim();
    const res = await fetch(`${cluster.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
    const cookie = res.headers
      .getSetCookie()
      .find((x) => x.startsWith('ioc.sid='))
      ?.split(';')[0];
    if (!cookie) throw new Error(`login to the cluster failed: HTTP ${res.status}`);
    const part = (name: string) => cluster.parts.find((p) => p.name === name)!;
    const inst = cluster.parts
      .filter((p) => p.name.startsWith('ioc-'))
      .map((p): ClusterInstance => {
        const url = /http:\/\/[\d.]+:\d+/.exec(p.where)![0];
        return {
          name: p.name,
          url,
          pid: p.pid,
          part: p,
          health: async () => {
            const r = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5000), headers: { cookie } });
            if (!r.ok) throw new Error(`${p.name} /api/health: HTTP ${r.status}`);
            return (await r.json()) as InstanceHealth;
          },
        };
      });
    const mosquitto = part('mosquitto');
    const postgres = part('postgres');
    const nginx = part('nginx');
    return {
      cluster,
      dir,
      url: cluster.url,
      instances: inst,
      cookie,
      mqttUrl: mosquitto.where,
      gateway: readCredentialsFile(path.join(dir, 'mosquitto', 'gateway.json')),
      pids: () => ({
        ...Object.fromEntries(inst.map((i) => [i.name, i.pid])),
        broker: mosquitto.pid,
        redis: part('redis').pid,
        // The postmaster does little; its backends (one per pooled connection) do the writing.
        postgres: [postgres.pid, ...descendantPids(postgres.pid)],
        nginx: [nginx.pid, ...descendantPids(nginx.pid)],
      }),
      stop: () => cluster.stop(),
    };
  } catch (err) {
    await cluster.stop();
    throw err;
  }
}

/**
 * What the cluster has taken, as a rate search counts it: the least any instance has applied (its own share
 * of the shared subscription, its history, and what the other instances relayed to it). A reading counts
 * once every instance has it; an instance that took its share but fell behind on the relay holds the count back.
 */
export function clusterConsumer(rig: ClusterRig): Consumer & { health(): Promise<{ eventLoop?: { p99Ms: number } | null }> } {
  const first = rig.instances[0]!;
  return {
    pid: first.pid,
    child: {
      name: rig.instances.map((i) => i.name).join('+'),
      get alive() {
        return rig.instances.every((i) => i.part.exit === null);
      },
      get exitDescription() {
        const dead = rig.instances.find((i) => i.part.exit !== null);
        return dead ? `${dead.name}: ${dead.part.exit!.signal ?? `code ${dead.part.exit!.code}`}` : 'running';
      },
      tail: () => `(logs in ${path.join(rig.dir, 'logs')})`,
    },
    count: async () => {
      const hs = await Promise.all(rig.instances.map((i) => i.health()));
      let least = Infinity;
      for (const [k, h] of hs.entries()) {
        const rejected = Object.values(h.ingest.rejected).reduce((s, n) => s + n, 0);
        if (rejected > 0) throw new Error(`${rig.instances[k]!.name} rejected ${rejected} bench messages: ${JSON.stringify(h.ingest.rejected)}`);
        least = Math.min(least, h.ingest.accepted + h.ingest.history + (h.cluster?.relay?.received ?? 0));
      }
      return least;
    },
    lost: async () => (await Promise.all(rig.instances.map((i) => i.health()))).reduce((n, h) => n + droppedOf(h), 0),
    health: async () => {
      const hs = await Promise.all(rig.instances.map((i) => i.health()));
      const worst = Math.max(...hs.map((h) => h.eventLoop?.p99Ms ?? 0));
      return { eventLoop: { p99Ms: worst } };
    },
    stop: () => rig.stop(),
  };
}

/** A cluster ready for a rate search: the rig, a publisher through Mosquitto, and the consumer over every instance. */
export async function clusterSearchRig(bins: ClusterBinaries, dir: string, instances: number, qos: Qos) {
  const rig = await startClusterRig(bins, dir, instances);
  try {
    const pub = await Publisher.start(rig.mqttUrl, qos, { credentials: rig.gateway });
    return { rig, pub, consumer: clusterConsumer(rig), pids: { ...rig.pids(), publisher: pub.child.pid } };
  } catch (err) {
    await rig.stop();
    throw err;
  }
}
