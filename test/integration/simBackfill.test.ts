/** The fleet's start-up backfill into the real server: every environmental index is valid at once. */
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../server/app';
import type { HealthResponse, WallSnapshot } from '../../shared/events';
import type { AirDerived, HydroDerived, RainDerived, WaterDerived } from '../../shared/environment';
import type { Device, DeviceKind } from '../../shared/devices';
import { startFleet, type Fleet } from '../../simulators/fleet/fleet';
import { connectSocket, getJson, startTestApp, subscribe, waitFor, type TestSocket } from '../support/harness';
import { testSimStart } from '../support/simStart';

let app: App | undefined;
let fleet: Fleet | undefined;
let sock: TestSocket | undefined;

afterEach(async () => {
  sock?.disconnect();
  await fleet?.close();
  await app?.close();
  app = fleet = sock = undefined;
});

const KINDS: DeviceKind[] = ['air-station', 'wastewater-station', 'river-gauge', 'rain-gauge'];

describe('backfill into the server', () => {
  it('gives every station its hourly and daily indices, rain totals and river rate as soon as it is sent', async () => {
    app = await startTestApp();
    const devices = app.province.registry.devices;
    const chosen: Device[] = KINDS.flatMap((k) => devices.filter((d) => d.kind === k).slice(0, 3));
    const ids = new Set(chosen.map((d) => d.id));
    fleet = await startFleet({ mqttUrl: app.mqttUrl, credentials: app.gateway, registry: app.province.registry, include: (d) => ids.has(d.id), backfillHours: 24, speed: 60, seed: 4, simStart: testSimStart() });
    const bf = await fleet.backfilled();
    // 24 h every 5 min (288), wastewater every 3 min (480: the server breaks exceedance runs on longer gaps).
    expect(bf).toMatchObject({ devices: 12, done: 12, total: 9 * 288 + 3 * 480, sent: 9 * 288 + 3 * 480 });
    const h = await waitFor('history ingested', async () => {
      const x = await getJson<HealthResponse>(`${app!.url}/api/health`);
      return x.ingest.history + x.ingest.accepted >= bf.sent ? x : undefined;
    });
    expect(h.ingest.history).toBeGreaterThan(bf.sent - 12 * 2);
    expect(Object.values(h.ingest.rejected).every((n) => n === 0)).toBe(true);

    sock = connectSocket(app.url);
    const snap = (await subscribe(sock, 'wall')).snapshot as WallSnapshot;
    for (const d of chosen) {
      const x = snap.devices[devices.indexOf(d)]!.x;
      expect(x, d.id).toBeDefined();
      switch (d.kind) {
        case 'air-station':
          expect((x as AirDerived).aqi, d.id).not.toBeNull();
          expect((x as AirDerived).dailyAqi, d.id).not.toBeNull();
          break;
        case 'wastewater-station':
          expect((x as WaterDerived).status, d.id).not.toBeNull();
          break;
        case 'river-gauge':
          expect((x as HydroDerived).level, d.id).not.toBeNull();
          expect((x as HydroDerived).rateCmH, d.id).not.toBeNull();
          break;
        case 'rain-gauge':
          expect((x as RainDerived).h24, d.id).toBeGreaterThanOrEqual((x as RainDerived).h1);
          break;
      }
    }
    // Then live: a live reading after the backfill is accepted as live, not refused as older than the newest.
    const accepted = h.ingest.accepted;
    await waitFor('live readings', async () => (await getJson<HealthResponse>(`${app!.url}/api/health`)).ingest.accepted > accepted + 24, 15_000);
  }, 30_000);
});
