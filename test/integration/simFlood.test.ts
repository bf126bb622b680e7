/**
 * The shipped flood sample, replayed into the real server, takes the lower Trà Khúc to BĐ III on the wall, and
 * its commune to flood risk level 2 (QĐ 18/2021/QĐ-TTg, Điều 45) with the alarm for it.
 */
import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../server/app';
import { isAlarmRepeat } from '../../shared/alarmWire';
import type { CommuneRisk } from '../../shared/communeRisk';
import type { WallDelta } from '../../shared/events';
import type { HydroDerived, RainDerived } from '../../shared/environment';
import { readRecording } from '../../simulators/record/reader';
import { createReplay, mqttTarget } from '../../simulators/record/replayer';
import { FLOOD_SAMPLE } from '../../simulators/samples/floodSample';
import { connectMqtt, connectSocket, startTestApp, subscribe, waitFor, type TestSocket } from '../support/harness';

let app: App | undefined;
let pub: MqttClient | undefined;
let sock: TestSocket | undefined;

afterEach(async () => {
  sock?.disconnect();
  await pub?.endAsync(true);
  await app?.close();
  app = pub = sock = undefined;
});

describe('the flood sample replayed into the server', () => {
  it('shows rain first, then Trà Khúc rising through BĐ I, II and III, and its commune at flood risk level 2', async () => {
    app = await startTestApp();
    const devices = app.province.registry.devices;
    const trakhuc = devices.findIndex((d) => d.id === 'qng-hydro-0001');
    const rainGauges = new Set(devices.flatMap((d, i) => (d.kind === 'rain-gauge' ? [i] : [])));
    sock = connectSocket(app.url);
    const deltas = (await subscribe(sock, 'wall')).deltas as WallDelta[];
    pub = await connectMqtt(app.mqttUrl, { clientId: 'flood-replayer' });

    // Recorded at 1200×: about 32 s of recording, here in about 3 s, timestamps moved to now.
    const replay = createReplay({ source: () => readRecording(FLOOD_SAMPLE), target: mqttTarget(pub), speed: 10, retime: true });
    const hydro = (d: WallDelta) => d.devices.filter((p) => p.i === trakhuc && p.x).map((p) => (p.x as HydroDerived).stage);
    await waitFor('Trà Khúc at BĐ III', () => deltas.some((d) => hydro(d).includes(3)), 20_000);
    // The stages Trà Khúc went through, in delta order, without repeats.
    const stages = deltas.flatMap(hydro).filter((s, k, all) => k === 0 || all[k - 1] !== s);
    const firstStage1 = deltas.findIndex((d) => hydro(d).some((s) => s >= 1));
    const firstHeavyRain = deltas.findIndex((d) => d.devices.some((p) => rainGauges.has(p.i) && p.x && (p.x as RainDerived).h1 >= 10));
    const done = await replay.done;
    expect(done.errors).toBe(0);
    expect(stages.slice(0, 4)).toEqual([0, 1, 2, 3]);
    expect(firstHeavyRain).toBeGreaterThanOrEqual(0);
    expect(firstHeavyRain).toBeLessThan(firstStage1);
    expect(app.ingest.rejectedTotal).toBe(0);

    // Khu vực 2 (the stand-in for Quảng Ngãi): cấp 2 from BĐ III (2c), or earlier by 2d once a second basin's gauge
    // is in flood too, then cấp 3 (3c, 3d) as the rivers go on rising; the replay is fast, so the next recompute
    // (every 10 ticks) may find any of them. The clause arithmetic is unit-tested (shared/floodRisk.test.ts).
    const commune = devices[trakhuc]!.commune;
    const risk = (d: WallDelta): CommuneRisk | undefined => d.risk?.find((c) => c.code === commune && c.flood >= 2);
    await waitFor('flood risk level 2 at Trà Khúc', () => deltas.some(risk), 15_000);
    const first = deltas.map(risk).find(Boolean)!;
    expect(['2c', '2d', '3c', '3d']).toContain(first.floodClause);
    expect(first.floodClause!.charAt(0)).toBe(String(first.flood));
    expect(first.floodStation).not.toBeNull();
    expect(first.level).toBeGreaterThanOrEqual(first.flood);
    await waitFor('the flood-risk alarm', () => deltas.some((d) => d.alarms?.changes.some((c) => !isAlarmRepeat(c) && c.alarm.ruleId === 'flood-risk' && c.alarm.commune === commune)), 5_000);
  }, 60_000);
});
