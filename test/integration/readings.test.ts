/**
 * The reading store end to end: readings published over MQTT are stored by the app and served by
 * GET /api/devices/:id/readings (raw and bucketed), and a new app on the same DATA_DIR still serves them.
 */
import { authFetch } from '../support/session';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { App } from '../../server/app';
import { topicFor } from '../../shared/mqtt';
import type { DeviceReadingsResponse } from '../../shared/requests';
import { connectMqtt, connectSocket, getJson, startTestApp, subscribe, waitFor, type TestSocket } from '../support/harness';
import type { WallSnapshot } from '../../shared/events';
import type { HydroDerived } from '../../shared/environment';

const MIN = 60_000;
const HOUR = 60 * MIN;

let dir: string;
let app: App | undefined;
let pub: MqttClient | undefined;
let sock: TestSocket | undefined;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ioc-readings-it-'));
});

afterEach(async () => {
  sock?.disconnect();
  sock = undefined;
  await pub?.endAsync(true);
  await app?.close();
  pub = undefined;
  app = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function hydroId(a: App): string {
  return a.province.registry.devices.find((d) => d.type === 'hydro')!.id;
}

/** Two readings a minute at minutes 0, 1, 3 and 4 after `base`: minute 2 is a gap. */
function sampleReadings(base: number): { ts: number; waterLevel: number }[] {
  const out: { ts: number; waterLevel: number }[] = [];
  for (const m of [0, 1, 3, 4]) {
    out.push({ ts: base + m * MIN, waterLevel: 2 + m });
    out.push({ ts: base + m * MIN + 30_000, waterLevel: 3 + m });
  }
  return out;
}

async function publishAll(client: MqttClient, id: string, readings: { ts: number; waterLevel: number }[]): Promise<void> {
  for (const r of readings) client.publish(topicFor('hydro', id, 'telemetry'), JSON.stringify(r), { qos: 0 });
  await client.publishAsync('ioc/v1/flush', '{}', { qos: 1 }); // a QoS 1 round trip: everything before it was sent
}

const readingsUrl = (a: App, id: string, q: Record<string, string | number>) =>
  `${a.url}/api/devices/${id}/readings?${new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)])).toString()}`;

describe('stored readings over HTTP', () => {
  it('serves MQTT readings raw and bucketed, with gaps as gaps, and again after a restart on the same DATA_DIR', async () => {
    app = await startTestApp({ dataDir: dir });
    pub = await connectMqtt(app.mqttUrl, { clientId: 'readings-publisher' });
    const id = hydroId(app);
    const base = Math.floor(Date.now() / MIN) * MIN - 10 * MIN;
    const sent = sampleReadings(base);
    await publishAll(pub, id, sent);
    const range = { from: new Date(base).toISOString(), to: base + 10 * MIN };

    const raw = await waitFor('8 stored readings', async () => {
      const r = await getJson<DeviceReadingsResponse>(readingsUrl(app!, id, range));
      return r.points.length === sent.length ? r : undefined;
    });
    expect(raw).toEqual({
      id,
      from: base,
      to: base + 10 * MIN,
      bucket: 'raw',
      truncated: false,
      points: sent.map((r) => ({ ts: r.ts, values: { waterLevel: r.waterLevel } })),
    });

    const minute = await getJson<DeviceReadingsResponse>(readingsUrl(app, id, { ...range, bucket: '1m' }));
    expect(minute.bucket).toBe('1m');
    // Minute 2 has no readings: no point, never an interpolated one.
    expect(minute.points).toEqual(
      [0, 1, 3, 4].map((m) => ({
        ts: base + m * MIN,
        metrics: { waterLevel: { mean: 2.5 + m, min: 2 + m, max: 3 + m, sum: 5 + 2 * m, count: 2 } },
      })),
    );

    const hourly = await getJson<DeviceReadingsResponse>(readingsUrl(app, id, { ...range, bucket: '1h' }));
    const hours = [...new Set(sent.map((r) => Math.floor(r.ts / HOUR) * HOUR))];
    expect(hourly.points.map((p) => p.ts)).toEqual(hours);
    const counts = hourly.points.map((p) => ('metrics' in p ? p.metrics.waterLevel!.count : 0));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(sent.length);

    const health = await getJson<{ store: { engine: string; sizeBytes: number; writer: { written: number; dropped: number } } }>(`${app.url}/api/health`);
    expect(health.store).toMatchObject({ engine: 'sqlite', writer: { written: sent.length, dropped: 0 } });
    // Measured at start (the file exists, with its tables), then at most every 10 s: never per request.
    expect(health.store.sizeBytes).toBeGreaterThan(0);

    // Readings still in the tick's buffer or the writer's queue when the app closes are written on close.
    const late = [{ ts: base + 6 * MIN, waterLevel: 9 }];
    await publishAll(pub, id, late);
    await pub.endAsync(true);
    pub = undefined;
    await app.close();

    // Restart: a new app on the same folder serves the same history.
    app = await startTestApp({ dataDir: dir });
    const again = await getJson<DeviceReadingsResponse>(readingsUrl(app, id, range));
    expect(again).toEqual({ ...raw, points: [...raw.points, { ts: late[0]!.ts, values: { waterLevel: 9 } }] });
    const minuteAgain = await getJson<DeviceReadingsResponse>(readingsUrl(app, id, { ...range, bucket: '1m' }));
    expect(minuteAgain.points.slice(0, 4)).toEqual(minute.points);

    // The wall comes back with its past: the station's memory is refilled from the store at start, so the
    // gauge has its level and its hydrograph before any new reading arrives.
    app.tick();
    sock = connectSocket(app.url);
    const snap = (await subscribe(sock, 'wall')).snapshot as WallSnapshot;
    const i = app.province.registry.devices.findIndex((d) => d.id === id);
    expect((snap.devices[i]!.x as HydroDerived).level).toBe(9);
    const hydro = snap.hydrographs!.find((h) => h.i === i)!;
    expect(hydro.points.length).toBeGreaterThanOrEqual(1);
    expect(hydro.points.some(([ts]) => ts >= base - 10 * MIN)).toBe(true); // 10-minute means, stamped at the bucket's start
  });

  it('answers bad parameters with 400 and the reason, an unknown device with 404', async () => {
    app = await startTestApp({ dataDir: dir });
    const id = hydroId(app);
    const now = Date.now();
    const cases: [Record<string, string | number>, RegExp][] = [
      [{ bucket: '5m' }, /^bucket: /],
      [{ from: 'yesterday' }, /^from: must be ISO-8601 with a zone/],
      [{ to: Math.floor(now / 1000) }, /^to: must be between 2000 and 2100 \(epoch milliseconds, not seconds\)/],
      [{ from: now, to: now - HOUR }, /^from must be before to/],
      [{ from: now - 8 * 24 * HOUR, to: now }, /^bucket raw: the range may be at most 7 days/],
      [{ from: now - 40 * 24 * HOUR, to: now, bucket: '1m' }, /^bucket 1m: the range may be at most 31 days/],
    ];
    for (const [q, message] of cases) {
      const res = await authFetch(readingsUrl(app, id, q));
      expect(res.status, JSON.stringify(q)).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('BAD_REQUEST');
      expect(body.error.message).toMatch(message);
    }
    const ok = await authFetch(readingsUrl(app, id, { from: now - 40 * 24 * HOUR, to: now, bucket: '1h' }));
    expect(ok.status).toBe(200);
    const missing = await authFetch(readingsUrl(app, 'qng-hydro-9999x', {}));
    expect(missing.status).toBe(404);
  });

  it("bounds the pipeline's per-tick buffer: readings beyond it between two ticks are dropped and counted", async () => {
    // A long tick interval: only the test's own tick hands the buffer to the writer.
    app = await startTestApp({ dataDir: dir, tickMs: 10_000 }, { readingBufferCap: 3 });
    pub = await connectMqtt(app.mqttUrl, { clientId: 'readings-burst' });
    const id = hydroId(app);
    const base = Math.floor(Date.now() / MIN) * MIN - 10 * MIN;
    const sent = sampleReadings(base).slice(0, 5);
    await publishAll(pub, id, sent);
    type Health = { store: { tickBuffer: { cap: number; dropped: number }; writer: { written: number } } };
    expect((await getJson<Health>(`${app.url}/api/health`)).store.tickBuffer).toEqual({ cap: 3, dropped: 2 });
    app.tick();
    await waitFor('3 rows written', async () => (await getJson<Health>(`${app!.url}/api/health`)).store.writer.written === 3);
    const r = await getJson<DeviceReadingsResponse>(readingsUrl(app, id, { from: base, to: base + 10 * MIN }));
    // The first three were kept; the buffer is empty again after the tick.
    expect(r.points.map((p) => p.ts)).toEqual(sent.slice(0, 3).map((s) => s.ts));
  });
});
