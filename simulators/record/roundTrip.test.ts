/** Record → replay through a real broker (aedes on 127.0.0.1, port 0): nothing lost, nothing reordered. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { createRandom } from '../../shared/random';
import { startTestBroker } from '../fleet/testBroker';
import { readRecording, recordingParts } from './reader';
import { startRecorder } from './recorder';
import { createReplay, mqttTarget } from './replayer';

interface Got {
  topic: string;
  payload: Buffer;
  qos: number;
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups.length = 0;
});

async function client(url: string, id: string): Promise<MqttClient> {
  const c = await connectAsync(url, { clientId: id, reconnectPeriod: 0 });
  cleanups.push(() => c.endAsync(true));
  return c;
}

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Telemetry, statuses, binary payloads, big ones (over the contract's 16 KiB) and empty ones. */
function traffic(n: number): Array<{ topic: string; payload: Buffer; qos: 0 | 1 }> {
  const r = createRandom(9);
  return Array.from({ length: n }, (_, k) => {
    const topic = `ioc/v1/${['air', 'rain', 'camera'][k % 3]}/dev-${k % 17}/${k % 10 === 0 ? 'status' : 'telemetry'}`;
    let payload: Buffer;
    if (k % 13 === 5) payload = Buffer.from(Array.from({ length: 40 }, () => Math.floor(r.next() * 256)));
    else if (k % 97 === 50) payload = Buffer.from('x'.repeat(20_000));
    else if (k % 101 === 7) payload = Buffer.alloc(0);
    else payload = Buffer.from(JSON.stringify({ ts: 1_700_000_000_000 + k, value: r.next(), k }));
    return { topic, payload, qos: 1 };
  });
}

describe('record → replay through a real broker', () => {
  it('loses and reorders nothing, across rotated parts', async () => {
    const broker = await startTestBroker();
    cleanups.push(() => broker.close());
    const dir = await mkdtemp(join(tmpdir(), 'ioc-rt-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const out = join(dir, 'rt.ndjson.gz');
    const lines: string[] = [];
    const recorder = await startRecorder({ mqttUrl: broker.url, out, maxBytes: 8 * 1024, log: (l) => lines.push(l) });
    cleanups.push(() => recorder.close());
    expect(lines[0]).toMatch(/MQTT 3\.1\.1/);

    const sent = traffic(1500);
    const pub = await client(broker.url, 'rt-publisher');
    for (let k = 0; k < sent.length; k++) {
      const m = sent[k]!;
      pub.publish(m.topic, m.payload, { qos: m.qos });
      // Spread over a few seconds so the recorder's once-a-second flush rotates parts on the way.
      if (k % 500 === 499) await new Promise((r) => setTimeout(r, 1100));
    }
    await until(() => recorder.stats().messages === sent.length, 'the recording');
    const stats = await recorder.close();
    expect(stats).toMatchObject({ messages: sent.length, dropped: 0 });
    expect(recordingParts(out).length).toBeGreaterThan(1);

    const got: Got[] = [];
    const sub = await client(broker.url, 'rt-subscriber');
    sub.on('message', (topic, payload, packet) => got.push({ topic, payload, qos: packet.qos }));
    await sub.subscribeAsync('ioc/v1/#', { qos: 1 });
    const target = await client(broker.url, 'rt-replayer');
    const replay = createReplay({ source: () => readRecording(out), target: mqttTarget(target), speed: 50 });
    const done = await replay.done;
    expect(done).toMatchObject({ published: sent.length, errors: 0 });
    const expected = sent;
    await until(() => got.length >= expected.length, 'the replay');
    expect(got.map((g) => [g.topic, g.payload.toString('hex'), g.qos])).toEqual(expected.map((m) => [m.topic, m.payload.toString('hex'), m.qos]));
  }, 30_000);
});
