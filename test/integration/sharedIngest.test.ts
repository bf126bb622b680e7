/**
 * The ingest's MQTT 5 shared subscription in Debian's Mosquitto (2.0): two instances in one group split the
 * messages, each to exactly one of them; without a group each gets them all; a member that closes stops
 * taking its share at once (a clean close ends its session); a member killed with its acknowledgements held
 * loses nothing: the instance that adopts its session gets what it had not acknowledged and its share since
 * (server/ingest/mqttSource.ts, heldAcks.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { DEVICE_TYPES, topicFor } from '../../shared/mqtt';
import { createLogger } from '../../server/log';
import { adoptSession, ingestFilter, startMqttSource, type AdoptedSession, type MqttSource } from '../../server/ingest/mqttSource';
import { SHARED_INGEST_BROKER_SETTINGS } from '../../server/cluster/local/configs';
import { waitFor } from '../support/harness';
import { startAnonymousMosquitto, type TestMosquitto } from '../support/mosquitto';

const N = 2000;
const log = createLogger('silent');

let broker: TestMosquitto | undefined;
const sources: (MqttSource | AdoptedSession)[] = [];
const clients: MqttClient[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const c of clients.splice(0)) await c.endAsync(true).catch(() => undefined);
  for (const s of sources.splice(0)) await s.close();
  await broker?.stop();
  broker = undefined;
});

/** A consumer as app.ts starts one, counting each message it is handed (probes apart). */
async function consumer(url: string, clientId: string, shareGroup?: string): Promise<Consumer> {
  const c: Consumer = { got: new Map(), probes: 0, source: undefined! };
  c.source = await startMqttSource(
    url,
    clientId,
    (_topic, payload) => {
      const p = payload.toString();
      if (p.startsWith('probe-')) c.probes++;
      else c.got.set(p, (c.got.get(p) ?? 0) + 1);
    },
    log,
    { shareGroup },
  );
  sources.push(c.source);
  return c;
}

interface Consumer {
  got: Map<string, number>;
  probes: number;
  source: MqttSource;
}

async function publisher(url: string): Promise<MqttClient> {
  const c = await mqtt.connectAsync(url, { clientId: 'test-publisher', reconnectPeriod: 0 });
  clients.push(c);
  return c;
}

/** Message i on a topic of the contract, spread over the device types and 50 devices. */
const topicOf = (i: number) => topicFor(DEVICE_TYPES[i % DEVICE_TYPES.length]!, `dev-${i % 50}`, 'telemetry');

/**
 * Waits until every consumer's subscription is in place (the sources resolve on connect, before their
 * SUBACK): probes go out until each has had one, as the broker deals them round and round.
 */
async function settle(pub: MqttClient, consumers: Consumer[]): Promise<void> {
  let k = 0;
  await waitFor('every consumer subscribed', async () => {
    await pub.publishAsync(topicFor('air', 'probe', 'status'), `probe-${k++}`, { qos: 1 });
    return consumers.every((c) => c.probes > 0);
  });
}

/**
 * Waits until the broker has taken a member that closed out of the group: the close resolves when the client
 * has sent its DISCONNECT, which the broker may handle after messages published just then, dealing some to the
 * member that is gone (lost with its clean session). Rounds of four probes go out until the one left gets a
 * whole round: with two members still in the group, round-robin would hand the other at least one.
 */
