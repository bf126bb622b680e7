/**
 * The faults scenario against the real server: it keeps running, good devices keep updating, and every
 * fault shows up where it should: garbage and clock skew under their reject reason in /api/health, a
 * drop-out as an offline device that comes back, a stuck sensor as frozen values, a drifting one as a
 * false exceedance, duplicates without double counting.
 */
import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../server/app';
import type { DevicePatch, HealthResponse, WallDelta } from '../../shared/events';
import type { RainDerived, WaterDerived } from '../../shared/environment';
import type { Device, DeviceKind } from '../../shared/devices';
import { startFleet, type Fleet } from '../../simulators/fleet/fleet';
import { FAULT_REJECT_REASON, chooseTargets } from '../../simulators/scenarios/faults';
import { FAULT_KINDS } from '../../simulators/scenarios/types';
import { connectMqtt, connectSocket, getJson, startTestApp, subscribe, waitFor, type TestSocket } from '../support/harness';
import { testSimStart } from '../support/simStart';

let app: App | undefined;
let fleet: Fleet | undefined;
let spy: MqttClient | undefined;
let sock: TestSocket | undefined;

afterEach(async () => {
  sock?.disconnect();
  await fleet?.close();
  await spy?.endAsync(true);
  await app?.close();
  app = fleet = spy = sock = undefined;
});

/** The first n devices of a kind, in id order (the order the scenario picks its targets in). */
function firstOf(devices: readonly Device[], kind: DeviceKind, n: number): Device[] {
  return devices.filter((d) => d.kind === kind).sort((a, b) => a.id.localeCompare(b.id)).slice(0, n);
}

function patchesOf(deltas: WallDelta[], i: number): DevicePatch[] {
  return deltas.flatMap((d) => d.devices.filter((p) => p.i === i));
}

describe('the faults scenario against the real server', () => {
  it('counts every fault under its reason or effect, and the server keeps serving good data', async () => {
    app = await startTestApp();
    const devices = app.province.registry.devices;
    const chosen = [
      ...firstOf(devices, 'air-station', 4),
      ...firstOf(devices, 'wastewater-station', 2),
      ...firstOf(devices, 'river-gauge', 2),
      ...firstOf(devices, 'rain-gauge', 4),
      ...firstOf(devices, 'traffic-camera', 2),
    ];
    const ids = new Set(chosen.map((d) => d.id));
    const targets = chooseTargets(chosen);
    const index = (id: string) => devices.findIndex((d) => d.id === id);
    const good = firstOf(devices, 'air-station', 4)[3]!;

    // What actually went over the wire, to check the server's rain totals against.
    spy = await connectMqtt(app.mqttUrl, { clientId: 'faults-spy' });
    const rainPayloads: string[] = [];
    spy.on('message', (topic, payload) => {
      if (topic === `ioc/v1/rain/${targets.duplicate}/telemetry`) rainPayloads.push(payload.toString());
    });
    await spy.subscribeAsync('ioc/v1/rain/+/telemetry', { qos: 1 });
    sock = connectSocket(app.url);
    const wall = await subscribe(sock, 'wall');
    const deltas = wall.deltas as WallDelta[];

    fleet = await startFleet({ mqttUrl: app.mqttUrl, credentials: app.gateway, registry: app.province.registry, include: (d) => ids.has(d.id), scenario: 'faults', speed: 120, backfillHours: 1, seed: 3, simStart: testSimStart() });
    await waitFor('the recovery phase', () => fleet!.stats().phase.name.startsWith('recovery'), 25_000);
    const recoveredAt = Date.now();
    // Good devices still update after every fault has been thrown at the server, and the dropped-out one is back.
    await waitFor('fresh readings from a good station', () => patchesOf(deltas, index(good.id)).some((p) => p.ts > recoveredAt), 10_000);
    await waitFor('the dropped-out device back online', () => patchesOf(deltas, index(targets.dropout!)).at(-1)?.on === 1, 10_000);
    await fleet.close();
    const sent = fleet.stats().faults;
    fleet = undefined;

    // Each rejected fault under its reason, exactly as many as the fleet sent (all QoS 1, none lost).
    const expected = new Map<string, number>();
    for (const kind of FAULT_KINDS) {
      const reason = FAULT_REJECT_REASON[kind];
      if (reason) expected.set(reason, (expected.get(reason) ?? 0) + (sent[kind] ?? 0));
    }
    const health = await waitFor('the rejects counted', async () => {
      const h = await getJson<HealthResponse>(`${app!.url}/api/health`);
      return [...expected].every(([reason, n]) => h.ingest.rejected[reason as keyof typeof h.ingest.rejected] === n) ? h : undefined;
    });
    for (const [reason, n] of expected) expect(n, reason).toBeGreaterThan(0);
    expect(health.status).toBe('ok');
    expect(health.ingest.history).toBeGreaterThan(0);
    expect(health.ingest.rejected.badTopic).toBe(0);

    // Drop-out: its last will took it offline at once, then it came back.
    const drop = patchesOf(deltas, index(targets.dropout!)).map((p) => p.on);
    expect(drop.indexOf(0)).toBeGreaterThan(-1);
    expect(drop.lastIndexOf(1)).toBeGreaterThan(drop.indexOf(0));
    expect(sent.dropout).toBeGreaterThan(0);

    // Stuck: three readings or more in a row with the very same values and later timestamps.
    const stuck = patchesOf(deltas, index(targets.stuck!)).filter((p) => p.v);
    let run = 1;
    let longest = 1;
    for (let k = 1; k < stuck.length; k++) {
      run = JSON.stringify(stuck[k]!.v) === JSON.stringify(stuck[k - 1]!.v) && stuck[k]!.ts > stuck[k - 1]!.ts ? run + 1 : 1;
      longest = Math.max(longest, run);
    }
    expect(longest).toBeGreaterThanOrEqual(3);

    // Drift: the drifting station reads as exceeding its limit; the healthy one never does.
    const waterStatus = (id: string) => patchesOf(deltas, index(id)).map((p) => (p.x as WaterDerived | undefined)?.status);
    expect(waterStatus(targets.drift!)).toContain('exceeding');
    expect(waterStatus(targets.oversize!)).not.toContain('exceeding');

    // Duplicates: sent twice, dropped at ingest under their own reason, counted once in the rain totals.
    expect(sent.duplicate).toBeGreaterThan(0);
    expect(health.ingest.rejected.duplicate).toBeGreaterThan(0);
    expect(rainPayloads.length).toBeGreaterThan(new Set(rainPayloads).size);
    const unique = [...new Set(rainPayloads)].reduce((s, p) => s + (JSON.parse(p) as { precipitation: number }).precipitation, 0);
    const rain = patchesOf(deltas, index(targets.duplicate!)).map((p) => p.x as RainDerived | undefined).filter(Boolean).at(-1)!;
    expect(rain.h24).toBeCloseTo(Math.round(unique * 10) / 10, 1);
  }, 60_000);
});
