import { authFetch } from '../support/session';
import { afterEach, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { App } from '../../server/app';
import type { MobileSnapshot, ViewDelta, WallDelta, WallSnapshot } from '../../shared/events';
import { topicFor } from '../../shared/mqtt';
import type { CongestionIncident } from '../../shared/traffic';
import { startFleet, type Fleet } from '../../simulators/fleet/fleet';
import { connectMqtt, connectSocket, getJson, startTestApp, subscribe, waitFor, type TestSocket } from '../support/harness';
import { testSimStart } from '../support/simStart';

const MIN = 60_000;
let app: App | undefined;
let pub: MqttClient | undefined;
let fleet: Fleet | undefined;
const sockets: TestSocket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await fleet?.close();
  await pub?.endAsync(true);
  await app?.close();
  app = pub = fleet = undefined;
});

function socket(a: App): TestSocket {
  const s = connectSocket(a.url);
  sockets.push(s);
  return s;
}

function incidentIn(deltas: ViewDelta[], pred: (i: CongestionIncident) => boolean): CongestionIncident | undefined {
  for (const d of deltas) for (const i of (d as WallDelta).traffic?.incidents ?? []) if (pred(i)) return i;
  return undefined;
}

describe('traffic on the wall', () => {
  it('a sustained slowdown on QL1A opens a congestion incident on the wall and the phone, and recovery closes it', async () => {
    let clock = Date.UTC(2026, 10, 23, 10, 0, 0); // 17:00 in Quảng Ngãi
    // A long tick: the test drives the hub itself, one tick per simulated minute.
    app = await startTestApp({ tickMs: 10_000 }, { now: () => clock });
    pub = await connectMqtt(app.mqttUrl, { clientId: 'traffic-publisher' });
    const segments = (await getJson<{ segments: { id: string; road: string; cameraIds: { forward: string[]; backward: string[] } }[] }>(`${app.url}/api/traffic/segments`)).segments;
    const seg = segments.find((s) => s.road === 'QL1A' && s.cameraIds.forward.length + s.cameraIds.backward.length > 0)!;
    const cams = [...seg.cameraIds.forward, ...seg.cameraIds.backward];
    const wall = await subscribe(socket(app), 'wall');
    const mobile = await subscribe(socket(app), 'mobile');
    expect((wall.snapshot as WallSnapshot).traffic?.segments.find((s) => s.id === seg.id)?.los).toBe('noData');

    const minute = async (speed: number) => {
      for (const id of cams) {
        const body = { ts: clock, windowSec: 60, intensity: { car: 400, motorbike: 1500, truck: 80, bus: 20 }, averageVehicleSpeed: speed, occupancy: speed < 20 ? 0.8 : 0.15 };
        await pub!.publishAsync(topicFor('camera', id, 'telemetry'), JSON.stringify(body), { qos: 1 });
      }
      const i = app!.table.indexOf(cams[0]!)!;
      await waitFor('ingested', () => app!.table.lastSeen[i] === clock);
      app!.tick();
      clock += MIN;
    };

    for (let m = 0; m < 9; m++) await minute(8);
    await new Promise((r) => setTimeout(r, 100));
    expect(incidentIn(wall.deltas, () => true)).toBeUndefined(); // 9 minutes of F: not yet
    const segState = (wall.deltas as WallDelta[]).flatMap((d) => d.traffic?.segments ?? []).filter((s) => s.id === seg.id).at(-1);
    expect(segState).toMatchObject({ los: 'F', speedKmh: 8 });

    for (let m = 0; m < 3; m++) await minute(8);
    const opened = await waitFor('incident opened', () => incidentIn(wall.deltas, (i) => i.state === 'open' && i.segmentIds.includes(seg.id)));
    expect(opened).toMatchObject({ road: 'QL1A', worstSpeedKmh: 8 });
    expect(opened.lengthKm).toBeGreaterThan(0);
    const onPhone = await waitFor('incident on the phone', () => (mobile.deltas.at(-1) as MobileSnapshot | undefined)?.traffic?.incidents.find((i) => i.id === opened.id));
    expect(onPhone.state).toBe('open');

    for (let m = 0; m < 8; m++) await minute(65);
    const closed = await waitFor('incident closed', () => incidentIn(wall.deltas, (i) => i.id === opened.id && i.state === 'closed'));
    expect(closed.closeReason).toBe('recovered');
    await waitFor('gone from the phone', () => {
      const last = mobile.deltas.at(-1) as MobileSnapshot | undefined;
      return last !== undefined && last.seq > (mobile.deltas.find((d) => (d as MobileSnapshot).traffic?.incidents.length)?.seq ?? 0) && last.traffic?.incidents.length === 0;
    });
  });

  it('no raw plate leaves the server: every socket frame and API response over simulated traffic holds masked plates only', async () => {
    // Server and cameras share a clock set to the evening peak (17:30 in Quảng Ngãi), when
    // violations are most frequent, whatever time the test runs.
    const peak = new Date();
    peak.setUTCHours(10, 30, 0, 0);
    const offset = peak.getTime() - Date.now() - 86_400_000;
    const clock = () => Date.now() + offset;
    app = await startTestApp({ tickMs: 100 }, { now: clock });
    const raw = new Set<string>();
    pub = await connectMqtt(app.mqttUrl, { clientId: 'plate-spy' });
    await pub.subscribeAsync('ioc/v1/camera/+/event', { qos: 1 });
    pub.on('message', (_t, payload) => raw.add((JSON.parse(payload.toString()) as { plate: string }).plate));
    const frames: string[] = [];
    for (const view of ['wall', 'mobile'] as const) {
      const s = socket(app);
      s.onAny((_event, payload) => frames.push(JSON.stringify(payload)));
      frames.push(JSON.stringify((await subscribe(s, view)).snapshot));
    }
    // Cameras only, 600× faster: about 20 simulated minutes of violations in two seconds.
    fleet = await startFleet({ mqttUrl: app.mqttUrl, credentials: app.gateway, registry: app.province.registry, speed: 600, clock, include: (d) => d.type === 'camera', simStart: testSimStart() });
    await waitFor('violations', () => raw.size >= 30, 40_000);
    await fleet.close();
    fleet = undefined;
    await new Promise((r) => setTimeout(r, 300));
    for (const path of ['/api/traffic/violations', '/api/health', '/api/devices', '/api/ingest/rejects']) frames.push(await (await authFetch(`${app.url}${path}`)).text());
    const late = socket(app);
    frames.push(JSON.stringify((await subscribe(late, 'wall')).snapshot));

    const all = frames.join('\n');
    const feed = await getJson<{ feed: { plate: string }[]; summary: { total: number } }>(`${app.url}/api/traffic/violations`);
    expect(feed.feed.length).toBeGreaterThan(10);
    expect(feed.feed.every((v) => v.plate.includes('*'))).toBe(true);
    const leaked = [...raw].filter((p) => all.includes(p));
    expect(leaked).toEqual([]);
    expect(raw.size).toBeGreaterThanOrEqual(30);
  });
});
