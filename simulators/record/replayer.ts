/**
 * The replayer: publishes a recording with its original pacing divided by `speed`, as one client (so
 * the broker sees the recorded order). `retime` moves every `ts` in the payloads to the replay's clock:
 * a message recorded at r0 + Δ is sent at p0 + Δ/speed with its ts moved the same way, while history
 * older than the recording's start (backfill) keeps its distance from the start, one to one.
 * Without `retime`, payloads go out byte for byte (a server then files old timestamps as history, or
 * refuses them past 48 h).
 *
 * `rehearsal` (DIỄN TẬP, for a server on CLOCK=scenario): time is not compressed but simulated. Payload
 * timestamps move one to one (with `retime`, so that the recording starts now; without, they stay as
 * recorded), and the replay publishes its clock (shared/simClock.ts) running `speed`× faster: the wall
 * then shows the recorded flood exactly as it happened, only faster.
 */
import type { MqttClient } from 'mqtt';
import type { RecordedMessage } from './format';
import { SIM_CLOCK_EVERY_MS, SIM_CLOCK_TOPIC } from '../../shared/simClock';

export interface ReplayTarget {
  /** Resolves when the message may be considered sent (acknowledged, or written for QoS 0). */
  publish(topic: string, payload: Buffer, opts: { qos: 0 | 1 | 2; retain: boolean }): Promise<void>;
}

export interface ReplayOptions {
  /** A fresh pass over the recording (called again for each loop). */
  source: () => AsyncIterable<RecordedMessage>;
  target: ReplayTarget;
  speed: number;
  loop?: boolean;
  retime?: boolean;
  /** Simulated time for a server on the scenario clock: timestamps move one to one, the clock is published. */
  rehearsal?: boolean;
  clock?: () => number;
  /** Waits; defaults to setTimeout (fake timers in tests). */
  sleep?: (ms: number) => Promise<void>;
  /** Stops the replay (Ctrl-C). */
  signal?: AbortSignal;
  /** How many publishes may be unacknowledged at once. */
  window?: number;
}

export interface ReplayStats {
  published: number;
  errors: number;
  loops: number;
  /** Offset in the recording (ms since its first message) of the last message sent. */
  recordingOffsetMs: number;
  /** How late the last message went out against its schedule (ms). */
  lagMs: number;
}

const DEFAULT_WINDOW = 64;

/** Moves a payload's top-level `ts` (epoch ms or ISO-8601) by `map`; anything else is returned as is. */
export function retimePayload(payload: Buffer, map: (ts: number) => number): Buffer {
  let body: unknown;
  try {
    body = JSON.parse(payload.toString('utf8'));
  } catch {
    return payload;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('ts' in body)) return payload;
  const obj = body as Record<string, unknown>;
  if (typeof obj.ts === 'number' && Number.isFinite(obj.ts)) obj.ts = Math.round(map(obj.ts));
  else if (typeof obj.ts === 'string' && Number.isFinite(Date.parse(obj.ts))) obj.ts = new Date(Math.round(map(Date.parse(obj.ts)))).toISOString();
  else return payload;
  return Buffer.from(JSON.stringify(obj), 'utf8');
}

/** The retime map of one pass: recording start r0 → replay start p0, live time compressed by speed. */
export function retimeMap(r0: number, p0: number, speed: number): (ts: number) => number {
  return (ts) => (ts >= r0 ? p0 + (ts - r0) / speed : ts - r0 + p0);
}

/** The rehearsal map: one to one, from the recording's start to the replay's start (or as recorded). */
export function rehearsalMap(r0: number, p0: number, retime: boolean): (ts: number) => number {
  return retime ? (ts) => ts - r0 + p0 : (ts) => ts;
}

