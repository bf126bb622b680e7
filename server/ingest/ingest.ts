/**
 * One MQTT message in: topic check, size check, JSON, schema, registry, timestamp window.
 * Rejects are dropped and counted by reason, with a bounded ring of recent examples for the
 * data-quality panel. Accepted readings update the device table once. Pure: `now` is passed in.
 */
import {
  MAX_FUTURE_SKEW_MS,
  MAX_HISTORY_AGE_MS,
  CHANNELS,
  MAX_PAYLOAD_BYTES,
  BROKER_REFUSALS,
  REJECT_REASONS,
  TELEMETRY_SCHEMAS,
  cameraEventSchema,
  parseTopic,
  reservoirEventSchema,
  rainForecastSchema,
  statusSchema,
  type BrokerRefusal,
  type CameraEvent,
  type ReservoirEvent,
  type RainForecast,
  type Channel,
  type DeviceType,
  type RejectReason,
} from '../../shared/mqtt';
import type { ZodType } from 'zod';
import { assertNever } from '../../shared/protocol';
import type { DeviceTable } from '../devices/deviceTable';
import { quickStatus, quickTelemetry } from './fastPath';
import { toValues } from './values';
import { StuckDetector } from './stuckDetector';
import type { RelayRecord } from '../cluster/relay';

export interface RejectSample {
  at: number;
  topic: string;
  reason: RejectReason;
  detail: string;
}

export interface IngestListener {
  /** A validated camera event (violation), live or history; `relayed`: taken by another instance. */
  onCameraEvent?(deviceIndex: number, event: CameraEvent, live: boolean, relayed?: boolean): void;
  /** A validated release notice from a reservoir (xả lũ), live or history; `relayed` as for camera events. */
  onReservoirEvent?(deviceIndex: number, event: ReservoirEvent, live: boolean, relayed?: boolean): void;
  /** A rain gauge's point rain forecast (`rain/<id>/forecast`). */
  onRainForecast?(deviceIndex: number, forecast: RainForecast, relayed?: boolean): void;
  /**
   * A validated telemetry reading, including history (backfill) readings. `relayed`: taken by another instance
   * (server/cluster/relay.ts), which has stored it already.
   */
  onTelemetry?(deviceIndex: number, type: DeviceType, ts: number, values: Record<string, number>, live: boolean, relayed?: boolean): void;
  /** A validated status message (online or a last will), applied to the table at `at`. */
  onStatus?(deviceIndex: number, online: boolean, at: number): void;
}

export const RECENT_REJECTS_CAP = 50;
/** Telemetry timestamps remembered per device to drop re-sent readings (a QoS 1 redelivery, a device retrying). */
export const DEDUPE_SLOTS = 4;
const MAX_TOPIC_SHOWN = 200;

/** Where a topic goes: resolved once per topic, then looked up by the whole topic string. */
interface Route {
  i: number;
  type: DeviceType;
  channel: Channel;
}

export class Ingest {
  accepted = 0;
  history = 0;
  /** Readings, statuses and events another instance accepted and relayed here. */
  relayed = 0;
  readonly rejected: Record<RejectReason, number>;
  /** Connections, publishes and subscriptions the broker refused (server/broker/guard.ts), by reason. */
  readonly refused: Record<BrokerRefusal, number>;
  private readonly recent: RejectSample[] = [];
  private recentNext = 0;
  readonly stuck: StuckDetector;
  private readonly seenTs: Float64Array;
  private readonly seenNext: Uint8Array;
  /**
   * Topics of registered devices only (a topic that fails is never cached), so at most one per
   * device and channel: the registry bounds it, and `routeCap` says so.
   */
  private readonly routes = new Map<string, Route>();
  readonly routeCap: number;

