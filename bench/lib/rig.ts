/**
 * The pieces a part puts together, each in its own process: brokers, the bare subscriber, the
 * server, the publisher, socket clients; and a load step (publish at a rate for a window while
 * sampling what the consumer took and its memory).
 */
import path from 'node:path';
import type { HealthResponse } from '../../shared/events';
import type { PublisherConfig, PublisherShortfall } from '../publisher';
import { judgeSustained, type LoadSample, type SustainOptions, type SustainVerdict } from '../stats';
import { BenchChild, type ChildMessage } from './procs';
import { findMosquitto, rssBytes } from './system';

export type BrokerKind = 'aedes' | 'mosquitto';
export type Qos = 0 | 1;

export interface Broker {
  kind: BrokerKind;
  url: string;
  /** The process doing the broker's work (mosquitto itself, not its keeper). */
  pid: number;
  child: BenchChild;
}

export class SkipError extends Error {}

export async function startBroker(kind: BrokerKind): Promise<Broker> {
  if (kind === 'aedes') {
    const child = new BenchChild('aedes', 'aedesBroker.ts', []);
    const m = await child.waitFor<ChildMessage & { url: string }>('ready', 20_000);
    return { kind, url: m.url, pid: child.pid, child };
  }
  const bin = findMosquitto();
  if (!bin) throw new SkipError('mosquitto is not installed (apt-get install mosquitto)');
  const child = new BenchChild('mosquitto', 'mosquittoProcess.ts', [JSON.stringify({ bin })]);
  const m = await child.waitFor<ChildMessage & { url: string; pid: number }>('ready', 20_000);
  return { kind, url: m.url, pid: m.pid, child };
}

/** Something that takes messages: a count that only grows, and the pid whose memory we watch. */
/** What a load step asks of a consumer's process: whether it still runs, and why not. */
export type ConsumerProcess = Pick<BenchChild, 'name' | 'alive' | 'exitDescription' | 'tail'>;

export interface Consumer {
  pid: number;
  child: ConsumerProcess;
  count(): Promise<number>;
  /**
   * What was accepted and then lost since the start: rows the reading store's bounded queues dropped (the
   * writer's, a tick's buffer) and readings a relay dropped. A step with losses is not sustained: counted as
   * taken, they are not kept.
   */
  lost?(): Promise<number>;
  stop(): Promise<void>;
}

/** What a health answer says was dropped after acceptance (the reading store's queues, the cluster relay). */
export function droppedOf(h: unknown): number {
  const x = h as { store?: { writer?: { dropped?: number }; tickBuffer?: { dropped?: number } }; cluster?: { relay?: { dropped?: number } } };
  return (x.store?.writer?.dropped ?? 0) + (x.store?.tickBuffer?.dropped ?? 0) + (x.cluster?.relay?.dropped ?? 0);
}

export async function startSubscriber(url: string): Promise<Consumer> {
  const child = new BenchChild('subscriber', 'subscriber.ts', [JSON.stringify({ url })]);
  let received = 0;
  child.on((m) => {
    if (m.type === 'progress') received = m.received as number;
  });
  await child.waitFor('ready', 20_000);
  return { pid: child.pid, child, count: async () => received, stop: () => child.stop() };
}

export interface ServerHandle extends Consumer {
  child: BenchChild;
  url: string;
  /** A logged-in read-only session's cookie (`ioc.sid=…`) for clients of this server. */
  cookie: string;
  mqttUrl: string;
  /** The gateway credential of the server's embedded broker (absent with an external broker). */
  gateway?: { username: string; password: string };
  tickMs: number;
  health(): Promise<HealthResponse & { realtime?: { lastTickMs: number; clients: number } }>;
}

let profileRoot: string | undefined;
let storeOn = true;
/** Off: the server processes get a reading store that keeps nothing (what storing costs the ingest). */
export function setServerStore(on: boolean): void {
  storeOn = on;
}
/** With a folder, every server process writes a V8 CPU profile into a subfolder named by its label. */
export function setProfileRoot(dir: string | undefined): void {
  profileRoot = dir;
}

/** `profileDir`: this server's CPU profiles go there, whether or not --profile was given. */
export async function startServer(mqttUrl: string | undefined, label: string, opts: { profileDir?: string } = {}): Promise<ServerHandle> {
  const profileDir = opts.profileDir ?? (profileRoot ? path.join(profileRoot, label.replace(/[^\w.-]+/g, '-')) : undefined);
  const execArgv = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  // Writing a profile at exit takes a while: give the server longer before SIGKILL.
  const child = new BenchChild('server', 'serverProcess.ts', [JSON.stringify({ mqttUrl, store: storeOn })], {}, execArgv, profileDir ? 20_000 : 3000);
  const m = await child.waitFor<ChildMessage & { url: string; mqttUrl: string; gateway?: { username: string; password: string }; tickMs: number; cookie: string }>('ready', 30_000);
  const health = async () => {
    const res = await fetch(`${m.url}/api/health`, { signal: AbortSignal.timeout(5000), headers: { cookie: m.cookie } });
    if (!res.ok) throw new Error(`/api/health: HTTP ${res.status}`);
    return (await res.json()) as HealthResponse & { realtime?: { lastTickMs: number; clients: number } };
  };
  return {
    url: m.url,
    cookie: m.cookie,
    mqttUrl: m.mqttUrl,
    gateway: m.gateway,
    tickMs: m.tickMs,
    pid: child.pid,
    child,
    health,
    count: async () => {
      const h = await health();
      const rejected = Object.values(h.ingest.rejected).reduce((s, n) => s + n, 0);
      if (rejected > 0) throw new Error(`the server rejected ${rejected} bench messages: ${JSON.stringify(h.ingest.rejected)}`);
      return h.ingest.accepted + h.ingest.history;
    },
    lost: async () => droppedOf(await health()),
    stop: () => child.stop(),
  };
}