export function createReplay(opts: ReplayOptions): { stats(): ReplayStats; done: Promise<ReplayStats> } {
  if (!(opts.speed > 0) || !Number.isFinite(opts.speed)) throw new Error(`speed must be a positive number, got ${opts.speed}`);
  const clock = opts.clock ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const stats: ReplayStats = { published: 0, errors: 0, loops: 0, recordingOffsetMs: 0, lagMs: 0 };
  const window = opts.window ?? DEFAULT_WINDOW;
  let inFlight = 0;
  const freed: Array<() => void> = [];
  const release = () => {
    inFlight--;
    freed.shift()?.();
  };

  async function pass(): Promise<number> {
    let r0: number | null = null;
    let p0 = 0;
    let map: (ts: number) => number = (ts) => ts;
    let simBase = 0;
    let lastClockAt = -Infinity;
    let sent = 0;
    for await (const m of opts.source()) {
      if (opts.signal?.aborted) break;
      if (r0 === null) {
        r0 = m.receivedAt;
        p0 = clock();
        map = opts.rehearsal ? rehearsalMap(r0, p0, opts.retime === true) : retimeMap(r0, p0, opts.speed);
        simBase = opts.rehearsal && opts.retime ? p0 : r0;
        lastClockAt = -Infinity;
      }
      const offset = m.receivedAt - r0;
      const due = p0 + Math.max(0, offset) / opts.speed;
      // A rehearsal's clock goes out every second, also through long quiet stretches of the recording.
      const tickClock = async () => {
        if (!opts.rehearsal || clock() - lastClockAt < SIM_CLOCK_EVERY_MS) return;
        lastClockAt = clock();
        await publishClock(simBase + (lastClockAt - p0) * opts.speed);
      };
      await tickClock();
      for (let wait = due - clock(); wait > 0 && !opts.signal?.aborted; wait = due - clock()) {
        await sleep(opts.rehearsal ? Math.min(wait, SIM_CLOCK_EVERY_MS) : wait);
        await tickClock();
      }
      if (opts.signal?.aborted) break;
      while (inFlight >= window) await new Promise<void>((r) => freed.push(r));
      const payload = opts.retime || opts.rehearsal ? retimePayload(m.payload, map) : m.payload;
      // Over MQTT 3.1.1 the recorder could not see retain flags; statuses are retained by the contract.
      const retain = m.retain || (!m.header.retainAsPublished && m.topic.endsWith('/status'));
      inFlight++;
      opts.target.publish(m.topic, payload, { qos: m.qos, retain }).then(
        () => {
          stats.published++;
          release();
        },
        () => {
          stats.errors++;
          release();
        },
      );
      sent++;
      stats.recordingOffsetMs = offset;
      stats.lagMs = Math.max(0, clock() - due);
    }
    return sent;
  }

  const publishClock = (simTime: number) =>
    opts.target
      .publish(SIM_CLOCK_TOPIC, Buffer.from(JSON.stringify({ simTime: Math.round(simTime), speed: opts.speed, scenario: 'replay' })), { qos: 1, retain: true })
      .catch(() => {
        stats.errors++;
      });

  const done = (async () => {
    do {
      const sent = await pass();
      stats.loops++;
      if (sent === 0) break;
    } while (opts.loop && !opts.signal?.aborted);
    while (inFlight > 0) await new Promise<void>((r) => freed.push(r));
    // The rehearsal is over: a server started later should not run on its clock.
    if (opts.rehearsal) await opts.target.publish(SIM_CLOCK_TOPIC, Buffer.alloc(0), { qos: 1, retain: true }).catch(() => undefined);
    return { ...stats };
  })();
  return { stats: () => ({ ...stats }), done };
}

/** A replay target over one MQTT client: a publish settles on the broker's ack (QoS 1/2) or the write (QoS 0). */
export function mqttTarget(client: MqttClient): ReplayTarget {
  return {
    publish: (topic, payload, { qos, retain }) =>
      new Promise<void>((resolve, reject) => client.publish(topic, payload, { qos, retain }, (err) => (err ? reject(err) : resolve()))),
  };
}
