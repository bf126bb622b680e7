/** NGSI-LD: normalized entities of the FIWARE models from live state, temporal entities from the store, problem details. */
import { authFetch } from '../support/session';
import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../server/app';
import { NGSI_LD_CONTEXT } from '../../server/http/ngsiLd';
import { topicFor } from '../../shared/mqtt';
import { connectMqtt, startTestApp, waitFor } from '../support/harness';

const MIN = 60_000;
let app: App | undefined;
let pub: MqttClient | undefined;

afterEach(async () => {
  await pub?.endAsync(true);
  await app?.close();
  app = pub = undefined;
});

type Entity = Record<string, unknown> & { id: string; type: string };

describe('NGSI-LD', () => {
  it('lists AirQualityObserved entities in normalized form with the Smart Data Models context, paged', async () => {
    app = await startTestApp();
    const air = app.province.registry.devices.find((d) => d.type === 'air')!;
    pub = await connectMqtt(app.mqttUrl);
    const ts = Date.now() - 1000;
    await pub.publishAsync(topicFor('air', air.id, 'telemetry'), JSON.stringify({ ts, pm25: 21.5, pm10: 40 }), { qos: 1 });
    await waitFor('reading taken', () => app!.ingest.accepted >= 1);
    const res = await authFetch(`${app.url}/ngsi-ld/v1/entities?type=AirQualityObserved&limit=1000`);
    expect(res.headers.get('content-type')).toMatch(/^application\/ld\+json/);
    const list = (await res.json()) as Entity[];
    expect(list).toHaveLength(app.province.registry.devices.filter((d) => d.type === 'air').length);
    const e = list.find((x) => x.id === `urn:ngsi-ld:AirQualityObserved:${air.id}`)!;
    expect(e).toMatchObject({
      type: 'AirQualityObserved',
      '@context': NGSI_LD_CONTEXT,
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [air.lon, air.lat] } },
      pm25: { type: 'Property', value: 21.5, observedAt: new Date(ts).toISOString() },
      dateObserved: { type: 'Property', value: { '@type': 'DateTime', '@value': new Date(ts).toISOString() } },
      refDevice: { type: 'Relationship', object: `urn:ngsi-ld:Device:${air.id}` },
    });
    const pageOf2 = (await (await authFetch(`${app.url}/ngsi-ld/v1/entities?type=Device&limit=2&offset=1`)).json()) as Entity[];
    expect(pageOf2.map((x) => x.id)).toEqual(app.province.registry.devices.slice(1, 3).map((d) => `urn:ngsi-ld:Device:${d.id}`));
    expect(pageOf2[0]).toMatchObject({ type: 'Device', deviceState: { type: 'Property' } });
  });

  it('serves stored readings as temporal entities, normalized and as temporalValues', async () => {
    app = await startTestApp();
    const gauge = app.province.registry.devices.find((d) => d.type === 'hydro')!;
    pub = await connectMqtt(app.mqttUrl);
    const base = Math.floor(Date.now() / MIN) * MIN - 10 * MIN;
    for (let m = 0; m < 3; m++) pub.publish(topicFor('hydro', gauge.id, 'telemetry'), JSON.stringify({ ts: base + m * MIN, waterLevel: 2 + m / 10 }), { qos: 0 });
    await pub.publishAsync('ioc/v1/flush', '{}', { qos: 1 });
    const q = `type=WaterObserved&timerel=between&timeAt=${new Date(base).toISOString()}&endTimeAt=${new Date(base + 5 * MIN).toISOString()}&limit=1000`;
    const find = (list: Entity[]) => list.find((x) => x.id === `urn:ngsi-ld:WaterObserved:${gauge.id}`)!;
    const normalized = await waitFor('3 stored levels', async () => {
      app!.tick();
      const e = find((await (await authFetch(`${app!.url}/ngsi-ld/v1/temporal/entities?${q}`)).json()) as Entity[]);
      return Array.isArray(e.waterLevel) && e.waterLevel.length === 3 ? e : undefined;
    });
    expect(normalized.waterLevel).toEqual([0, 1, 2].map((m) => ({ type: 'Property', value: 2 + m / 10, observedAt: new Date(base + m * MIN).toISOString() })));
    const simplified = find((await (await authFetch(`${app.url}/ngsi-ld/v1/temporal/entities?${q}&options=temporalValues`)).json()) as Entity[]);
    expect(simplified.waterLevel).toEqual({ type: 'Property', values: [0, 1, 2].map((m) => [2 + m / 10, new Date(base + m * MIN).toISOString()]) });
  });

  it('answers bad queries with NGSI-LD problem details', async () => {
    app = await startTestApp();
    for (const [path, detail] of [
      ['/ngsi-ld/v1/entities', 'type'],
      ['/ngsi-ld/v1/entities?type=Bus', 'type must be one of'],
      ['/ngsi-ld/v1/entities?type=Device&limit=0', 'limit'],
      ['/ngsi-ld/v1/temporal/entities?type=WaterObserved&timerel=between&timeAt=2026-12-01T00:00:00Z', 'endTimeAt'],
      ['/ngsi-ld/v1/temporal/entities?type=WaterObserved&timerel=between&timeAt=yesterday&endTimeAt=2026-12-01T00:00:00Z', 'timeAt'],
      ['/ngsi-ld/v1/temporal/entities?type=WaterObserved&timerel=between&timeAt=2026-11-01T00:00:00Z&endTimeAt=2026-12-01T00:00:00Z', '7 days'],
    ] as const) {
      const res = await authFetch(`${app.url}${path}`);
      expect(res.status, path).toBe(400);
      const body = (await res.json()) as { type: string; title: string; detail: string };
      expect(body.type, path).toBe('https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
      expect(body.detail, path).toContain(detail);
    }
  });
});
