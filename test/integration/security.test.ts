/**
 * Issue 14 with real clients: every route and socket event refuses the anonymous (401) and the wrong role
 * (403), listed from the app itself so a new route without a check fails here; commune scope; cross-origin
 * sockets; login limits; CSRF; the audited unmask; sessions ended by logout, role change and a revoked display.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { can, PERSON_ROLES, type Permission, type PersonRole } from '../../shared/auth';
import type { ClientToServerEvents } from '../../shared/events';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import type { App } from '../../server/app';
import { routeAccess, type Access } from '../../server/http/access';
import { SOCKET_EVENT_ACCESS } from '../../server/realtime/hub';
import { connectSocket, startTestApp, waitFor, type TestSocket } from '../support/harness';
import { anonymousFetch, logIn, TEST_PASSWORD, userSession, type TestSession } from '../support/session';

let app: App | undefined;
const sockets: TestSocket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await app?.close();
  app = undefined;
});

/** A person role that lacks the permission (undefined: every person role has it). */
function roleWithout(permission: Permission): PersonRole | undefined {
  return PERSON_ROLES.find((r) => !can(r, permission));
}

function concretePath(path: string): string {
  return path
    .replace(':action', 'acknowledge')
    .replace(':username', 'nobody')
    .replace('*layer', 'communes.geojson')
    .replace(/:(\w+)/g, '1');
}

async function call(s: TestSession | null, method: string, url: string): Promise<Response> {
  const init: RequestInit = { method, ...(method === 'GET' || method === 'HEAD' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' }) };
  return s ? s.fetch(url, init) : anonymousFetch(url, init);
}

function socketAs(url: string, headers: Record<string, string>): TestSocket {
  const s = io(url, { transports: ['websocket'], auth: { protocolVersion: PROTOCOL_VERSION }, reconnection: false, forceNew: true, extraHeaders: headers }) as TestSocket;
  sockets.push(s);
  return s;
}

function connectError(s: TestSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    s.once('connect', () => reject(new Error('connected')));
    s.once('connect_error', (e) => resolve(e.message));
  });
}

function connected(s: TestSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', (e) => reject(e));
  });
}

