import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeviceTable } from '../devices/deviceTable';
import { RateMeter } from '../ingest/rateMeter';
import { RealtimeHub } from './hub';
import { LivePipeline } from '../pipeline';
import { EnvironmentService } from '../domain/env/environment';
import { TrafficService, tableLookup } from '../domain/traffic/trafficService';
import { AlarmService } from '../alarms/service';
import { AlarmHealthCache } from '../alarms/health';
import { makeAlarm } from '../alarms/alarm';
import type { AlarmRecords } from '../store/alarmRecords';
import { alarmStoreRecords } from '../store/alarmStoreRecords';
import type { PersonRole } from '../../shared/auth';
import type { Alarm } from '../../shared/alarms';
import { makeRegistry } from '../../test/support/factories';
import { connectSocket, subscribe, waitFor, type TestSocket } from '../../test/support/harness';
import type { ConsoleDelta, ConsoleSnapshot, WallDelta, WallSnapshot } from '../../shared/events';
import { unpackDevices } from '../../shared/packedDevices';
import { authOnlyApp, openTestIdentity } from '../security/testing';
import { userSession } from '../../test/support/session';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import type { DegradedDependency } from '../../shared/health';

const T0 = Date.UTC(2026, 10, 22, 3, 0, 0);
let http: Server | undefined;
let hub: RealtimeHub | undefined;
let sock: TestSocket | undefined;
const services: { close(): Promise<void> }[] = [];

afterEach(async () => {
  sock?.disconnect();
  await hub?.close();
  await new Promise<void>((r) => (http ? http.close(() => r()) : r()));
  http = hub = sock = undefined;
  for (const s of services.splice(0)) await s.close();
});

interface SetupOptions {
  /** The stored alarms the hub reads (default: the service's own store). */
  records?: Pick<AlarmRecords, 'get'>;
  role?: PersonRole;
  communes?: string[];
  degraded?: () => DegradedDependency[];
}

