/**
 * Malformed and oversized input on every HTTP route and socket event (issue 14 "Tests"): each gets a clear
 * 4xx error (JSON with a code and a message) or a normal answer, never a 5xx or a crash; afterwards the
 * process answers and every reading accepted before is still served. Payloads come from a seeded generator,
 * so a failure replays.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { ClientToServerEvents } from '../../shared/events';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import type { App } from '../../server/app';
import { routeAccess } from '../../server/http/access';
import { SOCKET_EVENT_ACCESS } from '../../server/realtime/hub';
import { makeAirPayload } from '../support/factories';
import { connectMqtt, connectSocket, startTestApp, waitFor, type TestSocket } from '../support/harness';
import { userSession, type TestSession } from '../support/session';

let app: App | undefined;
let mqtt: MqttClient | undefined;
const sockets: TestSocket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await mqtt?.endAsync();
  mqtt = undefined;
  await app?.close();
  app = undefined;
});

/** mulberry32: small, seeded, good enough to pick payloads. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY_STRINGS = ['', ' ', '-1', '1e309', 'NaN', '0x10', "'; DROP TABLE users; --", '../../etc/passwd', '%00', '😀'.repeat(50), 'a'.repeat(5000), '<script>alert(1)</script>', '{"$gt":""}'];

function nastyValue(r: () => number, depth = 0): unknown {
  const k = Math.floor(r() * 9);
  switch (k) {
    case 0:
      return null;
    case 1:
      return Math.floor(r() * 2 ** 53) * (r() < 0.5 ? -1 : 1);
    case 2:
      return r() < 0.5;
    case 3:
      return NASTY_STRINGS[Math.floor(r() * NASTY_STRINGS.length)];
    case 4:
      return depth < 3 ? Array.from({ length: Math.floor(r() * 4) }, () => nastyValue(r, depth + 1)) : [];
    case 5:
      return depth < 3 ? { id: nastyValue(r, depth + 1), view: nastyValue(r, depth + 1), note: nastyValue(r, depth + 1), __proto__x: 1 } : {};
    case 6:
      return { username: nastyValue(r, depth + 1), password: nastyValue(r, depth + 1), role: 'admin', communes: nastyValue(r, depth + 1) };
    case 7:
      return 1.5;
    default:
      return 'x';
  }
}

function concretePath(path: string, r: () => number): string {
  const seg = () => encodeURIComponent(String(NASTY_STRINGS[Math.floor(r() * NASTY_STRINGS.length)]).slice(0, 200) || 'x');
  return path.replace('*layer', seg()).replace(/:(\w+)/g, seg);
}

function queryOf(r: () => number): string {
  const keys = ['from', 'to', 'bucket', 'limit', 'offset', 'type', 'at', 'state', 'commune', 'timerel', 'timeAt', 'q', 'id', 'options'];
  const parts: string[] = [];
  for (let k = 0; k < 4; k++) {
    const key = keys[Math.floor(r() * keys.length)]!;
    const v = encodeURIComponent(String(NASTY_STRINGS[Math.floor(r() * NASTY_STRINGS.length)]).slice(0, 300));
    parts.push(r() < 0.3 ? `${key}[]=${v}` : `${key}=${v}`);
  }
  return parts.join('&');
}

async function expectClearAnswer(res: Response, what: string): Promise<void> {
  expect(res.status, what).toBeLessThan(500);
  if (res.status >= 400 && res.headers.get('content-type')?.includes('json')) {
    const body = (await res.json()) as { error?: { code?: string; message?: string }; title?: string; detail?: string };
    // Our errors, or NGSI-LD problem details.
    expect(body.error?.message ?? body.detail ?? body.title, what).toBeTruthy();
  } else await res.arrayBuffer();
}

describe('fuzzing every edge', () => {
  it('answers malformed and oversized HTTP requests on every route with a clear 4xx, and loses nothing accepted', async () => {
    app = await startTestApp();
    mqtt = await connectMqtt(app.mqttUrl);
    const air = app.province.registry.devices.find((d) => d.type === 'air')!;
    const t0 = Date.now() - 10 * 60_000;
    for (let k = 0; k < 5; k++) await mqtt.publishAsync(`ioc/v1/air/${air.id}/telemetry`, makeAirPayload({ ts: t0 + k * 60_000, pm25: 20 + k }), { qos: 1 });
    await waitFor('5 taken in', () => app!.ingest.accepted + app!.ingest.history >= 5 || undefined);
    app.tick();
    const admin: TestSession = await userSession(app, 'admin');
    const operator: TestSession = await userSession(app, 'operator');
    const r = rng(20261204);
    const routes = routeAccess(app.api).filter((x) => x.path !== '/api/auth/logout');
    let requests = 0;
    for (const route of routes) {
      for (let k = 0; k < 6; k++) {
        const s = r() < 0.5 ? admin : operator;
        const url = `${app.url}${concretePath(route.path, r)}?${queryOf(r)}`;
        const write = route.method !== 'GET';
        const kind = k % 3;
        const body = !write ? undefined : kind === 0 ? '{"unterminated": ' : kind === 1 ? JSON.stringify(nastyValue(r)) : JSON.stringify({ note: 'x'.repeat(100_000) });
        const res = await s.fetch(url, { method: route.method, headers: write ? { 'content-type': 'application/json' } : {}, body });
        await expectClearAnswer(res, `${route.method} ${url.slice(0, 120)}`);
        requests++;
      }
    }
    // A body far over the limit is refused before it is read.
    const huge = await admin.fetch(`${app.url}/api/admin/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'x', displayName: 'y'.repeat(1_000_000) }) });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(requests).toBeGreaterThan(150);
    // Still up, and what was accepted before is all there.
    const readings = (await (await operator.fetch(`${app.url}/api/devices/${air.id}/readings?from=${t0 - 1}&to=${Date.now()}&bucket=raw`)).json()) as { points: unknown[] };
    expect(readings.points).toHaveLength(5);
    expect((await operator.fetch(`${app.url}/api/health`)).status).toBe(200);
  });

  it('answers malformed socket requests on every event with an error ack; an oversized one ends only that socket', async () => {
    app = await startTestApp();
    const s = connectSocket(app.url);
    sockets.push(s);
    const r = rng(4);
    const events = Object.keys(SOCKET_EVENT_ACCESS) as (keyof ClientToServerEvents)[];
    let acks = 0;
    for (const event of events) {
      for (let k = 0; k < 25; k++) {
        const payload = nastyValue(r);
        const ack = (await s.timeout(5000).emitWithAck(event as 'alarm:acknowledge', payload as never)) as { data?: unknown; error?: { code: string; message: string } };
        if (ack.error) expect(ack.error.message.length, `${event} ${JSON.stringify(payload)?.slice(0, 80)}`).toBeGreaterThan(0);
        else expect(ack.data, event).toBeDefined();
        acks++;
      }
      // No ack callback at all: ignored, not a crash.
      s.emit(event as 'alarm:acknowledge', { id: 1 } as never, undefined as never);
    }
    expect(acks).toBe(events.length * 25);
    // Over Socket.IO's 1 MB buffer: that socket is closed; the server and other clients go on.
    const other = connectSocket(app.url);
    sockets.push(other);
    const closed = new Promise<string>((resolve) => s.on('disconnect', (reason) => resolve(reason)));
    s.emit('view:subscribe', { view: 'x'.repeat(2_000_000) } as never, () => undefined);
    expect(await closed).toMatch(/transport (close|error)/);
    const snap = await other.timeout(5000).emitWithAck('view:subscribe', { view: 'mobile' });
    expect('data' in snap).toBe(true);
    expect(other.connected && PROTOCOL_VERSION).toBe(PROTOCOL_VERSION);
  });
});
