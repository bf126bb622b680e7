import { authFetch } from '../support/session';
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MqttClient } from 'mqtt';
import type { App } from '../../server/app';
import type { Alarm, AlarmChange } from '../../shared/alarms';
import { isAlarmRepeat, wholeFromWire, type WireAlarmChange, type WireWholeChange } from '../../shared/alarmWire';
import type { ConsoleDelta, ConsoleSnapshot, MobileSnapshot, ViewDelta, WallDelta } from '../../shared/events';
import { topicFor } from '../../shared/mqtt';
import { connectMqtt, connectSocket, getJson, startTestApp, subscribe, waitFor, type TestSocket } from '../support/harness';

const MIN = 60_000;
let app: App | undefined;
let pub: MqttClient | undefined;
const sockets: TestSocket[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await pub?.endAsync(true);
  await app?.close();
  app = pub = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function socket(a: App): TestSocket {
  const s = connectSocket(a.url);
  sockets.push(s);
  return s;
}

function wireChangesIn(deltas: ViewDelta[]): WireAlarmChange[] {
  return deltas.flatMap((d) => (d as WallDelta | ConsoleDelta).alarms?.changes ?? []);
}

/** The whole changes (raises, steps, state changes, actions), restored as a view does; repeats go as the fields that moved. */
function changesIn(deltas: ViewDelta[]): AlarmChange[] {
  return wireChangesIn(deltas)
    .filter((c): c is WireWholeChange => !isAlarmRepeat(c))
    .map(wholeFromWire);
}

async function post(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await authFetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

describe('alarms end to end', () => {
  it('a rising river raises BĐ I, II, III once each on wall, console and phone; an operator acknowledges and resolves it; the audit has every step', async () => {
    let clock = Date.UTC(2026, 10, 23, 2, 0, 0);
    app = await startTestApp({ tickMs: 10_000 }, { now: () => clock });
    pub = await connectMqtt(app.mqttUrl, { clientId: 'river' });
    const devices = app.province.registry.devices;
    const d = devices.find((x) => x.props?.station === 'Trà Khúc')!;
    const i = devices.indexOf(d);
    const [bd1, bd2, bd3] = [d.props!.bd1 as number, d.props!.bd2 as number, d.props!.bd3 as number];
    const wall = await subscribe(socket(app), 'wall');
    const consoleView = await subscribe(socket(app), 'console');
    const mobile = await subscribe(socket(app), 'mobile');
    expect((consoleView.snapshot as ConsoleSnapshot).alarms.open).toEqual([]);

    const level = async (m: number) => {
      await pub!.publishAsync(topicFor('hydro', d.id, 'telemetry'), JSON.stringify({ ts: clock, waterLevel: m }), { qos: 1 });
      await waitFor('ingested', () => app!.table.lastSeen[i] === clock);
      app!.tick();
      clock += 5 * MIN;
    };
    // Rising through every level, with repeats at each stage, then falling back below BĐ I.
    for (const m of [bd1 - 0.5, bd1 + 0.1, bd1 + 0.3, bd2 + 0.1, bd2 + 0.2, bd3 + 0.1, bd3 + 0.4, bd3 + 0.2]) await level(m);

    const onWall = await waitFor('BĐ III on the wall', () => {
      const cs = changesIn(wall.deltas).filter((c) => c.alarm.source === d.id && c.alarm.ruleId === 'river-stage');
      return cs.some((c) => c.alarm.severity === 'critical') ? cs : undefined;
    });
    // One alarm for the gauge; announced once per level: raised (warning), then major, then critical.
    const announced = onWall.filter((c) => c.change === 'raised' || c.previousSeverity !== undefined);
    expect(announced.map((c) => [c.change, c.alarm.severity])).toEqual([
      ['raised', 'warning'],
      ['updated', 'major'],
      ['updated', 'critical'],
    ]);
    expect(new Set(onWall.map((c) => c.alarm.id)).size).toBe(1);
    expect(announced.map((c) => c.alarm.title)).toEqual([expect.stringMatching(/BĐ I\b/), expect.stringMatching(/BĐ II\b/), expect.stringMatching(/BĐ III/)]);
    const alarmId = announced[0]!.alarm.id;
    // Revs strictly increase: in order, nothing duplicated.
    const revs = wireChangesIn(wall.deltas).map((c) => c.rev);
    expect(revs).toEqual([...revs].sort((a, b) => a - b));
    expect(new Set(revs).size).toBe(revs.length);
    await waitFor('the same on the console', () => changesIn(consoleView.deltas).some((c) => c.alarm.id === alarmId && c.alarm.severity === 'critical'));
    await waitFor('critical first on the phone', () => (mobile.deltas.at(-1) as MobileSnapshot | undefined)?.alarms?.top[0]?.id === alarmId || undefined);

    // The operator acknowledges on the socket (no note needed) …
    const s = sockets[1]!;
    const bad = await s.timeout(5000).emitWithAck('alarm:acknowledge', { id: -1 });
    expect('error' in bad && bad.error.code).toBe('BAD_REQUEST');
    const ack = await s.timeout(5000).emitWithAck('alarm:acknowledge', { id: alarmId, note: 'Đã báo Ban chỉ huy PCTT' });
    expect('data' in ack && ack.data.state).toBe('acknowledged');
    // … and resolves over HTTP with a note; without one it is refused.
    expect((await post(`${app.url}/api/alarms/${alarmId}/resolve`, {})).status).toBe(400);
    const resolved = await post(`${app.url}/api/alarms/${alarmId}/resolve`, { note: 'Nước đã rút dưới BĐ II, đã sơ tán 2 hộ' });
    expect(resolved.status).toBe(200);
    expect((resolved.json as { data: Alarm }).data).toMatchObject({ state: 'resolved', resolvedBy: 'Nguyễn Văn An' });
    app.tick();
    await waitFor('resolve on the wall', () => changesIn(wall.deltas).some((c) => c.alarm.id === alarmId && c.change === 'resolved'));

    const { history } = await getJson<{ history: { change: string; actor: string; note: string | null; snapshot: Alarm }[] }>(`${app.url}/api/alarms/${alarmId}`);
    const steps = history.map((h) => h.change);
    expect(steps[0]).toBe('raised');
    // The repeats at each stage are not in the audit; the severity steps the console's history shows are.
    expect(history.filter((h) => h.change === 'updated').map((h) => h.snapshot.severity)).toEqual(['major', 'critical']);
    expect(steps.filter((c) => c === 'acknowledged')).toHaveLength(1);
    expect(steps.at(-1)).toBe('resolved');
    expect(history.find((h) => h.change === 'acknowledged')).toMatchObject({ actor: 'Nguyễn Văn An', note: 'Đã báo Ban chỉ huy PCTT' });
    expect(history.find((h) => h.change === 'resolved')?.note).toMatch(/sơ tán/);
    const health = await getJson<{ alarms: { raisedTotal: number; medianAckMs: number | null } }>(`${app.url}/api/health`);
    expect(health.alarms.raisedTotal).toBeGreaterThanOrEqual(1);
    expect(health.alarms.medianAckMs).toBeGreaterThan(0);
  });

  it('a restart on the same database loses no alarm and no audit row', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ioc-alarms-'));
    dirs.push(dir);
    app = await startTestApp({ dataDir: dir });
    pub = await connectMqtt(app.mqttUrl, { clientId: 'aqi' });
    const d = app.province.registry.devices.find((x) => x.type === 'air')!;
    const now = Date.now();
    for (let k = 180; k >= 0; k -= 5) pub.publish(topicFor('air', d.id, 'telemetry'), JSON.stringify({ ts: now - k * MIN, pm25: 180 }), { qos: 0 });
    await pub.publishAsync(topicFor('air', d.id, 'telemetry'), JSON.stringify({ ts: now, pm25: 180 }), { qos: 1 });
    const before = await waitFor('an AQI alarm', async () => {
      const page = await getJson<{ items: Alarm[] }>(`${app!.url}/api/alarms?state=open&domain=air`);
      return page.items.find((a) => a.source === d.id);
    });
    expect(before.severity).toBe('critical');
    const audit = (await getJson<{ history: unknown[] }>(`${app.url}/api/alarms/${before.id}`)).history;
    await pub.endAsync(true);
    pub = undefined;
    await app.close();

    app = await startTestApp({ dataDir: dir });
    const after = await getJson<{ items: Alarm[] }>(`${app.url}/api/alarms?state=open&domain=air`);
    expect(after.items.find((a) => a.id === before.id)).toMatchObject({ source: d.id, severity: 'critical', raisedAt: before.raisedAt });
    expect((await getJson<{ history: unknown[] }>(`${app.url}/api/alarms/${before.id}`)).history).toEqual(audit);
    const snap = (await subscribe(socket(app), 'console')).snapshot as ConsoleSnapshot;
    expect(snap.alarms.open.map((a) => a.id)).toContain(before.id);
  });

  it('a burst of offline street lights and meters in one commune is one group alarm per kind, no single alarms', async () => {
    app = await startTestApp({ tickMs: 100 });
    pub = await connectMqtt(app.mqttUrl, { clientId: 'burst' });
    const iot = app.province.registry.devices.filter((x) => x.type === 'iot');
    const byCommune = new Map<string, typeof iot>();
    for (const x of iot) byCommune.set(x.commune, [...(byCommune.get(x.commune) ?? []), x]);
    const [commune, members] = [...byCommune.entries()].sort((a, b) => b[1].length - a[1].length)[0]!;
    expect(members.length).toBeGreaterThan(40);
    for (const x of members) pub.publish(topicFor('iot', x.id, 'telemetry'), JSON.stringify({ ts: Date.now(), values: { power: 80 } }), { qos: 0 });
    await pub.publishAsync('ioc/v1/sync', '{}', { qos: 1 });
    await waitFor('all online', () => members.every((x) => app!.table.online[app!.table.indexOf(x.id)!] === 1));
    for (const x of members) pub.publish(topicFor('iot', x.id, 'status'), '{"online":false}', { qos: 0 });
    await pub.publishAsync('ioc/v1/sync', '{}', { qos: 1 });
    const open = await waitFor('the groups', async () => {
      const page = await getJson<{ items: Alarm[] }>(`${app!.url}/api/alarms?state=open&commune=${commune}&limit=500`);
      const folded = page.items.reduce((n, a) => n + (a.members?.active ?? 0), 0);
      return folded >= members.length ? page.items : undefined;
    });
    const perKind = (kind: string) => members.filter((x) => x.kind === kind).length;
    expect(open.map((a) => [a.ruleId, a.kind, a.members?.active]).sort()).toEqual([
      ['energy-meter-offline', 'group', perKind('energy-meter')],
      ['street-light-offline', 'group', perKind('street-light')],
    ]);
  });

  it('in a storm beyond the snapshot cap, wall, console and phone get the true counts from the server', async () => {
    const clock = Date.UTC(2026, 10, 23, 2, 0, 0);
    app = await startTestApp({ tickMs: 10_000 }, { now: () => clock });
    // 9 critical, 18 major, 1,198 warnings: 1,225 open, more than the snapshot's 500. Sources spread over
    // 200 communes so that no (rule, commune) reaches the storm threshold and every alarm stays single.
    const sig = (signal: string, source: string, k: number, domain: 'hydro' | 'traffic' | 'device', value: number) =>
      app!.alarms.push({ signal, source, value, ts: clock, commune: `c${k % 200}`, domain });
    for (let k = 0; k < 9; k++) sig('river.stage', `gauge-${k}`, k, 'hydro', 3);
    for (let k = 0; k < 18; k++) sig('congestion.incident', `inc-${k}`, k, 'traffic', 1);
    for (let k = 0; k < 1198; k++) sig('device.offline', `dev-${k}`, k, 'device', 1);
    const wall = await subscribe(socket(app), 'wall');
    app.tick();
    const delta = await waitFor('the storm on the wall', () => wall.deltas.find((d) => (d as WallDelta).alarms?.totals) as WallDelta | undefined);
    expect(delta.alarms?.totals).toEqual({ open: 1225, bySeverity: { critical: 9, major: 18, warning: 1198 }, unacknowledged: 1225, escalated: 0 });

    const critical = app.alarms.snapshot().open[0]!;
    expect(app.alarms.acknowledge(critical.id, 'Nguyễn Văn An')).toMatchObject({ data: { state: 'acknowledged' } });
    const consoleView = await subscribe(socket(app), 'console');
    const snap = (consoleView.snapshot as ConsoleSnapshot).alarms;
    expect(snap.open).toHaveLength(500);
    expect(snap.openTotal).toBe(1225);
    expect(snap.totals).toEqual({ open: 1225, bySeverity: { critical: 9, major: 18, warning: 1198 }, unacknowledged: 1224, escalated: 0 });
    const mobile = (await subscribe(socket(app), 'mobile')).snapshot as MobileSnapshot;
    expect(mobile.alarms?.totals).toEqual(snap.totals);

    // The acknowledgement reaches the wall with the new totals; a tick with no change carries none.
    app.tick();
    const next = await waitFor('the acknowledgement on the wall', () =>
      wall.deltas.find((d) => changesIn([d]).some((c) => c.change === 'acknowledged')) as WallDelta | undefined,
    );
    expect(next.alarms?.totals?.unacknowledged).toBe(1224);
    const seen = wall.deltas.length;
    app.tick();
    await waitFor('a quiet tick', () => wall.deltas.length > seen || undefined);
    expect((wall.deltas.at(-1) as WallDelta).alarms?.totals).toBeUndefined();
  });
});
