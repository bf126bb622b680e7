/**
 * The simulator fleet: one MQTT connection per device, as real devices have, each with its last will,
 * publishing the seeded signal models (engine.ts) on the device's report interval. One shared timer
 * walks a time-ordered queue of next reports; nothing queues without bound (QoS 0 is never queued
 * offline, QoS 1 messages in flight are capped per device).
 *
 * On start, each environmental station first publishes its backfill (engine.ts) over its own connection,
 * paced (a shared rate cap and a window of unacknowledged QoS 1 messages per device), and only then joins
 * the live schedule: the server's rain ring refuses a reading older than the newest it holds.
 */
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import type { Device, Registry } from '../../shared/devices';
import { createRandom, hashSeed } from '../../shared/random';
import type { ScenarioName } from '../scenarios';
import type { FaultKind, PhaseInfo } from '../scenarios/types';
import { Backfiller, DEFAULT_BACKFILL_RATE, DEFAULT_LEARNING_RATE, learningSource, type BackfillStats } from './backfill';
import { credentialsFor, type CredentialsFile } from '../credentials';
import { CONNECT_TIMEOUT_MS, checkMqttUrl, closeDeviceClient, deviceClientOptions } from './connection';
import { createEngine, formatOffset, type Engine, type SimDevice } from './engine';
import { DueQueue, nextDue } from './scheduler';
import { startClockPublisher } from './simClockPublisher';

export { checkMqttUrl } from './connection';
export type { BackfillStats } from './backfill';
export { DEFAULT_BACKFILL_RATE } from './backfill';

export interface FleetOptions {
  mqttUrl: string;
  registry: Registry;
  /** Seed of the signal models; defaults to the registry's seed. */
  seed?: number;
  /** Simulated time runs this many times faster than the clock (reports come `speed`× as often). */
  speed?: number;
  /** Wall clock, epoch ms. Payload timestamps come from it, so the server accepts them as live. */
  clock?: () => number;
  /** Simulated start (epoch ms): the hour and season the models begin at. Default: the wall clock's now. */
  simStart?: number;
  /** Start this far into the scenario's story (simulated ms), e.g. at a flood's rise. Default 0. */
  storyOffsetMs?: number;
  /**
   * A rehearsal (DIỄN TẬP): payloads carry simulated time, and the fleet publishes its clock on
   * ioc/v1/sim/clock (retained, every second) for a server started with CLOCK=scenario.
   */
  rehearsal?: boolean;
  /** How many connection handshakes may be in progress at once. */
  concurrency?: number;
  log?: (line: string) => void;
  include?: (d: Device) => boolean;
  /** The story to tell (scenarios/); default `normal-day`. */
  scenario?: ScenarioName;
  /** Hours of history the environmental stations publish first; 0 turns backfill off. Default 24. */
  backfillHours?: number;
  /** Backfill messages per second, all devices together. Default 5000. */
  backfillRate?: number;
  /** A rehearsal's learning period in days (engine.ts `learnDays`); default the scenario's. */
  learnDays?: number;
  /** Learning-period messages per second, all devices together. Default DEFAULT_LEARNING_RATE (4000). */
  learningRate?: number;
  /** Called when the scenario enters a phase (also logged). */
  onPhase?: (phase: PhaseInfo) => void;
  /** How the devices log in (simulators/credentials.ts): one gateway credential, or one per device. */
  credentials?: CredentialsFile;
  /** Makes the MQTT connections; tests pass a fake to capture publishes. */
  connect?: (url: string, options: IClientOptions) => MqttClient;
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
  phase: PhaseInfo;
  /** Simulated time now, epoch ms. */
  simNow: number;
  backfill: BackfillStats;
  /** A rehearsal's learning period (engine.ts `learnDays`): devices 0 when there is none. */
  learning: BackfillStats;
  /** Faulty messages published (acknowledged) per kind; drop-outs count withheld reports. */
  faults: Partial<Record<FaultKind, number>>;
}

export interface Fleet {
  readonly engine: Engine;
  stats(): FleetStats;
  /** Resolves when every device has finished its backfill (at once without backfill). */
  backfilled(): Promise<BackfillStats>;
  /** Resolves when every device has sent its learning period (at once without one). */
  learnt(): Promise<BackfillStats>;
  close(): Promise<void>;
}

const TICK_MS = 200;
/** At most this many reports per tick; the rest wait in the queue for the next tick. */
const MAX_REPORTS_PER_TICK = 5000;
const MAX_QOS1_IN_FLIGHT = 32;
const MAX_SOCKET_BACKLOG_BYTES = 64 * 1024;
const RATE_WINDOW_MS = 5000;
const MAX_LOGGED_ERRORS = 50;

