/**
 * The ingest's QoS 1 acknowledgements written together (server/ingest/mqttSource.ts, batchPubacks), on a real
 * broker (the embedded aedes): every message is acknowledged (the same session, connected again, gets none of
 * them a second time), in far fewer socket writes than messages, with no more than the cap waiting. One at a
 * time (a cap of 1) is what mqtt.js does alone: a write per message.
 */
import type { Socket } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../server/broker/embedded';
import { batchPubacks } from '../../server/ingest/mqttSource';
import { waitFor } from '../support/harness';

const N = 2000;

let broker: EmbeddedBroker | undefined;
const clients: MqttClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) await c.endAsync(true).catch(() => undefined);
  await broker?.close();
  broker = undefined;
});

/** Counts the socket's writes (corked packets leave in one `_writev`). */
function countWrites(client: MqttClient): () => number {
  const sock = client.stream as Socket & { _writev?: (...a: unknown[]) => void; _write: (...a: unknown[]) => void };
  let writes = 0;
  const write = sock._write.bind(sock);
  sock._write = (...a: unknown[]) => {
    writes++;
    write(...a);
  };
  const writev = sock._writev?.bind(sock);
  if (writev) {
    sock._writev = (...a: unknown[]) => {
      writes++;
      writev(...a);
    };
  }
  return () => writes;
}

async function run(cap: number): Promise<{ writes: number; maxPending: number; again: number }> {
  broker = await startEmbeddedBroker(0, '127.0.0.1');
  const url = `mqtt://127.0.0.1:${broker.port}`;
  const clientId = `ingest-cap-${cap}`;
  const sub = await mqtt.connectAsync(url, { clientId, clean: false });
  clients.push(sub);
  const batch = batchPubacks(sub, cap);
  await sub.subscribeAsync('t/#', { qos: 1 });
  const writes = countWrites(sub);
  let got = 0;
  let maxPending = 0;
  sub.on('message', () => {
    got++;
    maxPending = Math.max(maxPending, batch.pending());
  });
  const pub = await mqtt.connectAsync(url, { clientId: `pub-${cap}` });
  clients.push(pub);
  await Promise.all(Array.from({ length: N }, (_, k) => pub.publishAsync(`t/${k % 50}`, String(k), { qos: 1 })));
  await waitFor('every message at the ingest', () => got === N);
  // The last batch goes at the next turn of the event loop.
  await new Promise((r) => setTimeout(r, 200));
  const n = writes();
  await sub.endAsync();
  // The same session again: a message left unacknowledged would come a second time.
  const again = await mqtt.connectAsync(url, { clientId, clean: false });
  clients.push(again);
  let redelivered = 0;
  again.on('message', () => redelivered++);
  await new Promise((r) => setTimeout(r, 500));
  return { writes: n, maxPending, again: redelivered };
}

describe('QoS 1 acknowledgements written together', () => {
  it('acknowledges every message, in far fewer writes than messages', async () => {
    const r = await run(10_000);
    expect(r.again).toBe(0);
    expect(r.writes).toBeLessThan(N / 4);
  });

  it('never keeps more than its cap waiting', async () => {
    const r = await run(16);
    expect(r.again).toBe(0);
    expect(r.maxPending).toBeLessThanOrEqual(16);
    expect(r.maxPending).toBeGreaterThan(0);
  });

  it('one at a time (a cap of 1) is a write per message, as mqtt.js alone', async () => {
    const r = await run(1);
    expect(r.again).toBe(0);
    expect(r.writes).toBeGreaterThanOrEqual(N);
  });
});
