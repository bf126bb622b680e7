/**
 * GET /api/history/snapshot end to end: readings and alarms stored at two instants of the past, and the
 * snapshot at each shows that instant's values, online states, river level and open alarms.
 */
import { authFetch } from '../support/session';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../server/app';
import { makeAlarm } from '../../server/alarms/alarm';
import { decisionsWrite } from '../../server/alarms/storePort';
import { AlarmStore } from '../../server/store/alarmStore';
import type { Reading } from '../../server/store/readings/port';
import type { Alarm, AlarmChange } from '../../shared/alarms';
import type { Device } from '../../shared/devices';
import type { HistoricWallSnapshot } from '../../shared/events';
import { getJson, startTestApp } from '../support/harness';

const MIN = 60_000;
const HOUR = 60 * MIN;

let dir: string;
let app: App | undefined;
let alarmStore: AlarmStore;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ioc-history-it-'));
  alarmStore = new AlarmStore(':memory:');
});

afterEach(async () => {
  await app?.close();
  app = undefined;
  alarmStore.close();
  rmSync(dir, { recursive: true, force: true });
});

function storedAlarm(id: number, raisedAt: number): Alarm {
  return makeAlarm({
    id,
    kind: 'single',
    ruleId: `r${id}`,
    source: `s${id}`,
    signal: 'x',
    domain: 'device',
    commune: '51001',
    title: 'Vượt',
    severity: 'warning',
    level: 0,
    value: 1,
    raisedAt,
    lastSeen: raisedAt,
    conditionSince: raisedAt,
    runs: [raisedAt],
    ackDeadline: null,
  });
}

const snapshotUrl = (a: App, at: number | string) => `${a.url}/api/history/snapshot?at=${encodeURIComponent(String(at))}`;