interface Sim {
  sd: SimDevice;
  client: MqttClient | null;
  connected: boolean;
  qos1InFlight: number;
  /** First live report on the device's grid (spread over its interval). */
  firstDue: number;
  /** Cut off by a drop-out fault: reconnect when the fault ends. */
  faultOffline: boolean;
}

export async function startFleet(opts: FleetOptions): Promise<Fleet> {
  const urlError = checkMqttUrl(opts.mqttUrl);
  if (urlError) throw new Error(urlError);
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? 64));
  const clock = opts.clock ?? Date.now;
  const log = opts.log ?? (() => {});
  const connectFn = opts.connect ?? connect;
  const engine = createEngine({
    registry: opts.registry,
    seed: opts.seed,
    speed: opts.speed,
    realStart: clock(),
    simStart: opts.simStart,
    storyOffsetMs: opts.storyOffsetMs,
    rehearsal: opts.rehearsal,
    scenario: opts.scenario,
    backfillHours: opts.backfillHours,
    learnDays: opts.learnDays,
    include: opts.include,
    log,
  });
  const { simStart } = engine;
  const simNow = () => engine.simAt(clock());

  // Spread first reports over each device's interval, so the load is even from the start.
  const offsets = createRandom(hashSeed('schedule', engine.seed));
  const sims: Sim[] = engine.sims.map((sd) => ({
    sd,
    client: null,
    connected: false,
    qos1InFlight: 0,
    firstDue: simStart + offsets.next() * sd.intervalMs,
    faultOffline: false,
  }));

  let connected = 0;
  let published = 0;
  let errors = 0;
  let dropped = 0;
  let closing = false;
  const faultCounts: Partial<Record<FaultKind, number>> = {};
  const loggedErrors = new Set<string>();
  // (time, published) samples, one per tick: enough to cover the rate window.
  const rateSamples: Array<[number, number]> = [];
  const maxRateSamples = Math.ceil(RATE_WINDOW_MS / TICK_MS) + 2;
  let phase = engine.phaseAt(simStart);

  function noteError(where: string, err: Error): void {
    errors++;
    const key = `${where}: ${err.message}`;
    if (loggedErrors.has(key) || loggedErrors.size >= MAX_LOGGED_ERRORS) return;
    loggedErrors.add(key);
    log(`${key} (further occurrences counted, not logged)`);
  }

  const queue = new DueQueue<Sim>();
  function scheduleLive(sim: Sim): void {
    const now = simNow();
    queue.push(sim.firstDue > now ? sim.firstDue : nextDue(sim.firstDue, sim.sd.intervalMs, now), sim);
  }
  const backfiller = new Backfiller(engine, sims, {
    clock,
    ratePerSec: opts.backfillRate ?? DEFAULT_BACKFILL_RATE,
    onPublished: () => published++,
    onError: noteError,
    onDeviceDone: (sim) => {
      if (closing) return;
      scheduleLive(sim);
      learner.start(sim);
    },
    log,
  });
  // A rehearsal's learning period: each river and rain gauge sends it once live, beside its live reports.
  const learner = new Backfiller(engine, sims, {
    clock,
    ratePerSec: opts.learningRate ?? DEFAULT_LEARNING_RATE,
    onPublished: () => published++,
    onError: noteError,
    onDeviceDone: () => undefined,
    log,
    source: learningSource(engine),
  });
  let historySent = false;
  void Promise.all([backfiller.done, learner.done]).then(() => (historySent = true));
  for (const sim of sims) if (!backfiller.pending(sim)) scheduleLive(sim);

  // ── Live reports ──────────────────────────────────────────────────────────────────────────────────
  function fire(sim: Sim, due: number): void {
    const client = sim.client;
    // Offline, or the socket is not draining (a stalled broker): skip rather than buffer without bound.
    const ready = client !== null && sim.connected && (client.stream?.writableLength ?? 0) <= MAX_SOCKET_BACKLOG_BYTES;
    if (!ready && !sim.faultOffline) {
      dropped++;
      return;
    }
    const out = engine.report(sim.sd, due);
    for (const line of out.notices) log(line);
    if (out.offline) {
      faultCounts.dropout = (faultCounts.dropout ?? 0) + 1;
      if (!sim.faultOffline) {
        sim.faultOffline = true;
        // Cut without a DISCONNECT, as a dead modem does: the broker publishes the last will.
        client?.end(true);
      }
      return;
    }
    if (sim.faultOffline) {
      sim.faultOffline = false;
      client?.reconnect();
      dropped++;
      return;
    }
    for (const m of out.messages) {
      if (m.qos === 1) {
        if (sim.qos1InFlight >= MAX_QOS1_IN_FLIGHT) {
          dropped++;
          continue;
        }
        sim.qos1InFlight++;
      }
      client!.publish(m.topic, m.payload, { qos: m.qos }, (err) => {
        if (m.qos === 1) sim.qos1InFlight--;
        if (err) return noteError('publish', err);
        published++;
        if (m.fault) faultCounts[m.fault] = (faultCounts[m.fault] ?? 0) + 1;
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
      queue.push(nextDue(due, item.sd.intervalMs, now), item);
    }
    const p = engine.phaseAt(now);
    if (p.name !== phase.name) {
      phase = p;
      log(`phase ${p.index + 1}/${p.total}: ${p.name} (sim ${formatOffset(now - simStart)})`);
      opts.onPhase?.(p);
    }
    rateSamples.push([clock(), published]);
    if (rateSamples.length > maxRateSamples) rateSamples.shift();
  }

  // ── Connections ───────────────────────────────────────────────────────────────────────────────────
  function publishOnline(sim: Sim, client: MqttClient): void {
    client.publish(sim.sd.statusTopic, engine.status(sim.sd, clock()), { qos: 1, retain: true }, (err) => {
      if (err) noteError('publish status', err);
      else published++;
    });
  }

  function open(sim: Sim): Promise<void> {
    return new Promise((resolve) => {
      const options: IClientOptions = { ...deviceClientOptions(sim.sd.device.id, sim.sd.statusTopic), ...credentialsFor(opts.credentials, sim.sd.device.id) };
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
        client = connectFn(opts.mqttUrl, options);
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
        if (!closing) {
          publishOnline(sim, client);
          backfiller.start(sim);
          // Back after a drop-out with its learning period unfinished: on where it left off.
          if (!backfiller.pending(sim)) learner.start(sim);
        }
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

  // A rehearsal's clock goes out before any reading, so the server is on simulated time when they arrive.
  const simClock = engine.rehearsal
    ? await startClockPublisher({
        mqttUrl: opts.mqttUrl,
        connect: connectFn,
        clientId: `sim-clock-${engine.seed}`,
        credentials: credentialsFor(opts.credentials, null),
        message: () => ({ simTime: Math.round(simNow()), speed: engine.speed, scenario: engine.scenario.name, phase: phase.name, backfilling: !historySent }),
        onError: (err) => noteError('clock', err),
      })
    : null;

  /** Handshakes in progress, so close() can release the ramp at once. */
  const pendingOpens = new Set<() => void>();
  const rampStarted = clock();
  let next = 0;
  const worker = async () => {
    while (!closing && next < sims.length) {
      await open(sims[next++]!);
    }
  };
  log(`scenario ${engine.scenario.name}: ${engine.scenario.title}`);
  if (engine.rehearsal) log(`rehearsal (DIỄN TẬP): simulated clock from ${new Date(simStart).toISOString()} at ${engine.speed}×, published on ioc/v1/sim/clock; payloads carry simulated time`);
  else if (simStart !== engine.realStart) log(`simulated clock starts at ${new Date(simStart).toISOString()} (payload timestamps stay wall-clock time)`);
  log(`phase ${phase.index + 1}/${phase.total}: ${phase.name}`);
  void Promise.all(Array.from({ length: Math.min(concurrency, sims.length) }, worker)).then(() => {
    if (!closing) {
      const secs = ((clock() - rampStarted) / 1000).toFixed(1);
      log(`opened ${sims.length} connections in ${secs} s (${connected} connected)`);
    }
  });

  const timer = setInterval(tick, TICK_MS);

  async function closeSim(sim: Sim): Promise<void> {
    if (sim.client && (await closeDeviceClient(sim.client, sim.sd.statusTopic, engine.stampAt(clock())))) published++;
  }

  let closed: Promise<void> | null = null;
  return {
    engine,
    stats() {
      let ratePerSec = 0;
      const first = rateSamples[0];
      const last = rateSamples[rateSamples.length - 1];
      if (first && last && last[0] > first[0]) ratePerSec = ((last[1] - first[1]) * 1000) / (last[0] - first[0]);
      return {
        devices: sims.length,
        connected,
        published,
        errors,
        dropped,
        ratePerSec,
        phase,
        simNow: simNow(),
        backfill: { ...backfiller.stats },
        learning: { ...learner.stats },
        faults: { ...faultCounts },
      };
    },
    backfilled: () => backfiller.done,
    learnt: () => learner.done,
    close() {
      closed ??= (async () => {
        closing = true;
        clearInterval(timer);
        queue.clear();
        for (const settle of [...pendingOpens]) settle();
        backfiller.close();
        learner.close();
        await Promise.all(sims.map((s) => closeSim(s).catch((err: Error) => noteError('close', err))));
        await simClock?.close();
      })();
      return closed;
    },
  };
}
