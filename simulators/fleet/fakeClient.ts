/**
 * A stand-in for mqtt.js clients in tests of the fleet: connects at once, records every publish in call
 * order and acknowledges on the next microtask, so a run under fake timers is fully deterministic.
 */
import { EventEmitter } from 'node:events';
import type { IClientOptions, MqttClient } from 'mqtt';

export interface Captured {
  clientId: string;
  topic: string;
  payload: string;
  qos: number;
  retain: boolean;
}

export function fakeConnect(captured: Captured[]): (url: string, options: IClientOptions) => MqttClient {
  return (_url, options) => {
    const client = new EventEmitter() as EventEmitter & Record<string, unknown>;
    const clientId = String(options.clientId);
    client.connected = false;
    client.stream = { writableLength: 0, destroy() {} };
    const up = () =>
      queueMicrotask(() => {
        client.connected = true;
        client.emit('connect');
      });
    client.publish = (topic: string, payload: string | Buffer, opts: { qos?: number; retain?: boolean }, cb?: (err?: Error) => void) => {
      captured.push({ clientId, topic, payload: String(payload), qos: opts.qos ?? 0, retain: opts.retain ?? false });
      queueMicrotask(() => cb?.());
      return client;
    };
    client.end = (_force?: boolean, _opts?: unknown, cb?: () => void) => {
      const was = client.connected;
      client.connected = false;
      if (was) client.emit('close');
      cb?.();
      return client;
    };
    client.reconnect = () => {
      up();
      return client;
    };
    up();
    return client as unknown as MqttClient;
  };
}
