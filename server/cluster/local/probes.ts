/** How `npm run cluster` knows each part answers: a real request of the part's own protocol. */
import { connect } from 'node:net';
import mqtt from 'mqtt';
import pg from 'pg';
import type { MqttCredentials } from '../../broker/guard';
import { tail, type Part } from './parts';

/** Polls `probe` until it is true; fails when the part exits meanwhile, on timeout, or when aborted. */
export async function waitUntil(what: string, probe: () => Promise<boolean>, opts: { timeoutMs: number; part?: Part; signal?: AbortSignal }): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    opts.signal?.throwIfAborted();
    const { part } = opts;
    if (part?.exit) throw new Error(`${part.name} exited (${part.exit.signal ?? `code ${part.exit.code}`}) while starting; the end of ${part.log}:\n${tail(part.log)}`);
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: no answer after ${Math.round(opts.timeoutMs / 1000)} s${part ? `; the end of ${part.log}:\n${tail(part.log)}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** An HTTP GET answered 200. */
export async function httpOk(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await res.arrayBuffer();
  return res.ok;
}

/** Redis answers PING with PONG. */
export function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(2000, () => done(false));
    s.once('connect', () => s.write('PING\r\n'));
    s.on('data', (b: Buffer) => {
      got += b.toString();
      if (got.includes('\r\n')) done(got.startsWith('+PONG'));
    });
    s.once('error', () => done(false));
  });
}

/** PostgreSQL takes a login and a query. */
export async function pgAnswers(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** The broker takes the gateway's login. */
export async function mqttLogin(url: string, credentials: MqttCredentials): Promise<boolean> {
  const c = await mqtt.connectAsync(url, { ...credentials, clientId: `ioc-cluster-probe-${process.pid}`, reconnectPeriod: 0, connectTimeout: 2000 });
  await c.endAsync(true);
  return true;
}

/** Resolves once any message of the contract passes the broker (the fleet publishes), or rejects after timeoutMs. */
export async function firstMessage(url: string, credentials: MqttCredentials, filter: string, timeoutMs: number, signal?: AbortSignal): Promise<string> {
  const c = await mqtt.connectAsync(url, { ...credentials, clientId: `ioc-cluster-probe-${process.pid}`, reconnectPeriod: 0, connectTimeout: 2000 });
  try {
    const topic = new Promise<string>((resolve, reject) => {
      c.once('message', (t) => resolve(t));
      const timer = setTimeout(() => reject(new Error(`no message on ${filter} after ${timeoutMs / 1000} s`)), timeoutMs);
      timer.unref();
      signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    });
    await c.subscribeAsync(filter, { qos: 0 });
    return await topic;
  } finally {
    await c.endAsync(true);
  }
}
