/**
 * The rig of the latency, fan-out and memory parts: the server (with its embedded broker, the
 * default one-machine setup, or an external one), the publisher, and socket clients, each in its
 * own process.
 */
import type { ViewName } from '../../shared/events';
import type { BenchOptions } from '../options';
import type { PublisherConfig } from '../publisher';
import { fleetRate, realDevices } from '../payloads';
import { BenchChild, type ChildMessage } from '../lib/procs';
import { Publisher, startBroker, startServer, type Broker, type ServerHandle } from '../lib/rig';

export interface LiveRig {
  broker?: Broker;
  server: ServerHandle;
  pub: Publisher;
  /** pids whose CPU and memory the part watches. */
  pids: Record<string, number>;
  stop(): Promise<void>;
}

export async function startLive(o: BenchOptions, label: string, pubOpts: Partial<PublisherConfig> = {}): Promise<LiveRig> {
  const broker = o.liveBroker === 'embedded' ? undefined : await startBroker(o.liveBroker);
  const server = await startServer(broker?.url, label);
  const pub = await Publisher.start(server.mqttUrl, 0, { credentials: server.gateway, ...pubOpts });
  const pids: Record<string, number> = { server: server.pid };
  if (broker) pids.broker = broker.pid;
  return {
    broker,
    server,
    pub,
    pids,
    stop: async () => {
      await Promise.all([pub.stop(), server.stop(), broker?.child.stop()]);
    },
  };
}

export interface ClientsReport extends ChildMessage {
  seconds: number;
  bytes: number;
  frames: number;
  gaps: number;
  clients: number;
  connected: number;
  patches: [number, [number, number][]][];
  transit: number[];
}

export async function startClients(server: { url: string; cookie: string }, view: ViewName, clients: number, probeEvery = 0): Promise<BenchChild> {
  const { url, cookie } = server;
  const child = new BenchChild(`${clients} ${view} clients`, 'socketClients.ts', [JSON.stringify({ url, cookie, view, clients, probeEvery })]);
  await child.waitFor('ready', 30_000 + clients * 200);
  return child;
}

export async function clientsReport(child: BenchChild): Promise<ClientsReport> {
  const r = child.waitFor<ClientsReport>('report', 30_000);
  child.send({ cmd: 'report' });
  return r;
}

let demo: number | undefined;
/** The demo fleet's own rate (every registered device at its report interval), msg/s. */
export function demoRate(): number {
  demo ??= Math.round(fleetRate(realDevices()));
  return demo;
}

export function rateOf(r: number | 'demo'): number {
  return r === 'demo' ? demoRate() : r;
}

export function brokerNote(o: BenchOptions): string {
  return o.liveBroker === 'embedded' ? 'embedded aedes' : `external ${o.liveBroker}`;
}
