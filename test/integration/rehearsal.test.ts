/**
 * Rehearsal (DIỄN TẬP): the flood scenario at 60× into a server on the scenario's clock (CLOCK=scenario).
 * What the wall reads must be what the same flood gives in real time: rates of rise and rain totals as
 * the signal models define them over the last simulated hour, alarms raised at simulated times, and the
 * frames saying they are a rehearsal. A live server refuses the rehearsal's simulated timestamps.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../server/app';
import { riseRateCmPerHour } from '../../server/domain/hydro/riverLevel';
import type { Alarm } from '../../shared/alarms';
import type { HealthResponse, WallSnapshot } from '../../shared/events';
import type { HydroDerived, RainDerived } from '../../shared/environment';
import type { Device } from '../../shared/devices';
import type { DeviceReadingsResponse } from '../../shared/requests';
import { createEngine, type Engine } from '../../simulators/fleet/engine';
import { startFleet, type Fleet, type FleetOptions } from '../../simulators/fleet/fleet';
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

const MIN = 60_000;
const HOUR = 60 * MIN;
const SPEED = 60;
/** Two hours into the flood: the upper gauges rise fast (the models give up to 3 m/h), the storm pours. */
const STORY_OFFSET = 2 * HOUR;
const rivers = (d: Device) => d.kind === 'river-gauge' || d.kind === 'rain-gauge';

type RawReadings = Extract<DeviceReadingsResponse, { bucket: 'raw' }>;

function fleetOptions(a: App): FleetOptions {
  return {
    mqttUrl: a.mqttUrl,
    credentials: a.gateway,
    registry: a.province.registry,
    scenario: 'flood',
    speed: SPEED,
    seed: 5,
    simStart: testSimStart(),
    storyOffsetMs: STORY_OFFSET,
    backfillHours: 2,
    rehearsal: true,
    include: rivers,
  };
}

/** The same seeded models, read directly: what the river and the rain do at a simulated time. */
function groundTruth(): Engine {
  return createEngine({ registry: app!.province.registry, seed: 5, realStart: 0, simStart: testSimStart(), storyOffsetMs: STORY_OFFSET, scenario: 'flood', backfillHours: 0, include: rivers });
}

/**
 * Simulated instants of a device's stored readings in [at − 1 h, at], once the store has written past `at`
 * (the store writes in arrival order, so a reading after `at` means every one before it is in).
 */
async function storedTimes(id: string, at: number): Promise<number[]> {
  const base = `${app!.url}/api/devices/${id}/readings?bucket=raw`;
  await waitFor(`${id} stored past the snapshot`, async () => {
    const later = await getJson<RawReadings>(`${base}&from=${at + 1}&to=${at + 30 * MIN}`);
    return later.points.length > 0 || undefined;
  }, 20_000);
  const r = await getJson<RawReadings>(`${base}&from=${at - HOUR}&to=${at + 1}`);
  return r.points.filter((p) => 'waterLevel' in p.values).map((p) => p.ts);
}

describe('a rehearsal at 60× on the scenario clock', () => {
  it('reads rates, rain totals and alarm times as the flood gives them in simulated time, and says DIỄN TẬP', async () => {
    app = await startTestApp({ clock: 'scenario' });
    const devices = app.province.registry.devices;
    fleet = await startFleet(fleetOptions(app));
    const simStart = fleet.engine.simStart;
    // Ten simulated minutes of live readings after the backfill (ten seconds).
    await waitFor('ten simulated minutes', () => fleet!.stats().simNow >= simStart + 10 * MIN, 30_000);
    sock = connectSocket(app.url);
    const snap = (await subscribe(sock, 'wall')).snapshot as WallSnapshot;

    // The frame runs on simulated time and says so.
    expect(snap.clock).toMatchObject({ mode: 'rehearsal', synced: true, speed: SPEED, scenario: 'flood' });
    expect(Math.abs(snap.at - fleet.stats().simNow)).toBeLessThan(2 * MIN);
    expect(Math.abs(snap.at - Date.now())).toBeGreaterThan(24 * HOUR);

    const truth = groundTruth();
    let riversChecked = 0;
    let rainChecked = 0;
    for (const s of truth.sims) {
      const i = devices.indexOf(s.device);
      const x = snap.devices[i]!.x;
      if (s.device.kind === 'river-gauge') {
        const hx = x as HydroDerived;
        // The server's rate over its last hour, against the model's level at the instants the server holds
        // readings for in that hour. Not a minute grid: the hour mixes 5-minute backfill with 1-minute live
        // reports, and a least-squares slope over a rising curve leans towards the denser end, by how many
        // live minutes made it in before the snapshot (more on a loaded machine).
        const held = await storedTimes(s.device.id, snap.at);
        expect(held.length, s.device.name).toBeGreaterThan(10);
        const series = held.map((ts) => ({ ts, level: (JSON.parse(truth.report(s, ts).messages[0]!.payload) as { waterLevel: number }).waterLevel }));
        const expected = riseRateCmPerHour(series, snap.at)!;
        expect(hx.rateCmH, s.device.name).not.toBeNull();
        expect(Math.abs(hx.rateCmH! - expected), `${s.device.name}: ${hx.rateCmH} vs ${expected.toFixed(1)} cm/h`).toBeLessThanOrEqual(Math.max(5, 0.12 * Math.abs(expected)));
        riversChecked++;
      } else {
        // Rain in the last simulated hour, from the model one minute at a time.
        truth.report(s, snap.at - HOUR);
        let mm = 0;
        for (let ts = snap.at - HOUR + MIN; ts <= snap.at; ts += MIN) mm += (JSON.parse(truth.report(s, ts).messages[0]!.payload) as { precipitation: number }).precipitation;
        const rx = x as RainDerived;
        // The oldest reading in the hour may cover up to one 5-minute backfill step before it.
        expect(Math.abs(rx.h1 - mm), `${s.device.name}: ${rx.h1} vs ${mm.toFixed(1)} mm`).toBeLessThanOrEqual(Math.max(1, 0.15 * mm));
        if (mm > 5) rainChecked++;
      }
    }
    expect(riversChecked).toBe(13);
    // The storm is over the upper basins at this point of the story.
    expect(rainChecked).toBeGreaterThan(3);

    // Rising fast (≥ 50 cm/h over the last hour) fires on the upper gauges, raised at simulated times.
    const page = await getJson<{ items: Alarm[] }>(`${app.url}/api/alarms?state=open&domain=hydro&limit=200`);
    const rising = page.items.filter((a) => a.ruleId === 'river-rising-fast');
    expect(rising.map((a) => a.source)).toEqual(expect.arrayContaining(['qng-hydro-0005', 'qng-hydro-0007', 'qng-hydro-0008']));
    for (const a of rising) {
      expect(a.raisedAt).toBeGreaterThanOrEqual(simStart - 3 * HOUR);
      expect(a.raisedAt).toBeLessThanOrEqual(snap.at);
    }
  }, 60_000);

  it('a live server refuses the rehearsal’s simulated timestamps and keeps its own clock', async () => {
    app = await startTestApp();
    fleet = await startFleet({ ...fleetOptions(app), include: (d) => d.kind === 'river-gauge' });
    const h = await waitFor('readings refused', async () => {
      const x = await getJson<HealthResponse & { clock: { mode: string } }>(`${app!.url}/api/health`);
      return x.ingest.rejected.staleTimestamp > 100 ? x : undefined;
    });
    expect(h.clock.mode).toBe('live');
    expect(h.ingest.accepted - h.ingest.history).toBeLessThan(20);
  }, 30_000);
});