describe('every edge checks', () => {
  it('refuses every HTTP route to the anonymous (401) and to a role without its permission (403)', async () => {
    app = await startTestApp();
    const routes = routeAccess(app.api);
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.filter((r) => r.access === null)).toEqual([]);
    const sessions = new Map<PersonRole, TestSession>();
    for (const role of PERSON_ROLES) sessions.set(role, await userSession(app, role));
    const checked: string[] = [];
    for (const r of routes) {
      const url = `${app.url}${concretePath(r.path)}`;
      const access = r.access as Access;
      if (access.kind === 'public') {
        // Public routes answer the anonymous without asking for a login (the client pages, login, liveness).
        if (r.path !== '/api/auth/logout' && r.path !== '/api/auth/me') expect((await call(null, r.method, url)).status, `${r.method} ${r.path}`).not.toBe(401);
        continue;
      }
      expect((await call(null, r.method, url)).status, `anonymous ${r.method} ${r.path}`).toBe(401);
      const permission = access.kind === 'metrics' ? 'read' : access.permission;
      const without = roleWithout(permission);
      if (without) expect((await call(sessions.get(without)!, r.method, url)).status, `${without} ${r.method} ${r.path}`).toBe(403);
      checked.push(`${r.method} ${r.path}`);
    }
    expect(checked).toEqual(expect.arrayContaining(['GET /api/health', 'GET /api/devices/:id/readings', 'POST /api/alarms/:id/:action', 'GET /api/admin/users', 'GET /api/audit', 'POST /api/traffic/violations/:id/unmask', 'GET /ngsi-ld/v1/entities', 'GET /metrics']));
    // logout and me are public routes that still need a session.
    expect((await anonymousFetch(`${app.url}/api/auth/me`)).status).toBe(401);
    expect((await anonymousFetch(`${app.url}/api/auth/logout`, { method: 'POST' })).status).toBe(401);
  });

  it('refuses the socket to the anonymous and every event to a role without its permission', async () => {
    app = await startTestApp();
    expect(await connectError(socketAs(app.url, {}))).toBe('UNAUTHORIZED');
    const events = Object.keys(SOCKET_EVENT_ACCESS) as (keyof ClientToServerEvents)[];
    // The hub listens to exactly the events the table lists.
    const op = connectSocket(app.url);
    sockets.push(op);
    await connected(op);
    const serverSide = [...app.hub.io.sockets.sockets.values()][0]!;
    const reserved = new Set(['disconnect', 'disconnecting', 'error']);
    expect(serverSide.eventNames().filter((e) => !reserved.has(String(e))).sort()).toEqual([...events].sort());
    for (const event of events) {
      const role = roleWithout(SOCKET_EVENT_ACCESS[event]);
      if (!role) continue;
      const s = socketAs(app.url, { cookie: (await userSession(app, role)).cookie });
      await connected(s);
      const ack = (await s.timeout(5000).emitWithAck(event as 'alarm:acknowledge', { id: 1 })) as { error?: { code: string } };
      expect(ack.error?.code, `${role} ${event}`).toBe('FORBIDDEN');
    }
  });

  it('refuses a cross-origin WebSocket even with a valid session cookie', async () => {
    app = await startTestApp();
    const viewer = await userSession(app, 'viewer');
    expect(await connectError(socketAs(app.url, { cookie: viewer.cookie, origin: 'http://evil.example' }))).toMatch(/websocket error|xhr poll error|Unexpected server response|403/i);
    const same = socketAs(app.url, { cookie: viewer.cookie, origin: app.url });
    await connected(same);
  });

  it('gives a commune-scoped leader only their communes, over HTTP and on the phone', async () => {
    app = await startTestApp();
    const devices = app.province.registry.devices;
    const commune = devices.find((d) => d.type === 'air')!.commune;
    const leader = await userSession(app, 'leader', { communes: [commune] });
    const list = (await (await leader.fetch(`${app.url}/api/devices`)).json()) as { devices: { commune: string }[]; total: number };
    expect(list.total).toBe(devices.filter((d) => d.commune === commune).length);
    expect(new Set(list.devices.map((d) => d.commune))).toEqual(new Set([commune]));
    const outside = devices.find((d) => d.commune !== commune)!;
    expect((await leader.fetch(`${app.url}/api/devices/${outside.id}`)).status).toBe(403);
    expect((await leader.fetch(`${app.url}/api/devices/${outside.id}/readings`)).status).toBe(403);
    expect((await leader.fetch(`${app.url}/api/devices/${devices.find((d) => d.commune === commune)!.id}`)).status).toBe(200);
    expect((await leader.fetch(`${app.url}/api/export/stations.geojson`)).status).toBe(403);
    const s = connectSocket(app.url, PROTOCOL_VERSION, { cookie: leader.cookie });
    sockets.push(s);
    await connected(s);
    const wall = await s.timeout(5000).emitWithAck('view:subscribe', { view: 'wall' });
    expect('error' in wall && wall.error.code).toBe('FORBIDDEN');
    const phone = await s.timeout(5000).emitWithAck('view:subscribe', { view: 'mobile' });
    expect('data' in phone && phone.data.view).toBe('mobile');
    if ('data' in phone && phone.data.view === 'mobile') {
      for (const o of phone.data.offline) expect(devices[o.i]!.commune).toBe(commune);
      expect(phone.data.traffic).toBeUndefined();
    }
  });

  it('limits the sixth wrong password and says until when', async () => {
    app = await startTestApp();
    await userSession(app, 'operator');
    const username = (await app.identity.users.list()).find((u) => u.role === 'operator')!.username;
    const attempt = (password: string) =>
      anonymousFetch(`${app!.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    for (let k = 0; k < 5; k++) expect((await attempt('sai-mật-khẩu')).status).toBe(401);
    const sixth = await attempt('sai-mật-khẩu');
    expect(sixth.status).toBe(429);
    const body = (await sixth.json()) as { error: { code: string; message: string; unlockAt: number } };
    expect(body.error.code).toBe('LOCKED');
    expect(body.error.unlockAt).toBeGreaterThan(Date.now());
    expect(body.error.message).toMatch(/tạm khóa đến \d\d:\d\d/);
    // Even the right password waits for the window: that is what a lock is.
    expect((await attempt(TEST_PASSWORD)).status).toBe(429);
    const failures = await app.identity.audit.query({ action: 'login.failure', actor: username });
    expect(failures).toHaveLength(5);
    expect((await app.identity.audit.query({ action: 'login.locked' })).length).toBeGreaterThanOrEqual(1);
  });

  it('refuses a cookie-authenticated write without the CSRF token, and a login from another site', async () => {
    app = await startTestApp();
    const admin = await userSession(app, 'admin');
    const res = await anonymousFetch(`${app.url}/api/admin/displays`, { method: 'POST', headers: { cookie: admin.cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Tường 1' }) });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('CSRF');
    const cross = await anonymousFetch(`${app.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://evil.example' }, body: JSON.stringify({ username: 'admin', password: 'x' }) });
    expect(cross.status).toBe(403);
  });
});

describe('sessions end at once', () => {
  it('logout ends the session and its sockets; a role change ends the user’s sockets', async () => {
    app = await startTestApp();
    const op = await userSession(app, 'operator');
    const s = connectSocket(app.url, PROTOCOL_VERSION, { cookie: op.cookie });
    sockets.push(s);
    await connected(s);
    const ended = new Promise<string>((resolve) => s.on('session:ended', (e) => resolve(e.reason)));
    const gone = new Promise<void>((resolve) => s.on('disconnect', () => resolve()));
    expect((await op.fetch(`${app.url}/api/auth/logout`, { method: 'POST' })).status).toBe(204);
    expect(await ended).toBe('logout');
    await gone;
    expect((await op.fetch(`${app.url}/api/auth/me`)).status).toBe(401);

    const leader = await userSession(app, 'leader');
    const s2 = connectSocket(app.url, PROTOCOL_VERSION, { cookie: leader.cookie });
    sockets.push(s2);
    await connected(s2);
    const ended2 = new Promise<string>((resolve) => s2.on('session:ended', (e) => resolve(e.reason)));
    const admin = await userSession(app, 'admin');
    const patch = await admin.fetch(`${app.url}/api/admin/users/${leader.username}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'viewer' }) });
    expect(patch.status).toBe(200);
    expect(await ended2).toBe('role-changed');
    // The session itself lives on with the new role: a viewer may read, not acknowledge.
    expect((await leader.fetch(`${app.url}/api/auth/me`).then((r) => r.json()) as { user: { role: string } }).user.role).toBe('viewer');
  });

  it('binds a wall with a display token, and revoking it ends that wall’s socket within a tick', async () => {
    app = await startTestApp();
    const admin = await userSession(app, 'admin');
    const created = (await (await admin.fetch(`${app.url}/api/admin/displays`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Tường chính phòng điều hành' }) })).json()) as { id: number; bindPath: string; token: string };
    expect(created.bindPath).toBe(`/?display=${created.token}`);
    const bind = await anonymousFetch(`${app.url}${created.bindPath}`, { redirect: 'manual' });
    expect(bind.status).toBe(303);
    expect(bind.headers.get('location')).toBe('/');
    const cookie = bind.headers.getSetCookie().find((c) => c.startsWith('ioc.sid='))!.split(';')[0]!;
    const wall = socketAs(app.url, { cookie });
    await connected(wall);
    const snap = await wall.timeout(5000).emitWithAck('view:subscribe', { view: 'wall' });
    expect('data' in snap && snap.data.view).toBe('wall');
    const ack = (await wall.timeout(5000).emitWithAck('alarm:acknowledge', { id: 1 })) as { error?: { code: string } };
    expect(ack.error?.code).toBe('FORBIDDEN');
    const listed = (await (await admin.fetch(`${app.url}/api/admin/displays`)).json()) as { displays: { id: number; lastSeenAt: number | null }[] };
    expect(listed.displays.find((d) => d.id === created.id)!.lastSeenAt).not.toBeNull();
    const ended = new Promise<string>((resolve) => wall.on('session:ended', (e) => resolve(e.reason)));
    const t0 = Date.now();
    expect((await admin.fetch(`${app.url}/api/admin/displays/${created.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await ended).toBe('revoked');
    expect(Date.now() - t0).toBeLessThan(250);
    expect(await connectError(socketAs(app.url, { cookie }))).toBe('UNAUTHORIZED');
    // A revoked token binds nothing.
    expect((await anonymousFetch(`${app.url}${created.bindPath}`, { redirect: 'manual' })).headers.get('location')).toBe('/login?error=display');
  });
});

describe('personal data', () => {
  it('unmasks one plate for an operator with a reason, audit row first; the plate is in no frame, log line or export', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    app = await startTestApp({}, { logger: pino({ level: 'trace' }, sink) });
    const camera = app.province.registry.devices.find((d) => d.kind === 'traffic-camera')!;
    const wall = connectSocket(app.url);
    sockets.push(wall);
    const frames: string[] = [];
    wall.onAny((_e, payload) => frames.push(JSON.stringify(payload)));
    const snap = await wall.timeout(5000).emitWithAck('view:subscribe', { view: 'wall' });
    frames.push(JSON.stringify(snap));
    const plate = '76A-123.45';
    const v = app.traffic.violations.record(camera.id, { ts: Date.now(), violation: 'redLight', plate, vehicleType: 'car' }, Date.now())!;
    expect(v.plate).not.toBe(plate);
    app.tick();

    const operator = await userSession(app, 'operator');
    const leader = await userSession(app, 'leader');
    const unmask = (s: TestSession, body: unknown) =>
      s.fetch(`${app!.url}/api/traffic/violations/${encodeURIComponent(v.id)}/unmask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await unmask(leader, { reason: 'Công an huyện yêu cầu xác minh' })).status).toBe(403);
    expect((await unmask(operator, {})).status).toBe(400);
    expect((await unmask(operator, { reason: 'ok' })).status).toBe(400);
    const res = await unmask(operator, { reason: 'Công an huyện yêu cầu xác minh' });
    expect(res.status).toBe(200);
    const out = (await res.json()) as { plate: string; auditId: number };
    expect(out.plate).toBe(plate);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const [row] = await app.identity.audit.query({ action: 'plate.unmask' });
    expect(row).toMatchObject({ id: out.auditId, actor: operator.username, target: v.id, detail: { reason: 'Công an huyện yêu cầu xác minh' } });
    expect(JSON.stringify(row)).not.toContain(plate);

    app.tick();
    await new Promise((r) => setTimeout(r, 300));
    const exported = await operator.fetch(`${app.url}/api/export/readings.csv?type=camera`).then((r) => r.text());
    const violations = await operator.fetch(`${app.url}/api/traffic/violations`).then((r) => r.text());
    const audit = await (await userSession(app, 'auditor')).fetch(`${app.url}/api/audit`).then((r) => r.text());
    for (const [what, text] of [['frames', frames.join('\n')], ['log', lines.join('')], ['export', exported], ['violations', violations], ['audit', audit]] as const) {
      expect(text.length, what).toBeGreaterThan(0);
      expect(text.includes(plate), `raw plate in ${what}`).toBe(false);
    }
  });

  it('deletes raw plates after the retention period', async () => {
    app = await startTestApp();
    const camera = app.province.registry.devices.find((d) => d.kind === 'traffic-camera')!;
    const day = 86_400_000;
    const old = app.traffic.violations.record(camera.id, { ts: Date.now() - 31 * day, violation: 'speeding', plate: '51F-999.99', vehicleType: 'car' }, Date.now())!;
    const recent = app.traffic.violations.record(camera.id, { ts: Date.now() - day, violation: 'speeding', plate: '51F-888.88', vehicleType: 'car' }, Date.now())!;
    expect(app.traffic.rawPlates.prune(Date.now() - 30 * day)).toBe(1);
    expect(app.traffic.violations.rawPlate(old.id)).toBeUndefined();
    expect(app.traffic.violations.rawPlate(recent.id)).toBe('51F-888.88');
  });
});

describe('first start', () => {
  it('creates the admin with a generated password, printed once, that logs in', async () => {
    app = await startTestApp();
    expect(app.bootstrapPassword).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const admin = await logIn(app.url, 'admin', app.bootstrapPassword!);
    const me = (await (await admin.fetch(`${app.url}/api/auth/me`)).json()) as { user: { role: string } };
    expect(me.user.role).toBe('admin');
    expect((await app.identity.audit.query({ action: 'user.create', target: 'admin' }))[0]?.detail).toMatchObject({ bootstrap: true });
  });

  it('uses IOC_ADMIN_PASSWORD when given and prints nothing', async () => {
    app = await startTestApp({ security: { adminPassword: 'mật-khẩu-quản-trị-đặt-trước' } });
    expect(app.bootstrapPassword).toBeUndefined();
    await logIn(app.url, 'admin', 'mật-khẩu-quản-trị-đặt-trước');
    await waitFor('me', async () => (await anonymousFetch(`${app!.url}/api/health/live`)).ok);
  });
});
