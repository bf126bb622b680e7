/**
 * Part 8: the cluster (issue 16), on `npm run cluster`'s own startCluster (Debian's PostgreSQL, Redis,
 * Mosquitto and nginx; N instances, no fleet). Three checks (`--cluster-checks`):
 * - failover: two walls subscribed through nginx (round robin: one on each instance), the leader killed with
 *   SIGKILL; the time from the kill to the first delta on the wall that was on it (the later of the two walls),
 *   to the other instance holding the leader lock, and to it adopting the killed one's ingest session. A fresh
 *   cluster per kill.
 * - ingest: the highest rate one instance, then two sharing the subscription (`$share/ioc/…`), sustain through
 *   Mosquitto (the ingest part's search, a reading counted once every instance has applied it: its own or
 *   relayed), with every part's CPU at the best step, so that where the limit is can be read off.
 * - fanout: 1,000 wall clients through nginx on one instance, then spread over two; each instance's CPU, nginx's,
 *   and the bytes each client receives, under the demo fleet's load published through Mosquitto.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { findClusterBinaries, type ClusterBinaries } from '../../server/cluster/local/binaries';
import { signalGroup } from '../../server/cluster/local/parts';
import type { BenchOptions } from '../options';
import { figure, type Figure, type PartOutcome } from '../report';
import { clusterSearchRig, startClusterRig } from '../lib/clusterRig';
import { Publisher, sleep } from '../lib/rig';
import { cpuMeter, loadAvg1 } from '../lib/system';
import { clientsReport, demoRate, startClients } from './live';
import { searchRate, type SearchResult } from './throughput';

const TARGET_MS = 5_000;
const SCALE_TARGET = 1.6;

async function until<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number): Promise<T | undefined> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  return undefined;
}

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'ioc-bench-cluster-'));
}

/** One kill's times from the SIGKILL, ms (Infinity when it never happened within 30 s). */
interface KillTimes {
  wallMs: number;
  leaderMs: number;
  adoptMs: number;
}