async function departed(pub: MqttClient, left: Consumer): Promise<void> {
  let k = 0;
  await waitFor('the broker dropping the member that left', async () => {
    const before = left.probes;
    for (let j = 0; j < 4; j++) await pub.publishAsync(topicFor('air', 'probe', 'status'), `probe-left-${k++}`, { qos: 1 });
    const deadline = Date.now() + 500;
    while (left.probes < before + 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return left.probes === before + 4;
  }, 10_000);
}

async function publishAll(pub: MqttClient, from: number, to: number): Promise<void> {
  // In parallel batches: QoS 1 in order on one connection, without a round trip each.
  for (let i = from; i < to; i += 100) {
    await Promise.all(Array.from({ length: Math.min(100, to - i) }, (_, j) => pub.publishAsync(topicOf(i + j), `m-${i + j}`, { qos: 1 })));
  }
}

const total = (...maps: Map<string, number>[]) => maps.reduce((n, m) => n + m.size, 0);

describe('shared-subscription ingest in Mosquitto', () => {
  it('subscribes $share/<group>/ioc/v1/# in a group and the contract filter alone', () => {
    expect(ingestFilter('ioc')).toBe('$share/ioc/ioc/v1/#');
    expect(ingestFilter(undefined)).toBe('ioc/v1/#');
  });

  it('hands each message to exactly one of two instances in the same group, and both get some', async () => {
    broker = await startAnonymousMosquitto();
    const a = await consumer(broker.url, 'ioc-server-a', 'ioc');
    const b = await consumer(broker.url, 'ioc-server-b', 'ioc');
    const pub = await publisher(broker.url);
    await settle(pub, [a, b]);

    await publishAll(pub, 0, N);
    await waitFor(`${N} messages consumed`, () => total(a.got, b.got) >= N);
    // Anything late (a duplicate) would come right behind the rest.
    await new Promise((r) => setTimeout(r, 300));

    expect(total(a.got, b.got)).toBe(N);
    const both = [...a.got.keys()].filter((p) => b.got.has(p));
    expect(both).toEqual([]);
    expect([...a.got.values(), ...b.got.values()].every((n) => n === 1)).toBe(true);
    const all = new Set([...a.got.keys(), ...b.got.keys()]);
    expect(all.size).toBe(N);
    for (let i = 0; i < N; i++) expect(all.has(`m-${i}`)).toBe(true);
    // Mosquitto deals round-robin: both take a real share.
    expect(a.got.size).toBeGreaterThan(N / 4);
    expect(b.got.size).toBeGreaterThan(N / 4);
  });

  it('without a group each instance gets every message', async () => {
    broker = await startAnonymousMosquitto();
    const a = await consumer(broker.url, 'ioc-server-a');
    const b = await consumer(broker.url, 'ioc-server-b');
    const pub = await publisher(broker.url);
    await settle(pub, [a, b]);

    await publishAll(pub, 0, N);
    await waitFor(`${N} messages at each`, () => a.got.size >= N && b.got.size >= N);
    await new Promise((r) => setTimeout(r, 300));
    for (const c of [a, b]) {
      expect(c.got.size).toBe(N);
      expect([...c.got.values()].every((n) => n === 1)).toBe(true);
    }
  });

  it('a member that leaves stops taking its share: the one left gets everything after', async () => {
    broker = await startAnonymousMosquitto();
    const a = await consumer(broker.url, 'ioc-server-a', 'ioc');
    const b = await consumer(broker.url, 'ioc-server-b', 'ioc');
    const pub = await publisher(broker.url);
    await settle(pub, [a, b]);

    await publishAll(pub, 0, N / 2);
    await waitFor('the first half consumed', () => total(a.got, b.got) >= N / 2);
    await b.source.close();
    await departed(pub, a);
    const bBefore = b.got.size;
    await publishAll(pub, N / 2, N);
    await waitFor('the second half consumed by the one left', () => total(a.got, b.got) >= N, 10_000);

    expect(b.got.size).toBe(bBefore);
    expect(total(a.got, b.got)).toBe(N);
    for (let i = N / 2; i < N; i++) expect(a.got.get(`m-${i}`)).toBe(1);
  });

  it('a member killed with its acknowledgements held loses nothing: adopting its session brings back all it had not acknowledged, and its share since', async () => {
    broker = await startAnonymousMosquitto([...SHARED_INGEST_BROKER_SETTINGS]);
    const member = fileURLToPath(new URL('../support/heldAckMember.ts', import.meta.url));
    const killed = { got: new Set<string>(), probes: 0 };
    const child = fork(member, [broker.url, 'ioc-server-a', 'ioc'], { execArgv: ['--import', 'tsx'] });
    children.push(child);
    const ready = new Promise<void>((resolve) => child.on('message', (m: string) => (m === 'ready' ? resolve() : m.startsWith('probe-') ? killed.probes++ : killed.got.add(m))));
    await ready;
    const b = await consumer(broker.url, 'ioc-server-b', 'ioc');
    const pub = await publisher(broker.url);
    await settle(pub, [killed as unknown as Consumer, b]);

    await publishAll(pub, 0, N / 2);
    await waitFor('the first half consumed', () => killed.got.size + b.got.size >= N / 2);
    expect(killed.got.size).toBeGreaterThan(N / 8);
    // Killed: no DISCONNECT, its session stays with the broker, with every message it took unacknowledged.
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
    await publishAll(pub, N / 2, N);

    // Another instance adopts the session: same client id, clean start off.
    const adopted = new Map<string, number>();
    const session = await adoptSession(broker.url, 'ioc-server-a', (_t, payload) => adopted.set(payload.toString(), (adopted.get(payload.toString()) ?? 0) + 1), log);
    expect(session).not.toBeNull();
    sources.push(session!);
    const all = () => new Set([...b.got.keys(), ...adopted.keys()].filter((p) => p.startsWith('m-')));
    await waitFor(`all ${N} messages between the member left and the adopted session`, () => all().size >= N, 15_000);
    // What the killed member had taken, it never acknowledged: the broker handed every one of them again.
    for (const p of killed.got) if (p.startsWith('m-')) expect(adopted.has(p)).toBe(true);
    // The adopted session goes on taking a share of new messages.
    const before = adopted.size;
    await publishAll(pub, N, N + 200);
    await waitFor('the adopted session taking new messages', () => adopted.size > before, 5_000);
  });

  it('adopting a session the broker no longer has gives nothing, and leaves no session behind', async () => {
    broker = await startAnonymousMosquitto();
    const a = await consumer(broker.url, 'ioc-server-a', 'ioc');
    await a.source.close(); // a clean close ends its session
    expect(await adoptSession(broker.url, 'ioc-server-a', () => undefined, log)).toBeNull();
    expect(await adoptSession(broker.url, 'ioc-server-a', () => undefined, log)).toBeNull();
  });
});
