/**
 * Backfill publishing: each environmental station sends its history (engine.ts `backfillTimes`) over
 * its own connection, oldest first, as QoS 1. Paced two ways so the broker is never flooded: a rate cap
 * shared by all devices, and a window of unacknowledged messages per device. At most `concurrency`
 * devices backfill at once. A device joins the live schedule only when all its history is acknowledged.
 */
import type { MqttClient } from 'mqtt';
import type { Outgoing } from '../scenarios/types';
import type { Engine, SimDevice } from './engine';
import { Pacer, Window, sleep } from './pacing';

export interface BackfillStats {
  /** Devices that backfill, and how many have finished. */
  devices: number;
  done: number;
  /** Readings sent (acknowledged) and to send. */
  sent: number;
  total: number;
  /** Wall-clock ms from the fleet's start until the last device finished; null while running. */
  durationMs: number | null;
}

export interface Backfillee {
  sd: SimDevice;
  client: MqttClient | null;
  connected: boolean;
}

interface Progress {
  times: number[];
  next: number;
  running: boolean;
  done: boolean;
  window: Window;
}

/** What a Backfiller sends: the stations' backfill (the default) or a rehearsal's learning period. */
export interface HistorySource {
  times(sd: SimDevice): number[];
  /** What a device sends for one of its times (the learning period: a reading and maybe a rain forecast). */
  messages(sd: SimDevice, simT: number): Outgoing[];
  /** "backfilled 24 h", for the log line when all is sent. */
  what: string;
}

export function backfillSource(engine: Engine): HistorySource {
  return { times: (sd) => engine.backfillTimes(sd), messages: (sd, t) => engine.backfillMessages(sd, t), what: `backfilled ${engine.backfillHours} h` };
}

export function learningSource(engine: Engine): HistorySource {
  return { times: (sd) => engine.learningTimes(sd), messages: (sd, t) => engine.learningMessages(sd, t), what: `sent the ${engine.learnDays}-day learning period` };
}

export const DEFAULT_BACKFILL_RATE = 5000;
/** A rehearsal's learning period goes out beside the live reports: slower than the backfill, which precedes them. */
export const DEFAULT_LEARNING_RATE = 4000;
const CONCURRENCY = 32;
const WINDOW = 32;

export class Backfiller<S extends Backfillee> {
  readonly stats: BackfillStats = { devices: 0, done: 0, sent: 0, total: 0, durationMs: null };
  private readonly progress = new Map<S, Progress>();
  private readonly waiting: S[] = [];
  private active = 0;
  private closing = false;
  private readonly pacer: Pacer;
  private readonly source: HistorySource;
  private resolveDone!: (s: BackfillStats) => void;
  readonly done: Promise<BackfillStats>;

  constructor(
    private readonly engine: Engine,
    sims: readonly S[],
    private readonly deps: {
      clock: () => number;
      ratePerSec: number;
      onPublished: () => void;
      onError: (where: string, err: Error) => void;
      /** The device's history is all acknowledged: it may go live. */
      onDeviceDone: (sim: S) => void;
      log: (line: string) => void;
      /** Default: the engine's backfill. */
      source?: HistorySource;
    },
  ) {
    this.source = deps.source ?? backfillSource(engine);
    this.pacer = new Pacer(deps.ratePerSec, deps.clock);
    this.done = new Promise((r) => (this.resolveDone = r));
    for (const sim of sims) {
      const times = this.source.times(sim.sd);
      if (times.length === 0) continue;
      this.progress.set(sim, { times, next: 0, running: false, done: false, window: new Window(WINDOW) });
      this.stats.devices++;
      this.stats.total += times.length;
    }
    if (this.stats.devices === 0) this.resolveDone({ ...this.stats, durationMs: 0 });
  }

  /** Whether the device has history still to send (it must not report live yet). */
  pending(sim: S): boolean {
    const p = this.progress.get(sim);
    return p !== undefined && !p.done;
  }

  /** The device is connected: start (or resume) its backfill. */
  start(sim: S): void {
    const p = this.progress.get(sim);
    if (!p || p.done || p.running || this.closing || this.waiting.includes(sim)) return;
    this.waiting.push(sim);
    this.pump();
  }

  close(): void {
    this.closing = true;
    for (const p of this.progress.values()) p.window.releaseAll();
  }

  private pump(): void {
    while (!this.closing && this.active < CONCURRENCY && this.waiting.length > 0) {
      const sim = this.waiting.shift()!;
      const p = this.progress.get(sim)!;
      this.active++;
      p.running = true;
      void this.run(sim, p)
        .catch((err: Error) => this.deps.onError('backfill', err))
        .finally(() => {
          p.running = false;
          this.active--;
          this.pump();
        });
    }
  }

  private async run(sim: S, p: Progress): Promise<void> {
    while (p.next < p.times.length && !this.closing) {
      const client = sim.client;
      // Disconnected: stop here; the next connect resumes where this left off, still before any live report.
      if (!client || !sim.connected) return;
      const msgs = this.source.messages(sim.sd, p.times[p.next++]!);
      for (const [k, msg] of msgs.entries()) {
        const wait = this.pacer.reserve();
        if (wait >= 1) await sleep(wait);
        await p.window.acquire();
        if (this.closing) return;
        client.publish(msg.topic, msg.payload, { qos: 1 }, (err) => {
          p.window.release();
          if (err) return this.deps.onError('publish backfill', err);
          // Counted per time (a reading), like `total`; a rain forecast with it is not another reading.
          if (k === 0) this.stats.sent++;
          this.deps.onPublished();
        });
      }
    }
    await p.window.drain();
    if (this.closing || p.next < p.times.length || p.done) return;
    p.done = true;
    this.stats.done++;
    this.deps.onDeviceDone(sim);
    if (this.stats.done === this.stats.devices) this.finish();
  }

  private finish(): void {
    const s = this.stats;
    s.durationMs = this.deps.clock() - this.engine.realStart;
    const secs = s.durationMs / 1000;
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    this.deps.log(
      `${this.source.what} for ${s.devices} devices: ${fmt(s.sent)} readings in ${secs.toFixed(1)} s ` +
        `(${fmt(s.sent / Math.max(secs, 0.001))}/s)`,
    );
    this.resolveDone({ ...s });
  }
}