async function oneKill(bins: ClusterBinaries, log: (s: string) => void): Promise<KillTimes> {
  const dir = tempDir();
  const rig = await startClusterRig(bins, dir, 2);
  const sockets: Socket[] = [];
  try {
    const leads = async (k: number) => (await rig.instances[k]!.health()).leadership?.leader === true;
    let killedAt = 0;
    const resumed = [0, 0];
    for (const k of [0, 1]) {
      const s = io(rig.url, { transports: ['websocket'], auth: { protocolVersion: PROTOCOL_VERSION }, forceNew: true, reconnectionDelay: 200, reconnectionDelayMax: 1000, extraHeaders: { cookie: rig.cookie } });
      sockets.push(s);
      s.on('connect', () => void s.timeout(5000).emitWithAck('view:subscribe', { view: 'wall' }).catch(() => undefined));
      s.on('view:delta', () => {
        if (killedAt > 0 && resumed[k] === 0) resumed[k] = Date.now();
      });
    }
    if (!(await until(() => sockets.every((s) => s.connected), 10_000))) throw new Error('walls through nginx did not connect');
    await sleep(1000);
    const leader = (await leads(0)) ? 0 : 1;
    killedAt = Date.now();
    signalGroup(rig.instances[leader]!.pid, 'SIGKILL');
    const leaderAt = await until(async () => ((await leads(1 - leader).catch(() => false)) ? Date.now() : undefined), 30_000);
    await until(() => resumed.every((t) => t > 0), 30_000);
    const adopted = async () => ((await rig.instances[1 - leader]!.health().catch(() => undefined))?.cluster?.sessions?.adopted.length ?? 0) > 0;
    const adoptedAt = await until(async () => ((await adopted()) ? Date.now() : undefined), 30_000);
    const wallMs = resumed.every((t) => t > 0) ? Math.max(...resumed) - killedAt : Infinity;
    const leaderMs = leaderAt ? leaderAt - killedAt : Infinity;
    const adoptMs = adoptedAt ? adoptedAt - killedAt : Infinity;
    log(`    kill of ${rig.instances[leader]!.name}: walls live again after ${wallMs} ms, lock moved after ${leaderMs} ms, session adopted after ${adoptMs} ms`);
    return { wallMs, leaderMs, adoptMs };
  } finally {
    for (const s of sockets) s.disconnect();
    await rig.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function failover(o: BenchOptions, bins: ClusterBinaries, log: (s: string) => void): Promise<{ figures: Figure[]; details: unknown[] }> {
  const kills = o.quick ? 2 : 5;
  const runs: KillTimes[] = [];
  for (let k = 0; k < kills; k++) runs.push(await oneKill(bins, log));
  const wall = runs.map((r) => r.wallMs);
  const worst = Math.max(...wall);
  return {
    figures: [
      figure('cluster', 'fail-over: kill → first delta on its wall', 'ms', wall, `${kills} kills of the leader, walls through nginx; max ${worst} ms; target ≤ ${TARGET_MS} ms: ${worst <= TARGET_MS ? 'pass' : 'FAIL'}`),
      figure('cluster', 'fail-over: kill → the other instance leads', 'ms', runs.map((r) => r.leaderMs), 'PostgreSQL advisory lock, rechecked every 3 s'),
      figure('cluster', "fail-over: kill → the killed one's ingest session adopted", 'ms', runs.map((r) => r.adoptMs), 'its session lock free at two checks 1 s apart; meanwhile the broker queues its share'),
    ],
    details: runs.map((r) => ({ check: 'failover', ...r })),
  };
}

/** Each part's CPU at the best step, as "ioc-a 95 %, ioc-b 93 %, …". */
function cpuLine(cpu: Record<string, number> | null): string {
  if (!cpu) return 'no passing step';
  return Object.entries(cpu)
    .map(([k, v]) => `${k} ${v} %`)
    .join(', ');
}

async function ingest(o: BenchOptions, bins: ClusterBinaries, log: (s: string) => void): Promise<{ figures: Figure[]; details: unknown[] }> {
  const qos = o.qos[0] ?? 0;
  const rates: Record<1 | 2, number[]> = { 1: [], 2: [] };
  const ratios: number[] = [];
  const cpuTotals: Record<1 | 2, number[]> = { 1: [], 2: [] };
  const details: unknown[] = [];
  const median = (xs: number[]) => (xs.length === 0 ? 0 : [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!);
  for (let run = 0; run < o.runs; run++) {
    const found: Partial<Record<1 | 2, SearchResult>> = {};
    for (const n of [1, 2] as const) {
      log(`  ingest through Mosquitto, ${n} instance${n > 1 ? 's' : ''} (QoS ${qos}), run ${run + 1}/${o.runs} (load ${loadAvg1()})`);
      const dir = tempDir();
      try {
        const r = await searchRate(
          o,
          {
            up: () => clusterSearchRig(bins, dir, n, qos),
            down: async (rig) => {
              if (!rig) return;
              await rig.pub.stop();
              await rig.consumer.stop();
            },
            confirm: true,
          },
          log,
          median(rates[n]),
        );
        found[n] = r;
        rates[n].push(r.rate);
        const total = r.cpuAtBest ? Object.values(r.cpuAtBest).reduce((s, v) => s + (Number.isFinite(v) ? v : 0), 0) : 0;
        cpuTotals[n].push(total);
        log(`    ${n} instance${n > 1 ? 's' : ''}: ${r.rate} msg/s${r.confirmed ? ' confirmed' : ''}; CPU at the best step: ${cpuLine(r.cpuAtBest)} (all ${Math.round(total)} % of 200 %)`);
        details.push({ check: 'ingest', instances: n, qos, run, ...r });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    if (found[1]!.rate > 0) ratios.push(found[2]!.rate / found[1]!.rate);
  }
  const worst = ratios.length > 0 ? Math.min(...ratios) : 0;
  const window = o.confirmSec > 0 ? `${o.confirmSec} s confirmed` : `best passing ${o.stepSec} s step`;
  return {
    figures: [
      figure('cluster', `ingest through Mosquitto, 1 instance, QoS ${qos}`, 'msg/s', rates[1], `${window}; PostgreSQL store, Redis relay`),
      figure('cluster', `ingest through Mosquitto, 2 instances sharing, QoS ${qos}`, 'msg/s', rates[2], `${window}; a reading counts once both instances applied it`),
      figure('cluster', 'ingest: 2 instances / 1', 'ratio', ratios, `target ≥ ${SCALE_TARGET}: ${worst >= SCALE_TARGET ? 'pass' : 'FAIL'}`),
      figure('cluster', 'ingest: CPU of every part at the best step, 1 instance', '%', cpuTotals[1], 'instances, Mosquitto, Redis, PostgreSQL and its backends, nginx, publisher; the machine has 200 %'),
      figure('cluster', 'ingest: CPU of every part at the best step, 2 instances', '%', cpuTotals[2], ''),
    ],
    details,
  };
}

/** Wall clients through nginx under the demo fleet's load: each instance's CPU, nginx's, the bytes per client. */
async function fanout(o: BenchOptions, bins: ClusterBinaries, log: (s: string) => void): Promise<{ figures: Figure[]; details: unknown[] }> {
  const rate = demoRate();
  const n = o.clusterClients;
  const figures: Figure[] = [];
  const details: unknown[] = [];
  const perInstance: Record<1 | 2, number[]> = { 1: [], 2: [] };
  const base: Record<1 | 2, number[]> = { 1: [], 2: [] };
  const nginxCpu: Record<1 | 2, number[]> = { 1: [], 2: [] };
  const kbps: Record<1 | 2, number[]> = { 1: [], 2: [] };
  for (let run = 0; run < o.runs; run++) {
    for (const k of [1, 2] as const) {
      const dir = tempDir();
      const rig = await startClusterRig(bins, dir, k);
      let pub: Publisher | undefined;
      try {
        pub = await Publisher.start(rig.mqttUrl, 0, { credentials: rig.gateway });
        void pub.run(rate, 3_600_000).catch(() => undefined);
        await sleep(2000);
        const names = rig.instances.map((i) => i.name);
        const m0 = cpuMeter(rig.pids());
        await sleep(o.fanoutSec * 1000);
        const c0 = m0.stop();
        const clients = await startClients(rig, 'wall', n);
        await sleep(2000);
        clients.send({ cmd: 'mark' });
        const m = cpuMeter({ ...rig.pids(), clients: clients.pid });
        await sleep(o.fanoutSec * 1000);
        const c = m.stop();
        const rep = await clientsReport(clients);
        const spread = await Promise.all(rig.instances.map(async (i) => (await i.health()).realtime?.clients ?? 0));
        await clients.stop();
        if (rep.connected < rep.clients) throw new Error(`${rep.clients - rep.connected} of ${rep.clients} walls lost their connection`);
        const perClient = rep.bytes / rep.clients / rep.seconds / 1024;
        const inst = names.map((x) => c[x]!);
        log(
          `  ${n} walls over ${k} instance${k > 1 ? 's' : ''}, run ${run + 1}/${o.runs}: ${names.map((x, j) => `${x} ${inst[j]!.toFixed(1)} % (no clients ${c0[x]!.toFixed(1)} %, ${spread[j]} sockets)`).join(', ')}, nginx ${c.nginx!.toFixed(1)} %, ${perClient.toFixed(2)} KB/s per client, ${rep.gaps} gaps`,
        );
        perInstance[k].push(Math.max(...inst));
        base[k].push(Math.max(...names.map((x) => c0[x]!)));
        nginxCpu[k].push(c.nginx!);
        kbps[k].push(perClient);
        details.push({ check: 'fanout', instances: k, run, clients: n, rate, cpu: c, baseline: c0, sockets: spread, bytesPerClientPerSec: perClient * 1024, frames: rep.frames, gaps: rep.gaps });
      } finally {
        await pub?.stop();
        await rig.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  const note = `${rate} msg/s (demo fleet) through Mosquitto, ${o.fanoutSec} s, walls through nginx`;
  for (const k of [1, 2] as const) {
    const label = k === 1 ? '1 instance' : '2 instances';
    figures.push(figure('cluster', `fan-out, ${label}: busiest instance's CPU, no clients`, '%', base[k], note));
    figures.push(figure('cluster', `fan-out, ${label}: busiest instance's CPU, ${n} walls`, '%', perInstance[k], k === 2 ? 'nginx spreads the sockets round robin' : ''));
    figures.push(figure('cluster', `fan-out, ${label}: nginx CPU, ${n} walls`, '%', nginxCpu[k], ''));
    figures.push(figure('cluster', `fan-out, ${label}: per client, ${n} walls`, 'KB/s', kbps[k], ''));
  }
  return { figures, details };
}

export async function runCluster(o: BenchOptions, log: (s: string) => void): Promise<PartOutcome> {
  const t0 = performance.now();
  const found = findClusterBinaries();
  if (!found.ok) return { part: 'cluster', status: 'skipped', reason: `needs ${found.missing.join(', ')}: ${found.install}`, seconds: 0, figures: [], details: [] };
  const figures: Figure[] = [];
  const details: unknown[] = [];
  const checks = { failover, ingest, fanout };
  for (const c of o.clusterChecks) {
    log(`  ${c}`);
    const r = await checks[c](o, found.bins, log);
    figures.push(...r.figures);
    details.push(...r.details);
  }
  return { part: 'cluster', status: 'ok', seconds: (performance.now() - t0) / 1000, figures, details };
}
