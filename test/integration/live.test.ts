import { authFetch, sessionHeaders } from '../support/session';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { App } from '../../server/app';
import type { HealthResponse, WallDelta, WallSnapshot, MobileSnapshot } from '../../shared/events';
import { MAX_PAYLOAD_BYTES, REJECT_REASONS, topicFor } from '../../shared/mqtt';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { connectMqtt, connectSocket, getJson, startTestApp, subscribe, waitFor, type TestSocket } from '../support/harness';

let app: App;
let pub: MqttClient;
const sockets: TestSocket[] = [];
const extraClients: MqttClient[] = [];

beforeEach(async () => {
  app = await startTestApp();
  pub = await connectMqtt(app.mqttUrl, { clientId: 'test-publisher' });
});

afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  for (const c of extraClients.splice(0)) await c.endAsync(true);
  await pub.endAsync(true);
  await app.close();
});

function socket(version?: number): TestSocket {
  const s = connectSocket(app.url, version);
  sockets.push(s);
  return s;
}

function device(type: string) {
  const i = app.province.registry.devices.findIndex((d) => d.type === type);
  return { i, d: app.province.registry.devices[i]! };
}

function patchIn(deltas: WallDelta[], i: number, pred: (v: Record<string, number> | undefined) => boolean) {
  for (const dl of deltas) for (const p of dl.devices) if (p.i === i && pred(p.v)) return { delta: dl, patch: p };
  return undefined;
}