async function setup(o: SetupOptions = {}) {
  let now = T0;
  const devices = makeRegistry({ air: 3, iot: 2 }).devices;
  const table = new DeviceTable(devices);
  const env = new EnvironmentService(devices);
  const traffic = new TrafficService([], devices, tableLookup(table));
  const alarms = new AlarmService({ store: { dbPath: ':memory:' }, now: () => now });
  services.push(alarms);
  const alarmRecords = alarmStoreRecords(alarms.store);
  const rate = new RateMeter();
  const pipeline = new LivePipeline({ devices, table, rate, env, traffic, alarms, now: () => now, realNow: () => now, trafficEveryTicks: 4 });
  const { ingest } = pipeline;
  const identity = await openTestIdentity();
  services.push(identity);
  http = createServer(authOnlyApp(identity));
  const h = new RealtimeHub(http, { table, ingest, rate, env, traffic, alarms, registryVersion: 'v1', mqtt: () => ({ connected: true }), degraded: o.degraded ?? (() => []), clock: () => ({ mode: 'live' }) }, {
    mobileEveryTicks: 4,
    now: () => now,
    identity,
    communeOf: (i) => devices[i]!.commune,
    alarmRecords: o.records ?? alarmRecords,
    alarmHealth: new AlarmHealthCache(alarmRecords),
  });
  hub = h;
  // No timer: the test drives the ticks itself, as the app's timer does.
  const tick = () => h.publish(pipeline.tick(now));
  // The first tick of an hour refreshes every station's hourly index; get it out of the way.
  tick();
  await new Promise<void>((r) => http!.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const session = await userSession({ url, identity }, o.role ?? 'viewer', { communes: o.communes });
  sock = connectSocket(url, PROTOCOL_VERSION, { cookie: session.cookie });
  return { table, ingest, rate, tick, advance: (ms: number) => (now += ms), at: () => now };
}

describe('RealtimeHub coalescing', () => {
  it('folds many readings of a tick into one delta with one patch per device, the newest values', async () => {
    const { ingest, tick, at } = await setup();
    const { snapshot, deltas } = await subscribe(sock!, 'wall');
    for (let k = 0; k < 1000; k++) {
      ingest.handle('ioc/v1/air/t-air-0001/telemetry', Buffer.from(JSON.stringify({ ts: at() - 1000 + k, pm25: k })), at());
    }
    ingest.handle('ioc/v1/air/t-air-0002/telemetry', Buffer.from(JSON.stringify({ ts: at(), pm25: 7 })), at());
    tick();
    await waitFor('one delta', () => deltas.length === 1);
    const d = deltas[0] as WallDelta;
    expect(d.seq).toBe(snapshot.seq + 1);
    expect(d.devices.map(({ x: _x, ...rest }) => rest)).toEqual([
      { i: 0, on: 1, ts: at() - 1000 + 999, v: { pm25: 999 } },
      { i: 1, on: 1, ts: at(), v: { pm25: 7 } },
    ]);
    // The station's VN_AQI is computed once for the tick, from the hour's mean of the 1,000 readings.
    expect(d.devices[0]!.x).toMatchObject({ kind: 'air' });
    tick();
    await waitFor('an empty delta', () => deltas.length === 2);
    expect((deltas[1] as WallDelta).devices).toEqual([]);
    expect(deltas[1]!.seq).toBe(snapshot.seq + 2);
  });

  it('does not send bulk IoT values to the wall, only their state, packed in a binary attachment', async () => {
    const { ingest, tick, at } = await setup();
    const { deltas } = await subscribe(sock!, 'wall');
    ingest.handle('ioc/v1/iot/t-iot-0001/telemetry', Buffer.from(JSON.stringify({ ts: at(), values: { power: 90 } })), at());
    tick();
    await waitFor('delta', () => deltas.length === 1);
    const d = deltas[0] as WallDelta;
    expect(d.devices).toEqual([]);
    const packed = unpackDevices(d.packed!)!;
    expect({ n: packed.n, i: packed.i[0], on: packed.on[0], ts: packed.ts[0] }).toEqual({ n: 1, i: 3, on: 1, ts: at() });
  });

  it('sends a bulk device only when it goes offline or comes back, not for each reading', async () => {
    const { ingest, tick, at, advance } = await setup();
    const { deltas } = await subscribe(sock!, 'wall');
    const report = () => ingest.handle('ioc/v1/iot/t-iot-0001/telemetry', Buffer.from(JSON.stringify({ ts: at(), values: { power: 90 } })), at());
    report();
    tick();
    advance(1000);
    report();
    tick();
    ingest.handle('ioc/v1/iot/t-iot-0001/status', Buffer.from(JSON.stringify({ ts: at(), online: false })), at());
    tick();
    await waitFor('three deltas', () => deltas.length === 3);
    const packed = deltas.map((d) => (d as WallDelta).packed && unpackDevices((d as WallDelta).packed!));
    expect(packed.map((p) => (p ? [p.n, p.i[0], p.on[0]] : null))).toEqual([[1, 3, 1], null, [1, 3, 0]]);
  });

  it('marks a silent device offline on the tick after three missed reports', async () => {
    const { ingest, tick, at, advance } = await setup();
    ingest.handle('ioc/v1/air/t-air-0003/telemetry', Buffer.from(JSON.stringify({ ts: at(), pm25: 3 })), at());
    const { snapshot } = await subscribe(sock!, 'wall');
    expect((snapshot as WallSnapshot).devices[2]!.on).toBe(1);
    advance(180_000);
    const { deltas } = await subscribe(sock!, 'wall');
    tick();
    await waitFor('delta', () => deltas.length >= 1);
    expect((deltas[0] as WallDelta).devices).toContainEqual(expect.objectContaining({ i: 2, on: 0 }));
    expect((deltas[0] as WallDelta).counts.air.online).toBe(0);
  });

  it('sends the mobile view every Nth tick only', async () => {
    const { tick } = await setup();
    const { deltas } = await subscribe(sock!, 'mobile');
    for (let k = 0; k < 8; k++) tick();
    await waitFor('two mobile frames', () => deltas.length === 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(deltas).toHaveLength(2);
  });

  it('carries the dependencies that are down on every view’s frames, and nothing while all are fine', async () => {
    let down: DegradedDependency[] = [];
    const { tick } = await setup({ degraded: () => down });
    const wall = await subscribe(sock!, 'wall');
    expect(wall.snapshot).not.toHaveProperty('degraded');
    down = [{ name: 'redis', since: T0 - 2_000 }];
    tick();
    await waitFor('a wall delta', () => wall.deltas.length === 1);
    expect(wall.deltas[0]!.degraded).toEqual([{ name: 'redis', since: T0 - 2_000 }]);
    const mobile = await subscribe(sock!, 'mobile');
    expect(mobile.snapshot.degraded).toEqual([{ name: 'redis', since: T0 - 2_000 }]);
    down = [];
    tick();
    await waitFor('a second wall delta', () => wall.deltas.length === 2);
    expect(wall.deltas[1]).not.toHaveProperty('degraded');
  });
});

describe('RealtimeHub alarms', () => {
  it('answers a console snapshot with the alarm health; a delta carries health once computed, about every 5 s', async () => {
    const { tick, advance, at } = await setup();
    const { snapshot, deltas } = await subscribe(sock!, 'console');
    expect((snapshot as ConsoleSnapshot).health).toMatchObject({ at: at(), raisedTotal: 0, perHour: expect.any(Array) });
    const health = (k: number) => (deltas[k] as ConsoleDelta).health;
    // Asked for on the first tick, it rides on the next delta.
    tick();
    await waitFor('delta 1', () => deltas.length === 1);
    tick();
    await waitFor('delta 2', () => deltas.length === 2);
    expect([health(0), health(1)?.at]).toEqual([undefined, at()]);
    advance(6000);
    tick();
    await waitFor('delta 3', () => deltas.length === 3);
    tick();
    await waitFor('delta 4', () => deltas.length === 4);
    tick();
    await waitFor('delta 5', () => deltas.length === 5);
    expect([health(2), health(3)?.at, health(4)]).toEqual([undefined, at(), undefined]);
  });

  it('checks a commune-scoped action against the stored alarm when the engine no longer holds it; a failed read is answered UNAVAILABLE', async () => {
    const stored = (id: number, commune: string): Alarm =>
      makeAlarm({ id, kind: 'single', ruleId: 'r', source: `s${id}`, signal: 'x', domain: 'device', commune, title: 'Vượt', severity: 'warning', level: 0, value: 1, raisedAt: T0, lastSeen: T0, conditionSince: T0, runs: [T0], ackDeadline: null });
    const records: Pick<AlarmRecords, 'get'> = {
      get: async (id) => {
        if (id === 6) throw new Error('database down');
        return id === 5 ? stored(5, '51002') : id === 7 ? stored(7, '51001') : undefined;
      },
    };
    await setup({ records, role: 'operator', communes: ['51001'] });
    const ack = async (id: number) => {
      const r = await sock!.timeout(5000).emitWithAck('alarm:acknowledge', { id });
      return 'error' in r ? r.error.code : 'ok';
    };
    expect(await ack(5)).toBe('FORBIDDEN');
    expect(await ack(6)).toBe('UNAVAILABLE');
    // In scope: the engine answers (it holds no open alarm 7).
    expect(await ack(7)).toBe('NOT_FOUND');
    expect(await ack(8)).toBe('FORBIDDEN');
  });
});
