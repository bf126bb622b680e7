/** One simulated device's MQTT connection: options with its last will, and a clean goodbye. */
import type { IClientOptions, MqttClient } from 'mqtt';
import { createRandom, hashSeed } from '../../shared/random';

const URL_PROTOCOLS = new Set(['mqtt:', 'mqtts:', 'tcp:', 'ssl:', 'ws:', 'wss:']);
export const CONNECT_TIMEOUT_MS = 10_000;
const CLOSE_ACK_TIMEOUT_MS = 2000;
const CLOSE_END_TIMEOUT_MS = 1000;
const OFFLINE = JSON.stringify({ online: false });

/** Checks an MQTT broker URL; returns an error message or null. */
export function checkMqttUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `not a URL: ${url}`;
  }
  if (!URL_PROTOCOLS.has(parsed.protocol)) {
    return `unsupported protocol ${parsed.protocol} (use mqtt://, mqtts://, ws:// or wss://)`;
  }
  if (!parsed.hostname) return `no host in ${url}`;
  return null;
}

export function withTimeout<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => {
        clearTimeout(timer);
        resolve(fallback);
      },
    );
  });
}

export function deviceClientOptions(deviceId: string, statusTopic: string): IClientOptions {
  const jitter = createRandom(hashSeed(deviceId, 7)).next();
  return {
    clientId: `sim-${deviceId}`,
    clean: true,
    keepalive: 60,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // Jittered, so a broker restart is not met by every device at the same instant.
    reconnectPeriod: 2000 + Math.round(jitter * 3000),
    queueQoSZero: false,
    will: { topic: statusTopic, payload: Buffer.from(OFFLINE), qos: 1, retain: true },
  };
}

/**
 * Ends a device's connection. A clean disconnect does not fire the will, so it says "offline" itself
 * first (retained); resolves whether that was acknowledged. Bounded in time whatever the broker does.
 */
export async function closeDeviceClient(client: MqttClient, statusTopic: string, now: number): Promise<boolean> {
  if (!client.connected) {
    client.end(true);
    return false;
  }
  const offline = JSON.stringify({ online: false, ts: Math.round(now) });
  const acked = await withTimeout(
    new Promise<boolean>((resolve) => client.publish(statusTopic, offline, { qos: 1, retain: true }, (err) => resolve(!err))),
    CLOSE_ACK_TIMEOUT_MS,
    false,
  );
  if (!acked) {
    // The broker is not answering: drop the socket; if it is still there it publishes the will.
    client.end(true);
    return false;
  }
  const ended = await withTimeout(
    new Promise<boolean>((resolve) => client.end(false, {}, () => resolve(true))),
    CLOSE_END_TIMEOUT_MS,
    false,
  );
  if (!ended) client.stream?.destroy();
  return true;
}
