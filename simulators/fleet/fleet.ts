/**
 * The simulator fleet: one MQTT connection per device, as real devices have, each with its last will,
 * publishing the seeded signal models on the device's report interval. One shared timer walks a
 * time-ordered queue of next reports; nothing queues without bound (QoS 0 is never queued offline,
 * QoS 1 events in flight are capped per device).
 */
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import type { Device, Registry } from '../../shared/devices';
import { topicFor } from '../../shared/mqtt';
import { isProvinceSlug, PROVINCES } from '../../shared/provinces';
import { createRandom, hashSeed } from '../../shared/random';
import { DueQueue, nextDue } from './scheduler';
import { signalsFor, type DeviceSignals } from './signals';

export interface FleetOptions {
  mqttUrl: string;
  registry: Registry;
  /** Seed of the signal models; defaults to the registry's seed. */
  seed?: number;
  /** Simulated time runs this many times faster than the clock (reports come `speed`× as often). */
  speed?: number;
  /** Wall clock, epoch ms. Payload timestamps come from it, so the server accepts them as live. */
  clock?: () => number;
  /** How many connection handshakes may be in progress at once. */
  concurrency?: number;
  log?: (line: string) => void;
  include?: (d: Device) => boolean;
}

export interface FleetStats {
  /** Devices in the fleet (after `include`). */
  devices: number;
  connected: number;
  published: number;
  errors: number;
  /** Reports and events not sent: the device was offline or had too many events in flight. */
  dropped: number;
  /** Messages published per second over the last few seconds. */
  ratePerSec: number;
}

export interface Fleet {
  stats(): FleetStats;
  close(): Promise<void>;
}

const TICK_MS = 200;
/** At most this many reports per tick; the rest wait in the queue for the next tick. */
const MAX_REPORTS_PER_TICK = 5000;
const MAX_EVENTS_IN_FLIGHT = 16;
const MAX_SOCKET_BACKLOG_BYTES = 64 * 1024;
const CONNECT_TIMEOUT_MS = 10_000;
const CLOSE_ACK_TIMEOUT_MS = 2000;
const CLOSE_END_TIMEOUT_MS = 1000;
const RATE_WINDOW_MS = 5000;
const MAX_LOGGED_ERRORS = 50;
const OFFLINE = JSON.stringify({ online: false });
const URL_PROTOCOLS = new Set(['mqtt:', 'mqtts:', 'tcp:', 'ssl:', 'ws:', 'wss:']);

interface Sim {
  device: Device;
  signals: DeviceSignals;
  telemetryTopic: string;
  eventTopic: string;
  statusTopic: string;
  intervalMs: number;
  client: MqttClient | null;
  connected: boolean;
  eventsInFlight: number;
}

/** Checks an MQTT broker URL; returns an error message or null. */
export function checkMqttUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `not a URL: ${url}`;
  }
  if (!URL_PROTOCOLS.has(parsed.protocol)) {
    return `unsupported protocol ${parsed.protocol} (use mqtt://, mqtts://, ws:// or wss://)`;
  }
  if (!parsed.hostname) return `no host in ${url}`;
  return null;
}

function withTimeout<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => {
        clearTimeout(timer);
        resolve(fallback);
      },
    );
  });
}

