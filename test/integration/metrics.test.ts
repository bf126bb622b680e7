/**
 * GET /metrics: Prometheus text with the ingest, devices, viewers, alarms, tick, store, dependency, leader and bus
 * figures, and no device ids.
 */
import { authFetch } from '../support/session';
import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../server/app';
import { makeAirPayload } from '../support/factories';
import { connectMqtt, startTestApp, waitFor } from '../support/harness';

let app: App | undefined;
let pub: MqttClient | undefined;

afterEach(async () => {
  await pub?.endAsync(true);
  await app?.close();
  app = pub = undefined;
});

/** The value of one series line, e.g. `ioc_ingest_rejected_total{reason="badJson",instance="…"} 1`. */
function series(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('GET /metrics', () => {
  it('counts what the ingest took and refused, devices by state, ticks and alarms, labelled by instance only', async () => {
    app = await startTestApp();
    const device = app.province.registry.devices.find((d) => d.type === 'air')!;
    pub = await connectMqtt(app.mqttUrl);
    await pub.publishAsync(`ioc/v1/air/${device.id}/telemetry`, makeAirPayload({ ts: Date.now() }), { qos: 1 });
    await pub.publishAsync(`ioc/v1/air/${device.id}/telemetry`, '{not json', { qos: 1 });
    await waitFor('both messages', () => app!.ingest.accepted + app!.ingest.rejected.badJson >= 2);
    app.tick();
    await waitFor('the reading stored', async () => (await app!.readings.coverage()) !== null);

    const res = await authFetch(`${app.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(series(text, 'ioc_ingest_accepted_total')).toBe(1);
    expect(series(text, 'ioc_ingest_rejected_total', { reason: 'badJson' })).toBe(1);
    expect(series(text, 'ioc_ingest_rejected_total', { reason: 'schema' })).toBe(0);
    expect(series(text, 'ioc_devices', { type: 'air', state: 'online' })).toBe(1);
    expect(series(text, 'ioc_alarms_open', { severity: 'critical' })).toBe(0);
    expect(series(text, 'ioc_socket_viewers', { view: 'wall' })).toBe(0);
    expect(series(text, 'ioc_tick_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(series(text, 'ioc_mqtt_connected')).toBe(1);
    // The accepted reading went to the store in one timed transaction; nothing waits.
    expect(series(text, 'ioc_store_write_duration_seconds_count')).toBe(1);
    expect(series(text, 'ioc_store_queue_rows')).toBe(0);
    expect(series(text, 'ioc_store_queue_capacity_rows')).toBe(200_000);
    // pm25, pm10 and temperature: three value rows.
    expect(series(text, 'ioc_store_rows_total', { outcome: 'written' })).toBe(3);
    expect(series(text, 'ioc_store_rows_total', { outcome: 'dropped' })).toBe(0);
    // One instance on SQLite: it leads; its bus is solo; it lists only the dependencies it uses.
    expect(series(text, 'ioc_leader')).toBe(1);
    expect(series(text, 'ioc_bus_sent_total')).toBe(0);
    expect(series(text, 'ioc_bus_received_total')).toBe(0);
    expect(series(text, 'ioc_bus_dropped_total')).toBe(0);
    expect(series(text, 'ioc_dependency_up', { dependency: 'mqtt' })).toBe(1);
    expect(series(text, 'ioc_dependency_up', { dependency: 'store' })).toBe(1);
    expect(series(text, 'ioc_dependency_up', { dependency: 'postgresql' })).toBeUndefined();
    expect(series(text, 'ioc_dependency_up', { dependency: 'redis' })).toBeUndefined();
    // Node's own figures start with the first scrape.
    expect(text).toContain('ioc_node_process_cpu_seconds_total');
    // Every series carries the instance; none names a device.
    expect(text).toMatch(/instance="[^"]+-\d+"/);
    expect(text).not.toContain(device.id);
  });
});
