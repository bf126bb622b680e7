/**
 * Issue 14 point 5: the embedded broker lets a device in with its own secret only, takes its messages on its
 * own topics only, lets it subscribe to nothing, and counts every refusal by reason in /api/health and
 * /metrics, while an authorized device keeps flowing.
 */
import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../server/app';
import { topicFor, type BrokerRefusal } from '../../shared/mqtt';
import { connectMqtt, getJson, startTestApp, waitFor } from '../support/harness';
import { authFetch } from '../support/session';
import { nearMiss } from '../support/tamper';

let app: App | undefined;
const clients: MqttClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) await c.endAsync(true).catch(() => undefined);
  await app?.close();
  app = undefined;
});

async function device(a: App, id: string, password: string | undefined, clientId = `dev-${id}-${clients.length}`): Promise<MqttClient> {
  const c = await connectMqtt(a.mqttUrl, password === undefined ? { clientId, anonymous: true } : { clientId, username: id, password });
  clients.push(c);
  return c;
}

/** The CONNACK refusal of a connect attempt (its error message), or 'connected'. */
async function attempt(a: App, opts: { username?: string; password?: string }): Promise<string> {
  try {
    const c = await connectMqtt(a.mqttUrl, { clientId: `attempt-${Math.random()}`, anonymous: opts.username === undefined, ...opts });
    clients.push(c);
    return 'connected';
  } catch (err) {
    return (err as Error).message;
  }
}

const hydroReading = (ts: number, level: number) => JSON.stringify({ ts, waterLevel: level });

describe('device credentials on the embedded broker', () => {
  it('refuses no credentials, a wrong secret, an unknown or revoked device, another device’s topic and any subscription; counts each; the good device keeps flowing', async () => {
    app = await startTestApp();
    const a = app;
    const [own, other] = a.province.registry.devices.filter((d) => d.type === 'hydro');
    const { secret } = await a.credentials.issue(own!.id);
    const otherSecret = (await a.credentials.issue(other!.id)).secret;

    // The authorized device publishes and its reading reaches the ingest.
    const good = await device(a, own!.id, secret);
    const t0 = Date.now() - 10_000;
    await good.publishAsync(topicFor('hydro', own!.id, 'telemetry'), hydroReading(t0, 2.5), { qos: 1 });
    const i = a.table.indexOf(own!.id)!;
    await waitFor('the first reading', () => a.table.lastSeen[i] === t0);

    expect(await attempt(a, {})).toMatch(/Bad username or password/i);
    expect(await attempt(a, { username: own!.id, password: nearMiss(secret) })).toMatch(/Bad username or password/i);
    expect(await attempt(a, { username: own!.id, password: otherSecret })).toMatch(/Bad username or password/i);
    expect(await attempt(a, { username: 'qng-hydro-9999', password: secret })).toMatch(/Not authorized/i);
    // The gateway's name with a device's secret is no way in either.
    expect(await attempt(a, { username: a.gateway!.username, password: secret })).toMatch(/Bad username or password/i);

    // Publishing as the other device: the broker drops the message and the connection (MQTT-3.3.5-2).
    const rogue = await device(a, own!.id, secret);
    const closed = new Promise<void>((resolve) => rogue.once('close', () => resolve()));
    rogue.publish(topicFor('hydro', other!.id, 'telemetry'), hydroReading(t0 + 1000, 9.9), { qos: 0 });
    await closed;
    // Subscribing: refused in the SUBACK (granted 128), the connection stays.
    const spy = await device(a, other!.id, otherSecret);
    // mqtt.js turns a SUBACK of 128 (failure) into an error.
    await expect(spy.subscribeAsync('ioc/v1/#', { qos: 1 })).rejects.toThrow(/Subscribe error/);
    expect(spy.connected).toBe(true);

    // The good device keeps flowing.
    await good.publishAsync(topicFor('hydro', own!.id, 'telemetry'), hydroReading(t0 + 2000, 2.6), { qos: 1 });
    await waitFor('the second reading', () => a.table.lastSeen[i] === t0 + 2000);
    const j = a.table.indexOf(other!.id)!;
    expect(a.table.lastSeen[j]).not.toBe(t0 + 1000);

    // Revoked: refused at the next connect, with its right secret.
    expect(await a.credentials.revoke(own!.id)).toBe(true);
    expect(await attempt(a, { username: own!.id, password: secret })).toMatch(/Not authorized/i);

    const expected: Record<BrokerRefusal, number> = { noCredentials: 1, badSecret: 3, unknownDevice: 1, revoked: 1, foreignTopic: 1, subscribeDenied: 1 };
    await waitFor('the refusals counted', () => JSON.stringify(a.ingest.refused) === JSON.stringify(expected) || undefined, 5000).catch(() => undefined);
    expect(a.ingest.refused).toEqual(expected);
    // Refused messages never reached the ingest's own checks.
    expect(a.ingest.rejectedTotal).toBe(0);

    const health = await getJson<{ ingest: { refused: Record<BrokerRefusal, number> } }>(`${a.url}/api/health`);
    expect(health.ingest.refused).toEqual(expected);
    const metrics = await (await authFetch(`${a.url}/metrics`)).text();
    expect(metrics).toMatch(/^ioc_mqtt_refused_total\{reason="badSecret",instance="[^"]+"\} 3$/m);
    expect(metrics).toMatch(/^ioc_mqtt_refused_total\{reason="foreignTopic",instance="[^"]+"\} 1$/m);
  });

  it('lets the gateway publish for any device and subscribe, with this start’s secret only', async () => {
    app = await startTestApp();
    const a = app;
    const hydro = a.province.registry.devices.find((d) => d.type === 'hydro')!;
    const spy = await connectMqtt(a.mqttUrl, { clientId: 'gateway-spy' });
    clients.push(spy);
    const seen = new Promise<string>((resolve) => spy.once('message', (topic) => resolve(topic)));
    expect((await spy.subscribeAsync('ioc/v1/#', { qos: 1 }))[0]!.qos).toBe(1);
    const pub = await connectMqtt(a.mqttUrl, { clientId: 'gateway-pub' });
    clients.push(pub);
    const ts = Date.now() - 5000;
    await pub.publishAsync(topicFor('hydro', hydro.id, 'telemetry'), hydroReading(ts, 1.2), { qos: 1 });
    expect(await seen).toBe(topicFor('hydro', hydro.id, 'telemetry'));
    await waitFor('the reading', () => a.table.lastSeen[a.table.indexOf(hydro.id)!] === ts);
    expect(await attempt(a, { username: a.gateway!.username, password: 'not-this-start' })).toMatch(/Bad username or password/i);
  });
});