describe('MQTT in, Socket.IO out', () => {
  it('a published air reading reaches the wall in a delta, with its values, in sequence order', async () => {
    const s = socket();
    const { snapshot, deltas } = await subscribe(s, 'wall');
    const snap = snapshot as WallSnapshot;
    expect(snap.devices).toHaveLength(app.province.registry.devices.length);
    const { i, d } = device('air');
    const ts = Date.now();
    await pub.publishAsync(topicFor('air', d.id, 'telemetry'), JSON.stringify({ ts, pm25: 42.5, pm10: 77 }), { qos: 1 });
    const hit = await waitFor('the reading in a delta', () => patchIn(deltas as WallDelta[], i, (v) => v?.pm25 === 42.5));
    expect(hit.patch).toMatchObject({ i, on: 1, ts, v: { pm25: 42.5, pm10: 77 } });
    // One hour of readings: NowCast needs two of the last three hours, so no PM index yet.
    expect(hit.patch.x).toMatchObject({ kind: 'air', aqi: null });
    expect(hit.delta.counts.air.online).toBe(1);
    // Every delta carries the next sequence number after the snapshot's.
    deltas.forEach((dl, k) => expect(dl.seq).toBe(snap.seq + k + 1));
  });

  it('counts every reject reason, keeps running, and still takes good messages', async () => {
    const { d } = device('air');
    const bad: [string, string | Buffer][] = [
      ['ioc/v1/air', '{}'],
      [topicFor('air', d.id, 'telemetry'), Buffer.alloc(MAX_PAYLOAD_BYTES + 10, 0x20)],
      [topicFor('air', d.id, 'telemetry'), '{not json'],
      [topicFor('air', d.id, 'telemetry'), JSON.stringify({ ts: Date.now(), pm25: 'NaN' })],
      [topicFor('air', 'no-such-device', 'telemetry'), JSON.stringify({ ts: Date.now(), pm25: 1 })],
      [topicFor('air', d.id, 'telemetry'), JSON.stringify({ ts: Date.now() + 86_400_000, pm25: 1 })],
      [topicFor('air', d.id, 'telemetry'), JSON.stringify({ ts: Date.now() - 72 * 3600_000, pm25: 1 })],
    ];
    const goodTs = Date.now() - 1000;
    await pub.publishAsync(topicFor('air', d.id, 'telemetry'), JSON.stringify({ ts: goodTs, pm25: 4 }), { qos: 1 });
    bad.push([topicFor('air', d.id, 'telemetry'), JSON.stringify({ ts: goodTs, pm25: 4 })]);
    for (const [topic, payload] of bad) await pub.publishAsync(topic, payload, { qos: 1 });
    await pub.publishAsync(topicFor('air', d.id, 'telemetry'), JSON.stringify({ ts: Date.now(), pm25: 5 }), { qos: 1 });
    const health = await waitFor('reject counters', async () => {
      const h = await getJson<HealthResponse>(`${app.url}/api/health`);
      return REJECT_REASONS.every((r) => h.ingest.rejected[r] === 1) && h.ingest.accepted === 2 ? h : undefined;
    });
    expect(health.ingest.rejected).toEqual(Object.fromEntries(REJECT_REASONS.map((r) => [r, 1])));
    const rejects = await getJson<{ recent: { reason: string }[] }>(`${app.url}/api/ingest/rejects`);
    expect(new Set(rejects.recent.map((r) => r.reason))).toEqual(new Set(REJECT_REASONS));
  });

  it('a malformed flood does not stop good messages', async () => {
    const s = socket();
    const { deltas } = await subscribe(s, 'wall');
    const { i, d } = device('air');
    const topic = topicFor('air', d.id, 'telemetry');
    const GOOD = 50;
    for (let k = 0; k < 2000; k++) {
      pub.publish(topic, k % 2 ? '{"ts":' : JSON.stringify({ ts: 'yesterday', pm25: -1 }), { qos: 0 });
      if (k % 40 === 0) pub.publish(topic, JSON.stringify({ ts: Date.now() - 10_000 + k, pm25: k / 40 }), { qos: 0 });
    }
    await pub.publishAsync(topic, JSON.stringify({ ts: Date.now() + 1, pm25: 999 }), { qos: 1 });
    await waitFor('the last good reading after the flood', () => patchIn(deltas as WallDelta[], i, (v) => v?.pm25 === 999), 15_000);
    const h = await getJson<HealthResponse>(`${app.url}/api/health`);
    expect(h.ingest.rejected.badJson).toBe(1000);
    expect(h.ingest.rejected.schema).toBe(1000);
    expect(h.ingest.accepted).toBe(GOOD + 1);
  });

  it('a device whose last will says offline goes offline on the wall', async () => {
    const { i, d } = device('rain');
    const will = { topic: topicFor('rain', d.id, 'status'), payload: Buffer.from('{"online":false}'), qos: 1 as const, retain: true };
    const dev = await connectMqtt(app.mqttUrl, { clientId: `dev-${d.id}`, will });
    await dev.publishAsync(topicFor('rain', d.id, 'telemetry'), JSON.stringify({ ts: Date.now(), precipitation: 0.2, intervalSec: 60 }), { qos: 1 });
    const s = socket();
    const { deltas } = await subscribe(s, 'wall');
    await waitFor('online', () => app.table.online[i] === 1);
    dev.stream.destroy(); // an abrupt loss: the broker publishes the will
    const off = await waitFor('offline in a delta', () => {
      for (const dl of deltas as WallDelta[]) for (const p of dl.devices) if (p.i === i && p.on === 0) return dl;
      return undefined;
    });
    expect(off.counts.rain.online).toBe(0);
    dev.end(true);
  });

  it('serves Socket.IO long-polling clients too (Express must not answer their requests as well)', async () => {
    const { io } = await import('socket.io-client');
    const s = io(app.url, { transports: ['polling'], auth: { protocolVersion: PROTOCOL_VERSION }, reconnection: false, forceNew: true, extraHeaders: sessionHeaders(app.url) });
    sockets.push(s as TestSocket);
    const { snapshot } = await subscribe(s as TestSocket, 'mobile');
    expect(snapshot.view).toBe('mobile');
    expect((await getJson<HealthResponse>(`${app.url}/api/health`)).status).toBeDefined();
  });

  it('refuses a client with another protocol version, with a coded reason', async () => {
    const s = socket(999);
    const err = await new Promise<Error & { data?: unknown }>((resolve) => s.once('connect_error', resolve));
    expect(err.message).toBe('PROTOCOL_MISMATCH');
    expect(err.data).toMatchObject({ expected: PROTOCOL_VERSION, got: 999 });
  });

  it('answers a bad subscribe with an error ack, not a crash', async () => {
    const s = socket();
    // @ts-expect-error deliberately wrong view
    const res = await s.timeout(5000).emitWithAck('view:subscribe', { view: 'kitchen' });
    expect('error' in res && res.error.code).toBe('BAD_REQUEST');
  });

  it('a resubscribe after a reconnect gets a fresh snapshot that includes what happened meanwhile', async () => {
    const s1 = socket();
    const first = await subscribe(s1, 'wall');
    s1.disconnect();
    const { i, d } = device('hydro');
    await pub.publishAsync(topicFor('hydro', d.id, 'telemetry'), JSON.stringify({ ts: Date.now(), waterLevel: 2.75 }), { qos: 1 });
    await waitFor('ingested', () => app.table.values[i]?.waterLevel === 2.75);
    const s2 = socket();
    const second = await subscribe(s2, 'wall');
    const snap = second.snapshot as WallSnapshot;
    expect(snap.seq).toBeGreaterThanOrEqual(first.snapshot.seq);
    expect(snap.devices[i]).toMatchObject({ i, on: 1, v: { waterLevel: 2.75 } });
  });

  it('the mobile view gets small frames about once a second with the offline list', async () => {
    const s = socket();
    const { snapshot, deltas } = await subscribe(s, 'mobile');
    const snap = snapshot as MobileSnapshot;
    expect(snap.offline.length).toBeLessThanOrEqual(50);
    expect(snap.offlineTotal).toBeGreaterThan(0);
    await waitFor('two mobile frames', () => deltas.length >= 2, 5000);
    expect(deltas[1]!.seq).toBe(deltas[0]!.seq + 1);
    expect(JSON.stringify(deltas[0]).length).toBeLessThan(8000);
  });

  it('closes with wall clients attached (SIGTERM on a live wall), and they see the disconnect', async () => {
    const s = socket();
    await subscribe(s, 'wall');
    const gone = new Promise<string>((resolve) => s.once('disconnect', resolve));
    await app.close();
    expect(await gone).toMatch(/disconnect|transport close/);
  });

  it('serves the province, its boundaries and the paged device registry', async () => {
    const p = await getJson<{ name: string; bbox: number[]; communeCount: number }>(`${app.url}/api/province`);
    expect(p.name).toBe('Quảng Ngãi');
    expect(p.communeCount).toBe(96);
    const communes = await getJson<{ features: unknown[] }>(`${app.url}/api/geo/communes.geojson`);
    expect(communes.features).toHaveLength(96);
    const all = await getJson<{ devices: unknown[]; total: number }>(`${app.url}/api/devices`);
    expect(all.devices.length).toBe(all.total);
    const page = await getJson<{ devices: { type: string }[]; total: number }>(`${app.url}/api/devices?type=air&limit=5`);
    expect(page.devices).toHaveLength(5);
    expect(page.devices.every((x) => x.type === 'air')).toBe(true);
    const bad = await authFetch(`${app.url}/api/devices?limit=-3`);
    expect(bad.status).toBe(400);
    expect((await authFetch(`${app.url}/api/geo/devices.json`)).status).toBe(404);
  });
});
