/**
 * A hydropower dam's flood release (xả lũ) reaches the communes below it (issue 19): Sơn La's dam sends its
 * notice and its reports over MQTT, exactly as the contract gives them, and every downstream commune gets its
 * own alarm, major when the release is announced, critical when the gates open, cleared when they close; the
 * wall's station state and the phone carry it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { App } from '../../server/app';
import type { ReservoirDerived } from '../../shared/environment';
import type { HistoricWallSnapshot, MobileSnapshot, WallDelta, WallSnapshot } from '../../shared/events';
import { topicFor } from '../../shared/mqtt';
import { releaseSource } from '../../shared/reservoir';
import { connectMqtt, connectSocket, getJson, startTestApp, subscribe, waitFor, type TestSocket } from '../support/harness';

let app: App | undefined;
let pub: MqttClient | undefined;
let sock: TestSocket | undefined;
let dir: string | undefined;

afterEach(async () => {
  sock?.disconnect();
  await pub?.endAsync(true);
  await app?.close();
  app = pub = sock = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const MIN = 60_000;

describe('a dam release in Sơn La', () => {
  it('raises an alarm in every downstream commune: major when announced, critical with the gates open, cleared when they close', async () => {
    app = await startTestApp({ province: 'son-la' });
    const devices = app.province.registry.devices;
    const dam = devices.find((d) => d.type === 'reservoir' && d.name.includes('Sơn La'))!;
    const damIndex = devices.indexOf(dam);
    const downstream = String(dam.props!.downstream).split(',');
    expect(downstream.length).toBeGreaterThanOrEqual(10);
    pub = await connectMqtt(app.mqttUrl, { clientId: 'dam-publisher' });
    sock = connectSocket(app.url);
    const { deltas } = await subscribe(sock, 'wall');

    const report = async (ts: number, gates: number, level: number) => {
      const body = { ts, waterLevel: level, inflow: 6200, outflow: 3400 + gates * 900, spillwayGatesOpen: gates };
      await pub!.publishAsync(topicFor('reservoir', dam.id, 'telemetry'), JSON.stringify(body), { qos: 1 });
    };
    const notice = (body: Record<string, unknown>) => pub!.publishAsync(topicFor('reservoir', dam.id, 'event'), JSON.stringify(body), { qos: 1 });
    const releaseAlarms = () => app!.alarms.snapshot().open.filter((a) => a.ruleId === 'flood-release');

    const t0 = Date.now() - 10 * MIN;
    for (let k = 0; k < 5; k++) await report(t0 + k * MIN, 0, 196.2 + k * 0.05);
    // A bad notice is refused with a reason and changes nothing.
    await notice({ ts: t0 + 5 * MIN, release: 'maybe' });
    const startsAt = Date.now() + 2 * 3_600_000;
    await notice({ ts: t0 + 5 * MIN, release: 'announced', startsAt, gates: 2, outflow: 5200, note: 'Lệnh mở 2 cửa xả đáy' });

    const announced = await waitFor('an alarm in each downstream commune', () => {
      const open = releaseAlarms();
      return open.length === downstream.length ? open : undefined;
    });
    expect(new Set(announced.map((a) => a.commune))).toEqual(new Set(downstream));
    for (const a of announced) {
      expect(a.source).toBe(releaseSource(dam.id, a.commune!));
      expect(a.severity).toBe('major');
      expect(a.title).toBe('Thủy điện thông báo xả lũ');
    }
    expect(app.ingest.rejected.schema).toBeGreaterThanOrEqual(1);
    // No alarm anywhere else: the dam's own commune list is the reach of the notice.
    expect(app.alarms.snapshot().open.filter((a) => a.ruleId === 'flood-release' && !downstream.includes(a.commune!))).toEqual([]);

    // The wall's station state carries the notice.
    const x = await waitFor('the notice on the wall', () => {
      for (let k = deltas.length - 1; k >= 0; k--) {
        const p = (deltas[k] as WallDelta).devices.find((d) => d.i === damIndex);
        if (p?.x) return (p.x as ReservoirDerived).release === 'announced' ? (p.x as ReservoirDerived) : undefined;
      }
      return undefined;
    });
    expect(x.notice).toMatchObject({ phase: 'announced', startsAt, gates: 2, outflow: 5200 });
    expect(x.limitNow).toBe(x.inFloodSeason ? 197.3 : 215);

    // The gates open: a report says so (before the plant's own notice), and every commune's alarm steps to critical.
    await report(Date.now(), 2, 196.5);
    const critical = await waitFor('critical in every commune', () => {
      const open = releaseAlarms();
      return open.length === downstream.length && open.every((a) => a.severity === 'critical') ? open : undefined;
    });
    expect(critical.every((a) => a.title === 'Thủy điện đang xả lũ')).toBe(true);

    // The phone lists them among its alarms.
    const phone = connectSocket(app.url);
    const mobile = (await subscribe(phone, 'mobile')).snapshot as MobileSnapshot;
    phone.disconnect();
    expect(mobile.alarms?.top.filter((a) => a.ruleId === 'flood-release').length).toBeGreaterThan(0);

    // The plant closes the gates and says so: the conditions clear (the alarms wait for an operator as cleared).
    await notice({ ts: Date.now(), release: 'ended', gates: 0 });
    await report(Date.now() + 1000, 0, 196.1);
    await waitFor('every release condition cleared', () => {
      const all = app!.alarms.snapshot().open.filter((a) => a.ruleId === 'flood-release');
      return all.length > 0 && all.every((a) => !a.conditionActive) ? all : undefined;
    });
  }, 30_000);

  it('keeps an announced release across a restart, and the time machine shows it at the instant after the notice', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ioc-dam-it-'));
    app = await startTestApp({ province: 'son-la', dataDir: dir });
    const devices = app.province.registry.devices;
    const dam = devices.find((d) => d.type === 'reservoir' && d.name.includes('Sơn La'))!;
    const damIndex = devices.indexOf(dam);
    pub = await connectMqtt(app.mqttUrl, { clientId: 'dam-publisher' });
    const t0 = Date.now() - 20 * MIN;
    const report = (ts: number) =>
      pub!.publishAsync(topicFor('reservoir', dam.id, 'telemetry'), JSON.stringify({ ts, waterLevel: 196.4, inflow: 6000, outflow: 3400, spillwayGatesOpen: 0 }), { qos: 1 });
    for (let k = 0; k < 3; k++) await report(t0 + k * MIN);
    const noticeAt = t0 + 3 * MIN;
    const startsAt = Date.now() + 3 * 3_600_000;
    await pub.publishAsync(topicFor('reservoir', dam.id, 'event'), JSON.stringify({ ts: noticeAt, release: 'announced', startsAt, gates: 3, outflow: 6100, note: 'Lệnh số 12' }), { qos: 1 });
    await report(t0 + 4 * MIN);
    await waitFor('the announcement taken', () => app!.alarms.snapshot().open.some((a) => a.ruleId === 'flood-release'));
    await pub.endAsync(true);
    pub = undefined;
    await app.close();

    // A fresh process on the same data: the wall's snapshot has the announcement, the plant's last report as its values.
    app = await startTestApp({ province: 'son-la', dataDir: dir });
    sock = connectSocket(app.url);
    const { snapshot, deltas } = await subscribe(sock, 'wall');
    // The station's derived state is computed at the first tick after the warm start: the snapshot or a delta.
    const patch = await waitFor('the dam on the restarted wall', () =>
      [...(deltas as WallDelta[])]
        .reverse()
        .map((f) => f.devices.find((d) => d.i === damIndex && d.x))
        .concat([(snapshot as WallSnapshot).devices.find((d) => d.i === damIndex && d.x)])
        .find(Boolean),
    );
    expect(patch.x).toMatchObject({ kind: 'reservoir', release: 'announced', notice: { phase: 'announced', ts: noticeAt, startsAt, gates: 3, outflow: 6100, note: null } });
    expect(patch.v).toMatchObject({ waterLevel: 196.4, spillwayGatesOpen: 0 });
    expect(patch.ts).toBe(t0 + 4 * MIN);

    // The time machine: after the notice, announced; before it, nothing.
    const at = (t: number) => getJson<HistoricWallSnapshot>(`${app!.url}/api/history/snapshot?at=${new Date(t).toISOString()}`);
    const after = (await at(noticeAt + 30_000)).devices.find((d) => d.i === damIndex)!;
    expect(after.x).toMatchObject({ release: 'announced', notice: { phase: 'announced', startsAt } });
    expect(after.v).toMatchObject({ waterLevel: 196.4 });
    const before = (await at(noticeAt - 30_000)).devices.find((d) => d.i === damIndex)!;
    expect((before.x as ReservoirDerived).release).toBeNull();
  }, 30_000);
});