describe('GET /api/history/snapshot', () => {
  it('shows each instant as it was: values, online, river level, open alarms', async () => {
    app = await startTestApp({ dataDir: dir }, { alarmStore });
    const devices = app.province.registry.devices;
    const idx = (d: Device) => devices.indexOf(d);
    const [river, quietRiver] = devices.filter((d) => d.type === 'hydro');
    const air = devices.find((d) => d.type === 'air')!;
    const iot = devices.find((d) => d.type === 'iot')!;
    expect(iot.reportIntervalSec * 3 * 1000).toBeLessThan(HOUR);

    const t2 = Math.floor(Date.now() / MIN) * MIN - HOUR;
    const t1 = t2 - 2 * HOUR;
    const batch: Reading[] = [];
    // The river: 1.5 m until t1, 4.5 m after; the quiet river stops reporting at t1.
    for (let ts = t1 - 3 * HOUR; ts <= t2; ts += MIN) {
      batch.push({ deviceId: river!.id, type: 'hydro', ts, values: { waterLevel: ts <= t1 ? 1.5 : 4.5 } });
      if (ts <= t1) batch.push({ deviceId: quietRiver!.id, type: 'hydro', ts, values: { waterLevel: 0.8 } });
    }
    batch.push({ deviceId: air.id, type: 'air', ts: t1 - MIN, values: { pm25: 10 } });
    batch.push({ deviceId: air.id, type: 'air', ts: t2 - MIN, values: { pm25: 50 } });
    batch.push({ deviceId: iot.id, type: 'iot', ts: t1 - MIN, values: { power: 3 } });
    await app.readings.append(batch);

    let rev = 0;
    const change = (a: Alarm, c: AlarmChange['change'], at: number, extra: Partial<Alarm> = {}): AlarmChange => {
      rev++;
      return { rev, change: c, alarm: { ...a, ...extra, rev, updatedAt: at }, actor: 'system', at };
    };
    const early = storedAlarm(9001, t1 - 10 * MIN);
    const late = storedAlarm(9002, t1 + 10 * MIN);
    const ended = storedAlarm(9003, t1 - 20 * MIN);
    alarmStore.write(decisionsWrite([change(ended, 'raised', ended.raisedAt), change(early, 'raised', early.raisedAt)]));
    alarmStore.write(decisionsWrite([change(ended, 'resolved', t1 + 5 * MIN, { state: 'resolved', resolvedAt: t1 + 5 * MIN, resolvedBy: 'op', note: 'ok' })]));
    alarmStore.write(decisionsWrite([change(late, 'raised', late.raisedAt)]));

    const s1 = await getJson<HistoricWallSnapshot>(snapshotUrl(app, new Date(t1).toISOString()));
    const s2 = await getJson<HistoricWallSnapshot>(snapshotUrl(app, t2));
    expect(s1.historic).toEqual({ at: t1 });
    expect(s2.historic).toEqual({ at: t2 });
    expect(s1.devices).toHaveLength(devices.length);
    expect(s1.devices.every((p, i) => p.i === i)).toBe(true);

    // The earlier instant shows the earlier value, the later one the later value.
    expect(s1.devices[idx(air)]).toMatchObject({ on: 1, ts: t1 - MIN, v: { pm25: 10 } });
    expect(s2.devices[idx(air)]).toMatchObject({ on: 1, ts: t2 - MIN, v: { pm25: 50 } });

    // The river's level and derived state are those of each instant; its hydrograph ends there.
    const r1 = s1.devices[idx(river!)]!;
    const r2 = s2.devices[idx(river!)]!;
    expect(r1).toMatchObject({ on: 1, ts: t1, v: { waterLevel: 1.5 }, x: { kind: 'hydro', level: 1.5 } });
    expect(r2).toMatchObject({ on: 1, ts: t2, v: { waterLevel: 4.5 }, x: { kind: 'hydro', level: 4.5, rateCmH: 0 } });
    const h2 = s2.hydrographs!.find((h) => h.i === idx(river!))!;
    expect(h2.points.at(-1)![1]).toBe(4.5);
    expect(h2.points[0]![1]).toBe(1.5);
    expect(s1.hydrographs!.find((h) => h.i === idx(river!))!.points.every(([, v]) => v === 1.5)).toBe(true);

    // Devices silent at the instant are offline then.
    expect(s1.devices[idx(quietRiver!)]).toMatchObject({ on: 1, ts: t1 });
    expect(s2.devices[idx(quietRiver!)]).toMatchObject({ on: 0, ts: t1, x: { kind: 'hydro', level: 0.8 } });
    expect(s1.devices[idx(iot)]).toMatchObject({ on: 1, ts: t1 - MIN });
    expect(s1.devices[idx(iot)]!.v).toBeUndefined();
    expect(s2.devices[idx(iot)]!.on).toBe(0);
    expect(s1.counts.hydro.online).toBe(2);
    expect(s2.counts.hydro.online).toBe(1);

    // Alarms open at each instant, each as it was then.
    expect(s1.alarms!.open.map((a) => a.id).sort()).toEqual([9001, 9003]);
    expect(s1.alarms!.open.find((a) => a.id === 9003)!.state).toBe('active');
    expect(s1.alarms!.openTotal).toBe(2);
    expect(s2.alarms!.open.map((a) => a.id).sort()).toEqual([9001, 9002]);
    expect(s2.alarms!.totals.open).toBe(2);
  });

  it("rebuilds the communes' disaster risk levels and fire danger of that instant from the stored hours", async () => {
    app = await startTestApp({ dataDir: dir, province: 'son-la' }, { alarmStore });
    const devices = app.province.registry.devices;
    const gauge = devices.find((d) => d.type === 'rain')!;
    const stations = devices.filter((d) => d.type === 'air');
    const at = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
    const batch: Reading[] = [];
    // Two days of steady rain (2 mm an hour), then 6 mm an hour for the 24 h to `at`: 144 mm after 2 days of rain.
    for (let ts = at - 72 * HOUR + HOUR; ts <= at; ts += HOUR) {
      batch.push({ deviceId: gauge.id, type: 'rain', ts, values: { precipitation: ts > at - 24 * HOUR ? 6 : 2, intervalSec: 3600 } });
    }
    // Eleven hot, dry 13:00 hours (Vietnam time) at every air station, before the rain.
    for (let d = 14; d >= 4; d--) {
      const noon = Math.floor((at - d * 24 * HOUR + 7 * HOUR) / (24 * HOUR)) * 24 * HOUR + 6 * HOUR;
      for (const st of stations) {
        for (const m of [0, 20, 40]) batch.push({ deviceId: st.id, type: 'air', ts: noon + m * MIN, values: { temperature: 34, relativeHumidity: 35 } });
      }
    }
    await app.readings.append(batch);

    const s = await getJson<HistoricWallSnapshot>(snapshotUrl(app, at));
    expect(s.risk?.communes).toHaveLength(75);
    const c = s.risk!.communes.find((x) => x.code === gauge.commune)!;
    expect(c.rain24h).toBe(144);
    expect(c.antecedentRainDays).toBe(2);
    expect(c.level).toBeGreaterThanOrEqual(1);
    // A day earlier: 48 mm in 24 h, no level.
    const before = await getJson<HistoricWallSnapshot>(snapshotUrl(app, at - 24 * HOUR));
    expect(before.risk!.communes.find((x) => x.code === gauge.commune)!.level).toBe(0);

    // The eleven dry days added up in every commune with forest (no rain fell where they were read).
    expect(s.fire?.communes.length).toBeGreaterThan(0);
    const dry = s.fire!.communes.filter((f) => f.dryDays === 11);
    expect(dry.length).toBeGreaterThan(s.fire!.communes.length / 2);
    expect(dry.every((f) => f.level >= 3)).toBe(true);
    // Before the dry days, nothing.
    const early = await getJson<HistoricWallSnapshot>(snapshotUrl(app, at - 15 * 24 * HOUR));
    expect(early.fire!.communes.every((f) => f.p === 0)).toBe(true);
  });

  it('refuses a missing, malformed or future instant with a clear 400', async () => {
    app = await startTestApp({ dataDir: dir }, { alarmStore });
    for (const [url, message] of [
      [`${app.url}/api/history/snapshot`, /at:/],
      [snapshotUrl(app, 'yesterday'), /ISO-8601/],
      [snapshotUrl(app, '2026-12-04T10:00:00'), /ISO-8601/],
      [snapshotUrl(app, Math.floor(Date.now() / 1000)), /between 2000 and 2100/],
      [snapshotUrl(app, Date.now() + HOUR), /in the future/],
    ] as const) {
      const res = await authFetch(url);
      expect(res.status, url).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.message).toMatch(message);
    }
  });
});
