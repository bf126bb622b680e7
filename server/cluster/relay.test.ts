import { afterEach, describe, expect, it } from 'vitest';
import { topicFor } from '../../shared/mqtt';
import { makeAirPayload, makeRegistry } from '../../test/support/factories';
import { AlarmService } from '../alarms/service';
import { DeviceTable } from '../devices/deviceTable';
import { EnvironmentService } from '../domain/env/environment';
import { ForecastService } from '../domain/forecast/service';
import { TrafficService, tableLookup } from '../domain/traffic/trafficService';
import { RateMeter } from '../ingest/rateMeter';
import { LivePipeline } from '../pipeline';
import type { Reading } from '../store/readings/port';
import { RELAY_BUFFER_CAP, RelayBuffer, type RelayBatch } from './relay';

const T0 = Date.UTC(2026, 10, 22, 3, 0, 0);
const defaultDevices = makeRegistry({ air: 3, iot: 2 }).devices;
const devices = defaultDevices;
const closables: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of closables.splice(0)) await c.close();
});

/** The forecast service, telling which rain forecasts reached it. */
class RecordingForecasts extends ForecastService {
  readonly rainForecasts: [string, number, number, readonly number[]][] = [];
  override addRainForecast(id: string, issuedAt: number, stepMs: number, mm: readonly number[]): void {
    this.rainForecasts.push([id, issuedAt, stepMs, mm]);
    super.addRainForecast(id, issuedAt, stepMs, mm);
  }
}

function instance(sent: RelayBatch[], devices = defaultDevices, forecasts?: ForecastService) {
  const table = new DeviceTable(devices);
  const env = new EnvironmentService(devices);
  const alarms = new AlarmService({ store: { dbPath: ':memory:' }, now: () => T0 });
  closables.push(alarms);
  const stored: Reading[] = [];
  const rate = new RateMeter();
  const pipeline = new LivePipeline({
    devices,
    table,
    rate,
    env,
    traffic: new TrafficService([], devices, tableLookup(table)),
    alarms,
    now: () => T0,
    realNow: () => T0,
    trafficEveryTicks: 4,
    readings: { offer: (b) => (stored.push(...b), b.length) },
    relay: { publish: (b) => sent.push(b), registryVersion: 'v1' },
    ...(forecasts ? { forecasts } : {}),
  });
  return { table, env, pipeline, stored, rate };
}

