/**
 * Subscribes the ingest to an external broker; reconnects by itself. Alone: QoS 1 with a persistent session
 * (the broker queues what arrives while the server restarts). In a cluster: an MQTT 5 shared subscription
 * ($share/<group>/ioc/v1/#), so the broker hands each message to one instance of the group.
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { SUBSCRIBE_TOPIC } from '../../shared/mqtt';
import type { Logger } from 'pino';
import type { MqttCredentials } from '../broker/guard';
import type { HeldAcks } from './heldAcks';

export interface MqttSource {
  connected(): boolean;
  close(): Promise<void>;
}

export interface MqttSourceOptions {
  /** The ingest's login on the broker (MQTT_CREDENTIALS). */
  credentials?: MqttCredentials;
  /** The shared-subscription group instances split the ingest in; absent: a plain subscription. */
  shareGroup?: string;
  /** Where QoS 1 acknowledgements wait for the store (in a cluster); absent: sent once handled, in batches. */
  heldAcks?: HeldAcks;
}

/** The filter the ingest subscribes to: the contract's topics, shared in a group when there is one. */
export function ingestFilter(shareGroup?: string): string {
  return shareGroup ? `$share/${shareGroup}/${SUBSCRIBE_TOPIC}` : SUBSCRIBE_TOPIC;
}

/**
 * The session a shared consumer asks for: MQTT 5, resumed if present (clean start off), and outliving the
 * connection by SHARED_SESSION_EXPIRY_S. Measured on Debian's Mosquitto 2.0.11 (2026-12-07, a throwaway
 * script; since then test/integration/sharedIngest.test.ts; ARCHITECTURE.md "When a dependency goes"): a shared
 * member killed with 50 unacknowledged QoS 1 messages, 50 more dealt to its session while it was away; a client
 * connecting with its client id and clean start off got all 100 and then its share of new ones, and nothing was
 * lost. With a session ending with the connection the broker gives the dead member's unacknowledged messages to
 * nobody. So an instance's session waits for it, or for another instance to adopt it
 * (server/cluster/ingestSessions.ts), and its acknowledgements wait for the store (heldAcks.ts). Closing cleanly
 * ends the session (nothing is held then).
 */
export const SHARED_SESSION_EXPIRY_S = 3_600;
const SHARED_SESSION: IClientOptions = { protocolVersion: 5, clean: false, properties: { sessionExpiryInterval: SHARED_SESSION_EXPIRY_S } };

/** Alone: the broker keeps our session (MQTT 3.1.1, clean false) and queues for us while we restart. */
const SOLO_SESSION: IClientOptions = { clean: false };

interface PacketSender {
  _sendPacket(packet: { cmd: string }, cb?: () => void, cbStorePut?: () => void): void;
}

/**
 * Routes the client's PUBACKs through `held`, so the broker keeps a message until its readings are stored.
 * mqtt.js reads the next packet only after a message's acknowledgement is handed to `_sendPacket`
 * (handlers/publish.js), and offers no later acknowledgement that does not stall the connection
 * (`customHandleAcks` waits, one message at a time). So the acknowledgement packet is taken there, the
 * connection goes on, and the packet is sent when `held` releases it, on the connection it belongs to (after a
 * reconnect the broker sends the message again, and the old acknowledgement is dropped). Pinned to mqtt.js
 * 5.x by test/integration/sharedIngest.test.ts, which fails when acknowledgements go out on receipt.
 */
function holdPubacks(client: MqttClient, held: HeldAcks): void {
  deferPubacks(client, (send) => held.hold(send));
}

/**
 * Takes the client's PUBACKs on their way out of `_sendPacket` and hands `later` a function that sends one on the
 * connection it belongs to (dropped after a reconnect: the broker sends the message again); mqtt.js goes on to the
 * next message at once.
 */
function deferPubacks(client: MqttClient, later: (send: () => void) => void): void {
  const c = client as unknown as PacketSender;
  const send = c._sendPacket.bind(client);
  c._sendPacket = (packet, cb, cbStorePut) => {
    if (packet.cmd !== 'puback') return send(packet, cb, cbStorePut);
    const stream = client.stream;
    later(() => {
      if (client.stream === stream && client.connected) send(packet);
    });
    cb?.();
  };
}

/** At most this many acknowledgements wait for the next turn of the event loop; one more writes them at once. */
export const PUBACK_BATCH_CAP = 10_000;

/**
 * Writes the client's PUBACKs together, once per turn of the event loop, instead of one write per message.
 * mqtt.js hands each message's acknowledgement to `_sendPacket` as it finishes the message and then goes on to
 * the next on a later tick; mqtt-packet corks the socket for a packet and uncorks it on the next tick, so every
 * PUBACK left in its own write (a system call each: at QoS 1 the MQTT client cost 14.4 µs a message against
 * 5.5 at QoS 0, `npm run bench -- --only breakdown`). Here they are taken on their way out and written in one go
 * at `setImmediate`, after the packets of the socket's last read (corks nest: one write for all). An
 * acknowledgement only ever goes later than mqtt.js would send it, never before its message was handled; one
 * lost with its connection makes the broker send the message again, and the ingest drops the duplicate.
 */
