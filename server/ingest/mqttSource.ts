/** Subscribes the ingest to the broker: QoS 1, persistent session, reconnects by itself. */
import mqtt, { type MqttClient } from 'mqtt';
import { SUBSCRIBE_TOPIC } from '../../shared/mqtt';
import type { Logger } from 'pino';

export interface MqttSource {
  connected(): boolean;
  close(): Promise<void>;
}

export function startMqttSource(
  url: string,
  clientId: string,
  onMessage: (topic: string, payload: Buffer) => void,
  log: Logger,
  credentials?: { username: string; password: string },
): Promise<MqttSource> {
  const client: MqttClient = mqtt.connect(url, {
    clientId,
    ...credentials,
    clean: false,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    // Nothing is published by the ingest; an offline queue would only grow.
    queueQoSZero: false,
  });
  client.on('message', (topic, payload) => onMessage(topic, payload));
  client.on('connect', (connack) => {
    log.info({ url, sessionPresent: connack.sessionPresent }, 'mqtt connected');
    // With a present session the broker kept our subscription; subscribing again is harmless.
    client.subscribe(SUBSCRIBE_TOPIC, { qos: 1 }, (err) => {
      if (err) log.error({ err }, 'mqtt subscribe failed');
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
