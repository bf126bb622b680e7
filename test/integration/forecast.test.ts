import { afterEach, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { App } from '../../server/app';
import type { WallDelta, WallSnapshot } from '../../shared/events';
import { topicFor } from '../../shared/mqtt';
import { connectMqtt, connectSocket, startTestApp, subscribe, waitFor, type TestSocket } from '../support/harness';

const MIN = 60_000;
const HOUR = 60 * MIN;

let app: App | undefined;
let pub: MqttClient | undefined;
const sockets: TestSocket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await pub?.endAsync(true);
  await app?.close();
  app = undefined;
  pub = undefined;
});

describe('river forecasts over the socket', () => {
  it("a gauge with 4 hours of levels gets a forecast on the wall's delta, and a new wall's snapshot has it", async () => {
    let clock = Date.UTC(2026, 10, 23, 2, 0, 0);
    app = await startTestApp({ tickMs: 600_000 }, { now: () => clock });
    pub = await connectMqtt(app.mqttUrl, { clientId: 'forecast-river' });
    const devices = app.province.registry.devices;
    const gauge = app.province.basins[0]!;
    const i = devices.findIndex((d) => d.id === gauge.gaugeId);
    expect(i).toBeGreaterThanOrEqual(0);
    const s1 = connectSocket(app.url);
    sockets.push(s1);
    const wall = await subscribe(s1, 'wall');
    expect((wall.snapshot as WallSnapshot).forecasts).toEqual([]);

    // Four hours of a river rising 10 cm/h, one reading every 5 minutes, stamped up to the clock.
    const start = clock - 4 * HOUR;
    for (let ts = start; ts <= clock; ts += 5 * MIN) {
      pub.publish(topicFor('hydro', gauge.gaugeId, 'telemetry'), JSON.stringify({ ts, waterLevel: 2 + (0.1 * (ts - start)) / HOUR }), { qos: 0 });
    }
    await pub.publishAsync('ioc/v1/flush', '{}', { qos: 1 });
    await waitFor('ingested', () => app!.table.lastSeen[i] === clock);
    // Forecasts are issued at most every 10 minutes of clock time, and a tick may have issued (nothing) already.
    clock += 10 * MIN;
    app.tick();

    const f = await waitFor('a forecast on the wall', () => {
      for (const d of wall.deltas as WallDelta[]) {
        const hit = d.forecasts?.find((x) => x.i === i);
        if (hit) return hit;
      }
      return undefined;
    });
    expect(f.issuedAt).toBe(clock);
    expect(f.level).toBe(2.4);
    expect(f.leads.map((l) => l.h)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(f.leads.map((l) => l.at)).toEqual([1, 2, 3, 4, 5, 6].map((h) => clock + h * HOUR));
    // A new model: every lead still learning, no interval, nothing verified yet.
    expect(f.leads.every((l) => l.warmingUp === true && l.low === undefined && Number.isFinite(l.level))).toBe(true);
    expect(f.skill).toEqual([1, 2, 3, 4, 5, 6].map((h) => ({ h, mae: null, n: 0 })));

    const s2 = connectSocket(app.url);
    sockets.push(s2);
    const later = await subscribe(s2, 'wall');
    const snap = (later.snapshot as WallSnapshot).forecasts ?? [];
    expect(snap.map((x) => x.i)).toEqual([i]);
    expect(snap[0]).toEqual(f);
  });
});
