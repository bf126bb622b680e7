/** Open data out: stored readings as streamed CSV, stations as GeoJSON, bad parameters answered with 400. */
import { authFetch } from '../support/session';
import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../server/app';
import { topicFor } from '../../shared/mqtt';
import { READINGS_CSV_HEADER } from '../../server/http/exportRoutes';
import { connectMqtt, getJson, startTestApp, waitFor } from '../support/harness';

const MIN = 60_000;
let app: App | undefined;
let pub: MqttClient | undefined;

afterEach(async () => {
  await pub?.endAsync(true);
  await app?.close();
  app = pub = undefined;
});

describe('open data exports', () => {
  it('streams one type’s stored readings as CSV, one line per value, and nothing of other types', async () => {
    app = await startTestApp();
    const air = app.province.registry.devices.filter((d) => d.type === 'air').slice(0, 3);
    const hydro = app.province.registry.devices.find((d) => d.type === 'hydro')!;
    pub = await connectMqtt(app.mqttUrl);
    const base = Math.floor(Date.now() / MIN) * MIN - 20 * MIN;
    for (const d of air) for (let m = 0; m < 10; m++) pub.publish(topicFor('air', d.id, 'telemetry'), JSON.stringify({ ts: base + m * MIN, pm25: 10 + m, pm10: 20 + m }), { qos: 0 });
    pub.publish(topicFor('hydro', hydro.id, 'telemetry'), JSON.stringify({ ts: base, waterLevel: 2 }), { qos: 0 });
    await pub.publishAsync('ioc/v1/flush', '{}', { qos: 1 });
    const url = `${app.url}/api/export/readings.csv?type=air&from=${base}&to=${base + 15 * MIN}`;
    const text = await waitFor('60 air values stored', async () => {
      app!.tick();
      const t = await (await authFetch(url)).text();
      return t.split('\n').filter(Boolean).length === 61 ? t : undefined;
    });
    const res = await authFetch(url);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="readings-air-/);
    // Streamed: no length announced up front.
    expect(res.headers.get('content-length')).toBeNull();
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(READINGS_CSV_HEADER.trimEnd());
    expect(lines).toContain(`${air[0]!.id},air,${air[0]!.commune},${new Date(base + 3 * MIN).toISOString()},pm25,13`);
    expect(lines).toContain(`${air[2]!.id},air,${air[2]!.commune},${new Date(base + 9 * MIN).toISOString()},pm10,29`);
    expect(text).not.toContain(hydro.id);
  });

  it('answers bad parameters with 400 and a message', async () => {
    app = await startTestApp();
    for (const [q, msg] of [
      ['type=bus', 'type'],
      ['type=air&from=yesterday', 'from'],
      ['type=air&from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z', 'at most 31 days'],
      ['type=air&from=2026-03-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'before'],
    ] as const) {
      const res = await authFetch(`${app.url}/api/export/readings.csv?${q}`);
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message, q).toContain(msg);
    }
    expect((await authFetch(`${app.url}/api/export/stations.geojson?type=tram`)).status).toBe(400);
  });

  it('publishes the stations as GeoJSON points with their configuration', async () => {
    app = await startTestApp();
    const all = await getJson<{ type: string; features: { id: string; geometry: { coordinates: number[] }; properties: Record<string, unknown> }[] }>(`${app.url}/api/export/stations.geojson`);
    expect(all.type).toBe('FeatureCollection');
    expect(all.features).toHaveLength(app.province.registry.devices.length);
    const rivers = await getJson<typeof all>(`${app.url}/api/export/stations.geojson?type=hydro`);
    const trakhuc = rivers.features.find((f) => f.properties.station === 'Trà Khúc')!;
    expect(trakhuc.properties).toMatchObject({ type: 'hydro', river: 'Trà Khúc', bd1: 3.5, bd2: 5, bd3: 6.5 });
    expect(trakhuc.geometry.coordinates).toEqual([108.8, 15.13]);
    expect(rivers.features.every((f) => f.properties.type === 'hydro')).toBe(true);
  });
});
