/**
 * Publishes a rehearsal's simulated clock (shared/simClock.ts): retained, QoS 1, once at the start (the
 * promise resolves when the broker has it) and then every second; on close the retained message is
 * cleared, so a server started later is not put on a rehearsal that has ended.
 */
import type { IClientOptions, MqttClient } from 'mqtt';
import { SIM_CLOCK_EVERY_MS, SIM_CLOCK_TOPIC, type SimClockMessage } from '../../shared/simClock';
import { CONNECT_TIMEOUT_MS, withTimeout } from './connection';

export interface ClockPublisherOptions {
  mqttUrl: string;
  connect: (url: string, options: IClientOptions) => MqttClient;
  clientId: string;
  credentials?: { username: string; password: string };
  message: () => SimClockMessage;
  onError: (err: Error) => void;
  everyMs?: number;
}

export async function startClockPublisher(opts: ClockPublisherOptions): Promise<{ close(): Promise<void> }> {
  const client = opts.connect(opts.mqttUrl, { clientId: opts.clientId, ...opts.credentials, clean: true, connectTimeout: CONNECT_TIMEOUT_MS, reconnectPeriod: 2000 });
  client.on('error', opts.onError);
  const publish = () =>
    new Promise<void>((resolve) => {
      if (!client.connected) return resolve();
      client.publish(SIM_CLOCK_TOPIC, JSON.stringify(opts.message()), { qos: 1, retain: true }, (err) => {
        if (err) opts.onError(err);
        resolve();
      });
    });
  // Every (re)connect sends the clock at once: the broker may have restarted without its retained messages.
  let firstSent: (() => void) | null = null;
  const first = new Promise<void>((resolve) => (firstSent = resolve));
  client.on('connect', () =>
    void publish().then(() => {
      firstSent?.();
      firstSent = null;
    }),
  );
  await withTimeout(first, CONNECT_TIMEOUT_MS, undefined);
  const timer = setInterval(() => void publish(), opts.everyMs ?? SIM_CLOCK_EVERY_MS);
  return {
    close: async () => {
      clearInterval(timer);
      if (client.connected) {
        await withTimeout(
          new Promise<void>((resolve) => client.publish(SIM_CLOCK_TOPIC, '', { qos: 1, retain: true }, () => resolve())),
          2000,
          undefined,
        );
      }
      await withTimeout(new Promise<void>((resolve) => client.end(false, {}, () => resolve())), 1000, undefined);
    },
  };
}
