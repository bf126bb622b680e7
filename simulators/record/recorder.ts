/**
 * The recorder: subscribes to the whole IOC tree and writes every message, as received, to rotating gzip
 * NDJSON parts (format.ts, rotatingWriter.ts). It speaks MQTT 5 when the broker does, to record each
 * message's retain flag as its publisher set it; over MQTT 3.1.1 (aedes, the embedded broker) it says so
 * in the header.
 */
import { existsSync } from 'node:fs';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { SUBSCRIBE_TOPIC } from '../../shared/mqtt';
import { RateMeter } from '../progress';
import { RECORDING_KIND, RECORDING_VERSION, encodeHeader, encodeLine, partPath } from './format';
import { RotatingGzipWriter } from './rotatingWriter';

export interface RecorderOptions {
  mqttUrl: string;
  out: string;
  /** Rotate to the next part when the current one reaches this many compressed bytes. */
  maxBytes?: number;
  topic?: string;
  clientId?: string;
  /** Username and password on the broker (the embedded one lets only its gateway subscribe). */
  credentials?: { username: string; password: string };
  clock?: () => number;
  log?: (line: string) => void;
}

export interface RecorderStats {
  connected: boolean;
  messages: number;
  dropped: number;
  /** Compressed bytes on disk (all parts) and the part being written. */
  bytes: number;
  part: number;
  path: string;
  ratePerSec: number;
  mqttVersion: 4 | 5;
}

export interface Recorder {
  stats(): RecorderStats;
  close(): Promise<RecorderStats>;
}

export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const CONNECT_TIMEOUT_MS = 10_000;

async function connectPreferV5(url: string, base: IClientOptions): Promise<{ client: MqttClient; version: 4 | 5 }> {
  try {
    // A probe without reconnects: a broker that refuses MQTT 5 answers once, and we fall back.
    const client = await connectAsync(url, { ...base, protocolVersion: 5, reconnectPeriod: 0 });
    client.options.reconnectPeriod = base.reconnectPeriod ?? 1000;
    return { client, version: 5 };
  } catch (err) {
    if (!/protocol|version/i.test((err as Error).message)) throw err;
    const client = await connectAsync(url, { ...base, protocolVersion: 4 });
    return { client, version: 4 };
  }
}

export async function startRecorder(opts: RecorderOptions): Promise<Recorder> {
  const clock = opts.clock ?? Date.now;
  const log = opts.log ?? (() => {});
  for (const p of [partPath(opts.out, 0), partPath(opts.out, 1)]) {
    if (existsSync(p)) throw new Error(`${p} already exists: choose another --out or move the old recording away`);
  }
  const { client, version } = await connectPreferV5(opts.mqttUrl, {
    clientId: opts.clientId ?? `ioc-recorder-${process.pid}-${Math.floor(clock() % 1e6)}`,
    ...opts.credentials,
    clean: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    reconnectPeriod: 1000,
  });
  if (version === 4) log('the broker speaks MQTT 3.1.1: live messages are recorded with retain false (retain-as-published needs MQTT 5)');
  const startedAt = clock();
  const writer = new RotatingGzipWriter(opts.out, opts.maxBytes ?? DEFAULT_MAX_BYTES, (part) =>
    encodeHeader({ recording: RECORDING_KIND, version: RECORDING_VERSION, part, startedAt, source: opts.mqttUrl, retainAsPublished: version === 5 }),
  );
  const rate = new RateMeter(clock);
  client.on('message', (topic, payload, packet) => {
    const line = encodeLine({ receivedAt: clock(), topic, payload, qos: packet.qos, retain: packet.retain });
    if (writer.write(line)) rate.add(1);
  });
  client.on('error', (err) => log(`mqtt: ${err.message}`));
  const topic = opts.topic ?? SUBSCRIBE_TOPIC;
  await client.subscribeAsync(topic, version === 5 ? { qos: 1, rap: true } : { qos: 1 });
  log(`recording ${topic} from ${opts.mqttUrl} → ${opts.out}`);

  const stats = (): RecorderStats => {
    const w = writer.stats();
    return { connected: client.connected, messages: w.lines, dropped: w.dropped, bytes: w.bytes, part: w.part, path: w.path, ratePerSec: rate.perSec(), mqttVersion: version };
  };
  let closed: Promise<RecorderStats> | null = null;
  return {
    stats,
    close() {
      closed ??= (async () => {
        await client.endAsync().catch(() => client.end(true));
        await writer.close();
        return stats();
      })();
      return closed;
    },
  };
}