export interface PublisherDone extends ChildMessage {
  sent: number;
  acked: number;
  elapsedMs: number;
  achievedRate: number;
  probes: [number, number[]][];
  totalSent: number;
  short: PublisherShortfall;
}

export class Publisher {
  private sentTotal = 0;
  private sentAtMs = 0;

  private constructor(readonly child: BenchChild) {
    child.on((m) => {
      if (m.type !== 'progress') return;
      this.sentTotal = m.sent as number;
      this.sentAtMs = m.t as number;
    });
  }

  static async start(url: string, qos: Qos, opts: Partial<PublisherConfig> = {}): Promise<Publisher> {
    const cfg: PublisherConfig = { url, qos, connections: 4, devices: 'real', seed: 1, inflight: 1000, probeEvery: 0, ...opts };
    const child = new BenchChild('publisher', 'publisher.ts', [JSON.stringify(cfg)]);
    await child.waitFor('ready', 30_000);
    return new Publisher(child);
  }

  /** Messages sent since the start, as last reported (every 250 ms). */
  get sent(): number {
    return this.sentTotal;
  }

  /** When the publisher counted `sent` (epoch ms, its own clock). */
  get sentAt(): number {
    return this.sentAtMs;
  }

  run(rate: number, durationMs: number): Promise<PublisherDone> {
    const done = this.child.waitFor<PublisherDone>('done', durationMs + 30_000);
    this.child.send({ cmd: 'run', rate, durationMs });
    return done;
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}

export interface StepResult {
  target: number;
  samples: LoadSample[];
  verdict: SustainVerdict;
  publisher: PublisherDone;
  drained: boolean;
}

/**
 * Publishes at `rate` for `seconds`, sampling once a second what was published and consumed and
 * the consumer's RSS; then waits (bounded) for the consumer to drain, and judges the window.
 */
export async function loadStep(pub: Publisher, consumer: Consumer, rate: number, seconds: number, sustain: SustainOptions, drainMaxMs = 15_000): Promise<StepResult> {
  const pub0 = pub.sent;
  const con0 = await consumer.count();
  const lost0 = (await consumer.lost?.()) ?? 0;
  const t0 = performance.now();
  const epoch0 = Date.now();
  // The publisher runs a little past the last sample, so that every sample sees it running.
  const done = pub.run(rate, seconds * 1000 + 500);
  const samples: LoadSample[] = [];
  let missed = 0;
  let finished = false;
  void done.then(
    () => (finished = true),
    () => (finished = true),
  );
  for (let k = 1; k <= seconds && !finished; k++) {
    await sleep(t0 + k * 1000 - performance.now());
    if (finished) break;
    let consumed: number;
    try {
      consumed = (await consumer.count()) - con0;
    } catch (err) {
      if (String((err as Error).message).includes('rejected')) throw err;
      // A server too busy to answer health within 5 s has fallen behind: no sample this second.
      missed++;
      continue;
    }
    samples.push({ t: (performance.now() - t0) / 1000, published: pub.sent - pub0, publishedT: (pub.sentAt - epoch0) / 1000, consumed, rss: rssBytes(consumer.pid) });
  }
  const publisher = await done;
  const verdict = judgeSustained(samples, rate, sustain);
  if (missed > 0 || samples.length < seconds - 1) {
    verdict.sustained = false;
    verdict.reasons.push(`${samples.length} of ${seconds} counts taken, ${missed} unanswered: the consumer answers too slowly (event loop lag)`);
  }
  if (!consumer.child.alive) {
    verdict.sustained = false;
    verdict.reasons.push(`${consumer.child.name} process exited (${consumer.child.exitDescription}): ${consumer.child.tail() || 'no output'}`);
  }
  // A step that failed is not drained: the caller starts the pieces afresh instead.
  const drained = verdict.sustained ? await drain(consumer, con0 + publisher.sent, drainMaxMs) : false;
  if (verdict.sustained && consumer.lost) {
    const lost = (await consumer.lost().catch(() => lost0)) - lost0;
    if (lost > 0) {
      verdict.sustained = false;
      verdict.reasons.push(`taken but not kept: ${lost} rows or readings dropped by the reading store's bounded queues or the relay`);
    }
  }
  return { target: rate, samples, verdict, publisher, drained };
}

/** Waits until the consumer has taken `expected` messages or stops moving; false when it never caught up. */
export async function drain(consumer: Consumer, expected: number, maxMs: number): Promise<boolean> {
  const t0 = performance.now();
  let last = -1;
  let stillSince = performance.now();
  while (performance.now() - t0 < maxMs) {
    let n: number;
    try {
      n = await consumer.count();
    } catch {
      await sleep(250);
      continue;
    }
    if (n >= expected) return true;
    if (n !== last) {
      last = n;
      stillSince = performance.now();
    } else if (performance.now() - stillSince > 1500) {
      // QoS 0 messages the broker dropped will never come: stop waiting for them.
      return false;
    }
    await sleep(250);
  }
  return false;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, ms)));
}