export async function startFleet(opts: FleetOptions): Promise<Fleet> {
  const urlError = checkMqttUrl(opts.mqttUrl);
  if (urlError) throw new Error(urlError);
  const speed = opts.speed ?? 1;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`speed must be a positive number, got ${speed}`);
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? 64));
  const clock = opts.clock ?? Date.now;
  const log = opts.log ?? (() => {});
  const seed = opts.seed ?? opts.registry.seed;
  const slug = opts.registry.province;
  const plateCodes = isProvinceSlug(slug) ? PROVINCES[slug].plateCodes : [];

  const sims: Sim[] = [];
  for (const device of opts.registry.devices) {
    if (opts.include && !opts.include(device)) continue;
    let signals: DeviceSignals;
    try {
      signals = signalsFor(device, { seed, plateCodes });
    } catch (err) {
      log(`skipping ${device.id}: ${(err as Error).message}`);
      continue;
    }
    sims.push({
      device,
      signals,
      telemetryTopic: topicFor(device.type, device.id, 'telemetry'),
      eventTopic: topicFor(device.type, device.id, 'event'),
      statusTopic: topicFor(device.type, device.id, 'status'),
      intervalMs: device.reportIntervalSec * 1000,
      client: null,
      connected: false,
      eventsInFlight: 0,
    });
  }

  const realStart = clock();
  const simStart = realStart;
  const simNow = () => simStart + (clock() - realStart) * speed;
  const realOf = (simT: number) => Math.round(realStart + (simT - simStart) / speed);

  let connected = 0;
  let published = 0;
  let errors = 0;
  let dropped = 0;
  let closing = false;
  const loggedErrors = new Set<string>();
  // (time, published) samples, one per tick: enough to cover the rate window.
  const rateSamples: Array<[number, number]> = [];
  const maxRateSamples = Math.ceil(RATE_WINDOW_MS / TICK_MS) + 2;

  function noteError(where: string, err: Error): void {
    errors++;
    const key = `${where}: ${err.message}`;
    if (loggedErrors.has(key) || loggedErrors.size >= MAX_LOGGED_ERRORS) return;
    loggedErrors.add(key);
    log(`${key} (further occurrences counted, not logged)`);
  }

  // Spread first reports over each device's interval, so the load is even from the start.
  const queue = new DueQueue<Sim>();
  const offsets = createRandom(hashSeed('schedule', seed));
  for (const sim of sims) queue.push(simStart + offsets.next() * sim.intervalMs, sim);

  function fire(sim: Sim, due: number): void {
    const client = sim.client;
    // Offline, or the socket is not draining (a stalled broker): skip rather than buffer without bound.
    if (!client || !sim.connected || (client.stream?.writableLength ?? 0) > MAX_SOCKET_BACKLOG_BYTES) {
      dropped++;
      return;
    }
    const { telemetry, events } = sim.signals.report(due);
    const payload = JSON.stringify({ ...telemetry, ts: realOf(due) });
    client.publish(sim.telemetryTopic, payload, { qos: 0 }, (err) => {
      if (err) noteError('publish', err);
      else published++;
    });
    for (const event of events) {
      if (sim.eventsInFlight >= MAX_EVENTS_IN_FLIGHT) {
        dropped++;
        continue;
      }
      sim.eventsInFlight++;
      const ts = typeof event.ts === 'number' ? realOf(event.ts) : event.ts;
      client.publish(sim.eventTopic, JSON.stringify({ ...event, ts }), { qos: 1 }, (err) => {
        sim.eventsInFlight--;
        if (err) noteError('publish event', err);
        else published++;
      });
    }
  }

  function tick(): void {
    const now = simNow();
    let budget = MAX_REPORTS_PER_TICK;
    while (budget-- > 0 && queue.peekDue() <= now) {
      const { due, item } = queue.pop()!;
      try {
        fire(item, due);
      } catch (err) {
        noteError('report', err as Error);
      }
      queue.push(nextDue(due, item.intervalMs, now), item);
    }
    const real = clock();
    rateSamples.push([real, published]);
    if (rateSamples.length > maxRateSamples) rateSamples.shift();
  }

  function publishOnline(sim: Sim, client: MqttClient): void {
    const status = { ...sim.signals.status(simNow()), ts: Math.round(clock()) };
    client.publish(sim.statusTopic, JSON.stringify(status), { qos: 1, retain: true }, (err) => {
      if (err) noteError('publish status', err);
      else published++;
    });
  }

  function open(sim: Sim): Promise<void> {
    return new Promise((resolve) => {
      const jitter = createRandom(hashSeed(sim.device.id, 7)).next();
      const options: IClientOptions = {
        clientId: `sim-${sim.device.id}`,
        clean: true,
        keepalive: 60,
        connectTimeout: CONNECT_TIMEOUT_MS,
        // Jittered, so a broker restart is not met by every device at the same instant.
        reconnectPeriod: 2000 + Math.round(jitter * 3000),
        queueQoSZero: false,
        will: { topic: sim.statusTopic, payload: Buffer.from(OFFLINE), qos: 1, retain: true },
      };
      let settled = false;
      const settle = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        pendingOpens.delete(settle);
        resolve();
      };
      const timer = setTimeout(settle, CONNECT_TIMEOUT_MS);
      pendingOpens.add(settle);
      let client: MqttClient;
      try {
        client = connect(opts.mqttUrl, options);
      } catch (err) {
        noteError('connect', err as Error);
        settle();
        return;
      }
      sim.client = client;
      client.on('connect', () => {
        if (!sim.connected) connected++;
        sim.connected = true;
        // The first device back after an outage: log the next outage's errors afresh.
        if (connected === 1) loggedErrors.clear();
        if (!closing) publishOnline(sim, client);
        settle();
      });
      client.on('close', () => {
        if (sim.connected) connected--;
        sim.connected = false;
        settle();
      });
      client.on('error', (err) => {
        noteError('connection', err);
        settle();
      });
    });
  }

  /** Handshakes in progress, so close() can release the ramp at once. */
  const pendingOpens = new Set<() => void>();
  const rampStarted = clock();
  let next = 0;
  const worker = async () => {
    while (!closing && next < sims.length) {
      await open(sims[next++]!);
    }
  };
  void Promise.all(Array.from({ length: Math.min(concurrency, sims.length) }, worker)).then(() => {
    if (!closing) {
      const secs = ((clock() - rampStarted) / 1000).toFixed(1);
      log(`opened ${sims.length} connections in ${secs} s (${connected} connected)`);
    }
  });

  const timer = setInterval(tick, TICK_MS);

  async function closeSim(sim: Sim): Promise<void> {
    const client = sim.client;
    if (!client) return;
    if (!client.connected) {
      client.end(true);
      return;
    }
    // A clean disconnect does not fire the will, so say "offline" ourselves first.
    const offline = JSON.stringify({ online: false, ts: Math.round(clock()) });
    const acked = await withTimeout(
      new Promise<boolean>((resolve) =>
        client.publish(sim.statusTopic, offline, { qos: 1, retain: true }, (err) => {
          if (!err) published++;
          resolve(!err);
        }),
      ),
      CLOSE_ACK_TIMEOUT_MS,
      false,
    );
    if (!acked) {
      // The broker is not answering: drop the socket; if it is still there it publishes the will.
      client.end(true);
      return;
    }
    const ended = await withTimeout(
      new Promise<boolean>((resolve) => client.end(false, {}, () => resolve(true))),
      CLOSE_END_TIMEOUT_MS,
      false,
    );
    if (!ended) client.stream?.destroy();
  }

  let closed: Promise<void> | null = null;
  return {
    stats() {
      let ratePerSec = 0;
      const first = rateSamples[0];
      const last = rateSamples[rateSamples.length - 1];
      if (first && last && last[0] > first[0]) ratePerSec = ((last[1] - first[1]) * 1000) / (last[0] - first[0]);
      return { devices: sims.length, connected, published, errors, dropped, ratePerSec };
    },
    close() {
      closed ??= (async () => {
        closing = true;
        clearInterval(timer);
        queue.clear();
        for (const settle of [...pendingOpens]) settle();
        await Promise.all(sims.map((s) => closeSim(s).catch((err: Error) => noteError('close', err))));
      })();
      return closed;
    },
  };
}