  constructor(
    private readonly table: DeviceTable,
    private readonly listener: IngestListener = {},
    private readonly recentCap = RECENT_REJECTS_CAP,
    /** How old a reading may be (a rehearsal takes its learning period: REHEARSAL_MAX_HISTORY_AGE_MS). */
    private readonly maxHistoryAgeMs = MAX_HISTORY_AGE_MS,
  ) {
    this.rejected = Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<RejectReason, number>;
    this.refused = Object.fromEntries(BROKER_REFUSALS.map((r) => [r, 0])) as Record<BrokerRefusal, number>;
    this.seenTs = new Float64Array(table.size * DEDUPE_SLOTS).fill(-1);
    this.seenNext = new Uint8Array(table.size);
    this.stuck = new StuckDetector((i) => table.typeAt(i), table.size);
    this.routeCap = table.size * CHANNELS.length;
  }

  /** Topics resolved so far (for the bound's test). */
  get routeCount(): number {
    return this.routes.size;
  }

  /** Returns null when accepted, else the reject reason. Never throws on bad input. */
  handle(topic: string, payload: Buffer | Uint8Array, now: number): RejectReason | null {
    let route = this.routes.get(topic);
    const parsed = route === undefined ? parseTopic(topic) : null;
    if (route === undefined && parsed === null) return this.reject(now, topic, 'badTopic', 'not ioc/v1/<type>/<deviceId>/<channel>');
    if (payload.byteLength > MAX_PAYLOAD_BYTES) {
      return this.reject(now, topic, 'oversize', `${payload.byteLength} bytes > ${MAX_PAYLOAD_BYTES}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(Buffer.isBuffer(payload) ? payload.toString('utf8') : new TextDecoder().decode(payload));
    } catch (e) {
      return this.reject(now, topic, 'badJson', (e as Error).message);
    }
    if (route === undefined) {
      const t = parsed!;
      const i = this.table.indexOf(t.deviceId);
      if (i === undefined || this.table.typeAt(i) !== t.type) {
        return this.reject(now, topic, 'unknownDevice', `no ${t.type} device '${t.deviceId}' in the registry`);
      }
      route = { i, type: t.type, channel: t.channel };
      if (this.routes.size < this.routeCap) this.routes.set(topic, route);
    }
    const { i, type } = route;
    switch (route.channel) {
      case 'status': {
        let online = quickStatus(json);
        if (online === null) {
          const r = statusSchema.safeParse(json);
          if (!r.success) return this.reject(now, topic, 'schema', summarize(r.error.issues));
          online = r.data.online;
        }
        this.table.applyStatus(i, online, now);
        this.accepted++;
        this.listener.onStatus?.(i, online, now);
        return null;
      }
      case 'telemetry': {
        let reading = quickTelemetry(type, json);
        if (reading === null) {
          const r = TELEMETRY_SCHEMAS[type].safeParse(json);
          if (!r.success) return this.reject(now, topic, 'schema', summarize(r.error.issues));
          reading = { ts: r.data.ts, values: toValues(type, r.data) };
        }
        const { ts, values } = reading;
        const bad = this.checkTime(ts, now);
        if (bad) return this.reject(now, topic, bad, new Date(ts).toISOString());
        if (this.seen(i, ts)) return this.reject(now, topic, 'duplicate', `a reading at ${new Date(ts).toISOString()} was already taken`);
        const live = this.table.isLive(i, ts, now);
        if (live) {
          if (ts >= this.table.lastSeen[i]!) this.stuck.observe(i, values, this.table.values[i]);
          this.table.applyReading(i, ts, values);
          this.accepted++;
        } else {
          this.history++;
        }
        this.listener.onTelemetry?.(i, type, ts, values, live);
        return null;
      }
      case 'event':
        if (type === 'camera') return this.event(i, topic, json, now, cameraEventSchema, (e, live) => this.listener.onCameraEvent?.(i, e, live));
        if (type === 'reservoir') return this.event(i, topic, json, now, reservoirEventSchema, (e, live) => this.listener.onReservoirEvent?.(i, e, live));
        return this.reject(now, topic, 'schema', `no event channel for type ${type}`);
      case 'forecast':
        // A forecast says nothing of whether its gauge is up: it never touches the device table.
        if (type === 'rain') return this.event(i, topic, json, now, rainForecastSchema, (f) => this.listener.onRainForecast?.(i, f));
        return this.reject(now, topic, 'schema', `no forecast channel for type ${type}`);
      default:
        return assertNever(route.channel, 'channel');
    }
  }

  /**
   * Applies what another instance accepted (server/cluster/relay.ts) as if this one had: the same table
   * updates, duplicate check and listener calls, without validating again; `relayed` counts them. Returns
   * how many records it applied.
   */
  applyRelayed(records: readonly RelayRecord[], now: number): number {
    let n = 0;
    for (const rec of records) {
      const i = rec[1];
      if (rec[0] === 0) {
        const ts = rec[2];
        const values = rec[3];
        if (this.seen(i, ts)) continue;
        const live = this.table.isLive(i, ts, now);
        if (live) {
          if (ts >= this.table.lastSeen[i]!) this.stuck.observe(i, values, this.table.values[i]);
          this.table.applyReading(i, ts, values);
        }
        this.listener.onTelemetry?.(i, this.table.typeAt(i), ts, values, live, true);
      } else if (rec[0] === 1) {
        this.table.applyStatus(i, rec[2] === 1, rec[3]);
      } else if (rec[0] === 2) {
        this.listener.onCameraEvent?.(i, rec[2], this.table.isLive(i, rec[2].ts, now), true);
      } else if (rec[0] === 3) {
        this.listener.onReservoirEvent?.(i, rec[2], this.table.isLive(i, rec[2].ts, now), true);
      } else {
        this.listener.onRainForecast?.(i, rec[2], true);
      }
      n++;
    }
    this.relayed += n;
    return n;
  }

  /** An event of any type: its schema, the time window, counted live or history, then handed on. */
  private event<T extends { ts: number }>(
    i: number,
    topic: string,
    json: unknown,
    now: number,
    schema: ZodType<T>,
    deliver: (e: T, live: boolean) => void,
  ): RejectReason | null {
    const r = schema.safeParse(json);
    if (!r.success) return this.reject(now, topic, 'schema', summarize(r.error.issues));
    const bad = this.checkTime(r.data.ts, now);
    if (bad) return this.reject(now, topic, bad, new Date(r.data.ts).toISOString());
    const live = this.table.isLive(i, r.data.ts, now);
    if (live) this.accepted++;
    else this.history++;
    deliver(r.data, live);
    return null;
  }

  /** Counts a message or a connection the broker refused before it reached the ingest. */
  refuse(reason: BrokerRefusal): void {
    this.refused[reason]++;
  }

  /** Newest first. */
  recentRejects(): RejectSample[] {
    const n = this.recent.length;
    const out: RejectSample[] = [];
    for (let k = 1; k <= n; k++) out.push(this.recent[(this.recentNext - k + n) % n]!);
    return out;
  }

  get rejectedTotal(): number {
    let n = 0;
    for (const r of REJECT_REASONS) n += this.rejected[r];
    return n;
  }

  /** True when this device already sent a reading with this timestamp; else remembers it. */
  private seen(i: number, ts: number): boolean {
    const base = i * DEDUPE_SLOTS;
    for (let k = 0; k < DEDUPE_SLOTS; k++) if (this.seenTs[base + k] === ts) return true;
    const slot = this.seenNext[i]!;
    this.seenTs[base + slot] = ts;
    this.seenNext[i] = (slot + 1) % DEDUPE_SLOTS;
    return false;
  }

  private checkTime(ts: number, now: number): RejectReason | null {
    if (ts > now + MAX_FUTURE_SKEW_MS) return 'futureTimestamp';
    if (ts < now - this.maxHistoryAgeMs) return 'staleTimestamp';
    return null;
  }

  private reject(now: number, topic: string, reason: RejectReason, detail: string): RejectReason {
    this.rejected[reason]++;
    const sample = { at: now, topic: topic.slice(0, MAX_TOPIC_SHOWN), reason, detail: detail.slice(0, 200) };
    if (this.recent.length < this.recentCap) this.recent.push(sample);
    else this.recent[this.recentNext] = sample;
    this.recentNext = (this.recentNext + 1) % this.recentCap;
    return reason;
  }
}

function summarize(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}
