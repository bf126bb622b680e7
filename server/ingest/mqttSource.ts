/**
 * Subscribes the ingest to an external broker; reconnects by itself. Alone: QoS 1 with a persistent session
 * (the broker queues what arrives while the server restarts). In a cluster: an MQTT 5 shared subscription
 * ($share/<group>/ioc/v1/#), so the broker hands each message to one instance of the group.
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { SUBSCRIBE_TOPIC } from '../../shared/mqtt';
import type { Logger } from 'pino';
import type { MqttCredentials } from '../broker/guard';

export interface MqttSource {
  connected(): boolean;
  close(): Promise<void>;
}

export interface MqttSourceOptions {
  /** The ingest's login on the broker (MQTT_CREDENTIALS). */
  credentials?: MqttCredentials;
  /** The shared-subscription group instances split the ingest in; absent: a plain subscription. */
  shareGroup?: string;
}

/** The filter the ingest subscribes to: the contract's topics, shared in a group when there is one. */
export function ingestFilter(shareGroup?: string): string {
  return shareGroup ? `$share/${shareGroup}/${SUBSCRIBE_TOPIC}` : SUBSCRIBE_TOPIC;
}

/**
 * The session a shared consumer asks for: a clean start, and the session ends when the connection does
 * (MQTT 5 session expiry 0, the default when absent). Measured on Debian's Mosquitto 2.0.11 with two members
 * and 2,000 QoS 1 messages, one member dropped after 500: with expiry 0 nothing was lost, the broker gave the
 * rest to the member left. With a session outliving the connection the broker goes on dealing the dropped
 * member its share: 750 lost when it never came back (expiry 30 s, clean or not), and 217 lost when it came
 * back after 1 s with a clean start (its queue thrown away); only a persistent session that did come back lost
 * nothing. An instance that dies may not come back, and another instance takes its clients anyway, so the
 * session dies with the connection.
 */
const SHARED_SESSION: IClientOptions = { protocolVersion: 5, clean: true };

/** Alone: the broker keeps our session (MQTT 3.1.1, clean false) and queues for us while we restart. */
const SOLO_SESSION: IClientOptions = { clean: false };

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
    close: () =>
      new Promise<void>((resolve) => {
        client.end(true, {}, () => resolve());
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