describe('relay between instances', () => {
  it("applies what another instance took to this one's state, once, without storing it again", () => {
    const batches: RelayBatch[] = [];
    const a = instance(batches);
    const b = instance([]);
    const air = devices[0]!;
    a.pipeline.receive(topicFor('air', air.id, 'telemetry'), makeAirPayload({ ts: T0 - 1000, pm25: 80 }));
    a.pipeline.receive(topicFor('iot', devices[3]!.id, 'status'), Buffer.from(JSON.stringify({ online: false, ts: T0 - 500 })));
    a.pipeline.tick(T0);
    expect(a.stored).toHaveLength(1);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.r.map((r) => r[0])).toEqual([0, 1]);

    // The batch travels as JSON (the bus's encoding).
    b.pipeline.applyRelayed(JSON.parse(JSON.stringify(batches[0])));
    b.pipeline.applyRelayed(JSON.parse(JSON.stringify(batches[0]))); // delivered twice: the reading counts once
    b.pipeline.tick(T0);
    expect(b.table.lastSeen[0]).toBe(T0 - 1000);
    expect(b.table.values[0]).toMatchObject({ pm25: 80 });
    expect(b.table.online[3]).toBe(0);
    expect(b.env.historyOf(0)?.series('pm25', T0 - 60_000, T0)).toEqual([[T0 - 1000, 80]]);
    expect(b.stored).toEqual([]);
    expect(b.pipeline.ingest.relayed).toBe(3);
    expect(b.pipeline.ingest.accepted).toBe(0);
  });

  it('applies a relayed reservoir notice and camera event without sending them on (they would bounce for ever)', () => {
    const regs = makeRegistry({ reservoir: 1, camera: 1 }).devices;
    const batches: RelayBatch[] = [];
    const a = instance(batches, regs);
    const bSent: RelayBatch[] = [];
    const b = instance(bSent, regs);
    a.pipeline.receive(topicFor('reservoir', regs[0]!.id, 'event'), Buffer.from(JSON.stringify({ ts: T0 - 1000, release: 'announced', startsAt: T0 + 3_600_000, gates: 2 })));
    a.pipeline.receive(
      topicFor('camera', regs[1]!.id, 'event'),
      Buffer.from(JSON.stringify({ ts: T0 - 900, violation: 'redLight', plate: '76A-123.45', vehicleType: 'car' })),
    );
    a.pipeline.tick(T0);
    expect(batches[0]!.r.map((r) => r[0])).toEqual([3, 2]);

    b.pipeline.applyRelayed(JSON.parse(JSON.stringify(batches[0])));
    b.pipeline.tick(T0);
    const x = b.env.derived(0);
    expect(x?.kind === 'reservoir' && x.release).toBe('announced');
    expect(bSent).toEqual([]);
    expect(b.pipeline.ingest.relayed).toBe(2);
  });

  it("relays a rain gauge's rain forecast to the other instance's river forecasts, and not on from there", () => {
    const regs = makeRegistry({ rain: 1 }).devices;
    const basins = [{ gaugeId: 'a-river-gauge', upstream: [], rainGauges: [regs[0]!.id] }];
    const batches: RelayBatch[] = [];
    const aFc = new RecordingForecasts(basins, () => 0);
    const a = instance(batches, regs, aFc);
    const bSent: RelayBatch[] = [];
    const bFc = new RecordingForecasts(basins, () => 0);
    const b = instance(bSent, regs, bFc);
    const f = { ts: T0 - 1000, stepMin: 60, precipitation: [3, 8.5] };
    a.pipeline.receive(topicFor('rain', regs[0]!.id, 'forecast'), Buffer.from(JSON.stringify(f)));
    a.pipeline.tick(T0);
    expect(aFc.rainForecasts).toEqual([[regs[0]!.id, T0 - 1000, 3_600_000, [3, 8.5]]]);
    expect(a.stored).toEqual([]); // a forecast is not a reading
    expect(batches[0]!.r).toEqual([[4, 0, f]]);

    b.pipeline.applyRelayed(JSON.parse(JSON.stringify(batches[0])));
    b.pipeline.tick(T0);
    expect(bFc.rainForecasts).toEqual(aFc.rainForecasts);
    expect(bSent).toEqual([]);
    expect(b.pipeline.ingest.relayed).toBe(1);
  });

  it('refuses a batch of another registry version or with records that are not records, and counts it', () => {
    const b = instance([]);
    b.pipeline.applyRelayed({ v: 'v0', r: [[0, 0, T0, { pm25: 1 }]] });
    b.pipeline.applyRelayed({ v: 'v1', r: [[0, 99, T0, { pm25: 1 }]] });
    b.pipeline.applyRelayed({ v: 'v1', r: [['x']] });
    b.pipeline.applyRelayed(null);
    expect(b.pipeline.relayRefused).toBe(4);
    expect(b.pipeline.ingest.relayed).toBe(0);
    expect(b.table.lastSeen[0]).not.toBe(T0);
  });

  it('bounds what waits for the next tick and counts what it drops', () => {
    const buf = new RelayBuffer(3);
    for (let k = 0; k < 5; k++) buf.push([1, 0, 1, k]);
    expect(buf.size).toBe(3);
    expect(buf.dropped).toBe(2);
    expect(buf.take()).toHaveLength(3);
    expect(buf.size).toBe(0);
    expect(RELAY_BUFFER_CAP).toBeGreaterThan(10_000);
  });
});
