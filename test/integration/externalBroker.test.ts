import { afterEach, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { App } from '../../server/app';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../server/broker/embedded';
import type { HealthResponse } from '../../shared/events';
import { topicFor } from '../../shared/mqtt';
import { connectMqtt, getJson, startTestApp, waitFor } from '../support/harness';

let broker: EmbeddedBroker | undefined;
let app: App | undefined;
let pub: MqttClient | undefined;

afterEach(async () => {
  await pub?.endAsync(true);
  await app?.close();
  await broker?.close();
  pub = app = broker = undefined;
});

describe('an external broker (MQTT_URL)', () => {
  it('the server subscribes as an MQTT client, takes readings and wills, and counts rejects', async () => {
    // A broker in its own right, as Mosquitto would be: the app only knows its URL.
    broker = await startEmbeddedBroker(0, '127.0.0.1');
    app = await startTestApp({ mqtt: { url: broker.url, port: 0 } });
    expect(app.mqttUrl).toBe(broker.url);
    const health = () => getJson<HealthResponse>(`${app!.url}/api/health`);
    await waitFor('the server connected to the broker', async () => (await health()).mqtt.connected);
    // The server is one of the broker's clients.
    expect(broker.connectedClients()).toBe(1);

    const d = app.province.registry.devices.find((x) => x.type === 'hydro')!;
    const i = app.table.indexOf(d.id)!;
    pub = await connectMqtt(broker.url, { clientId: d.id, will: { topic: topicFor('hydro', d.id, 'status'), payload: Buffer.from('{"online":false}'), qos: 1, retain: true } });
    await pub.publishAsync(topicFor('hydro', d.id, 'telemetry'), JSON.stringify({ ts: Date.now(), waterLevel: 2.5 }), { qos: 1 });
    await pub.publishAsync(topicFor('hydro', d.id, 'telemetry'), '{not json', { qos: 0 });
    await waitFor('the reading taken', () => app!.table.values[i]?.waterLevel === 2.5);
    await waitFor('the bad message counted', async () => (await health()).ingest.rejected.badJson === 1);
    expect(app.table.online[i]).toBe(1);

    // The device drops without a DISCONNECT: its will says it is offline.
    pub.stream.destroy();
    await waitFor('the will taken', () => app!.table.online[i] === 0);
  });
});