export function batchPubacks(client: MqttClient, cap = PUBACK_BATCH_CAP): { pending(): number } {
  let pending: (() => void)[] = [];
  const flush = () => {
    const out = pending;
    pending = [];
    for (const send of out) send();
  };
  deferPubacks(client, (send) => {
    if (pending.length === 0) setImmediate(flush);
    pending.push(send);
    if (pending.length >= cap) flush();
  });
  return { pending: () => pending.length };
}

export function startMqttSource(url: string, clientId: string, onMessage: (topic: string, payload: Buffer) => void, log: Logger, opts: MqttSourceOptions = {}): Promise<MqttSource> {
  const filter = ingestFilter(opts.shareGroup);
  const client: MqttClient = mqtt.connect(url, {
    clientId,
    ...opts.credentials,
    ...(opts.shareGroup ? SHARED_SESSION : SOLO_SESSION),
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    // Nothing is published by the ingest; an offline queue would only grow.
    queueQoSZero: false,
  });
  if (opts.heldAcks) holdPubacks(client, opts.heldAcks);
  else batchPubacks(client);
  client.on('message', (topic, payload) => onMessage(topic, payload));
  client.on('connect', (connack) => {
    log.info({ url, filter, sessionPresent: connack.sessionPresent }, 'mqtt connected');
    // With a present session the broker kept our subscription; subscribing again is harmless.
    client.subscribe(filter, { qos: 1 }, (err, granted) => {
      if (err) log.error({ err }, 'mqtt subscribe failed');
      // A refusal (an ACL, or a broker without shared subscriptions) comes back as a grant of 128 and up.
      else if (granted?.some((g) => g.qos >= 128)) log.error({ filter, granted }, 'mqtt subscribe refused by the broker');
    });
  });
  client.on('reconnect', () => log.warn({ url }, 'mqtt reconnecting'));
  client.on('error', (err) => log.warn({ err: err.message }, 'mqtt error'));
  const source: MqttSource = {
    connected: () => client.connected,
    // A shared session ends with a clean close (expiry 0 on DISCONNECT): the broker stops dealing to it, and
    // what it held unacknowledged is in the writer's queue, which the server writes before it exits.
    close: () =>
      new Promise<void>((resolve) => {
        const graceful = opts.shareGroup !== undefined && client.connected;
        client.end(!graceful, graceful ? { properties: { sessionExpiryInterval: 0 } } : {}, () => resolve());
      }),
  };
  return new Promise((resolve) => {
    // Resolve on the first connect, or right away on failure: the client keeps retrying and
    // health reports mqtt.connected = false meanwhile.
    const done = () => resolve(source);
    client.once('connect', done);
    client.once('error', done);
    setTimeout(done, 3000).unref();
  });
}

export interface AdoptedSession {
  /** Resolves when the connection ends: the owner came back (the broker hands it its session), or a failure. */
  readonly ended: Promise<void>;
  /** Drops the connection and leaves the session to the broker (for its owner, or another instance). */
  close(): Promise<void>;
}

/**
 * Takes over another instance's shared session (server/cluster/ingestSessions.ts decides whose): the same
 * client id with clean start off, so the broker hands over what it kept for the dead instance (its
 * unacknowledged messages and its share since) and goes on dealing the session its share. One connection, no
 * reconnect: when its owner connects again the broker ends this one ("session taken over") and the adoption is
 * over. Resolves null when there is no such session any more (it expired, or its owner closed it cleanly): the
 * session this connection made is ended at once.
 */
export function adoptSession(url: string, clientId: string, onMessage: (topic: string, payload: Buffer) => void, log: Logger, opts: Pick<MqttSourceOptions, 'credentials' | 'heldAcks'> = {}): Promise<AdoptedSession | null> {
  const client: MqttClient = mqtt.connect(url, { clientId, ...opts.credentials, ...SHARED_SESSION, reconnectPeriod: 0, connectTimeout: 10_000, queueQoSZero: false });
  if (opts.heldAcks) holdPubacks(client, opts.heldAcks);
  client.on('message', (topic, payload) => onMessage(topic, payload));
  client.on('error', (err) => log.warn({ err: err.message, clientId }, 'mqtt adopted session error'));
  const ended = new Promise<void>((resolve) => client.once('close', () => resolve()));
  return new Promise((resolve) => {
    client.once('connect', (connack) => {
      if (!connack.sessionPresent) {
        client.end(false, { properties: { sessionExpiryInterval: 0 } }, () => resolve(null));
        return;
      }
      log.warn({ clientId }, 'mqtt session adopted');
      void ended.then(() => log.info({ clientId }, 'mqtt adopted session ended'));
      resolve({ ended, close: () => new Promise<void>((r) => client.end(true, {}, () => r())) });
    });
    void ended.then(() => resolve(null));
  });
}
