/**
 * A rehearsal's server runs on the machine's clock until the scenario's first clock message. Signals stamped
 * with that time would make every later signal of a scenario set in the past "late" to its rule, so none of
 * its alarms would rise: before the clock is set, the pipeline sends the alarms nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { topicFor } from '../shared/mqtt';
import { SIM_CLOCK_TOPIC } from '../shared/simClock';
import { makeRegistry } from '../test/support/factories';
import { AlarmService } from './alarms/service';
import { RehearsalClock } from './clock';
import { DeviceTable } from './devices/deviceTable';
import { EnvironmentService } from './domain/env/environment';
import { TrafficService, tableLookup } from './domain/traffic/trafficService';
import { RateMeter } from './ingest/rateMeter';
import { LivePipeline } from './pipeline';

const REAL = Date.UTC(2026, 11, 6, 3, 0, 0);
/** The scenario's time: nine months before the machine's. */
const SIM = Date.UTC(2026, 2, 10, 3, 0, 0);
const closables: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of closables.splice(0)) await c.close();
});

describe('a rehearsal before its clock is set', () => {
  it('sends the alarms no signal, so a scenario set in the past still raises its alarms', () => {
    const devices = makeRegistry({ reservoir: 1 }).devices;
    const clock = new RehearsalClock(() => REAL);
    const alarms = new AlarmService({ store: { dbPath: ':memory:' }, now: () => clock.now() });
    closables.push(alarms);
    const table = new DeviceTable(devices);
    const pipeline = new LivePipeline({
      devices,
      table,
      rate: new RateMeter(),
      env: new EnvironmentService(devices),
      traffic: new TrafficService([], devices, tableLookup(table)),
      alarms,
      now: () => clock.now(),
      realNow: () => REAL,
      rehearsal: clock,
      trafficEveryTicks: 4,
    });
    const dam = devices[0]!.id;
    // A report on the machine's clock (a fleet that started before its clock): state, but no signal.
    pipeline.receive(topicFor('reservoir', dam, 'telemetry'), Buffer.from(JSON.stringify({ ts: REAL - 1000, waterLevel: 196, spillwayGatesOpen: 0 })));
    pipeline.tick(REAL);
    expect(alarms.engine.stats().trackers).toBe(0);

    pipeline.receive(SIM_CLOCK_TOPIC, Buffer.from(JSON.stringify({ simTime: SIM, speed: 60 })));
    pipeline.receive(topicFor('reservoir', dam, 'telemetry'), Buffer.from(JSON.stringify({ ts: SIM, waterLevel: 196, spillwayGatesOpen: 2 })));
    pipeline.tick(clock.now());
    const open = alarms.snapshot().open.filter((a) => a.ruleId === 'flood-release');
    expect(open.map((a) => [a.commune, a.severity])).toEqual([
      ['21100', 'critical'],
      ['21103', 'critical'],
    ]);
  });
});

describe("a rehearsal's learning period", () => {
  function rehearsalPipeline(rehearsal: boolean) {
    const devices = makeRegistry({ air: 1 }).devices;
    const clock = new RehearsalClock(() => REAL);
    const alarms = new AlarmService({ store: { dbPath: ':memory:' }, now: () => clock.now() });
    closables.push(alarms);
    const table = new DeviceTable(devices);
    const env = new EnvironmentService(devices);
    const pipeline = new LivePipeline({
      devices,
      table,
      rate: new RateMeter(),
      env,
      traffic: new TrafficService([], devices, tableLookup(table)),
      alarms,
      now: () => clock.now(),
      realNow: () => REAL,
      ...(rehearsal ? { rehearsal: clock } : {}),
      trafficEveryTicks: 4,
      readings: { offer: () => 0 } as never,
    });
    const station = devices[0]!.id;
    const send = (ts: number) => pipeline.ingest.handle(topicFor('air', station, 'telemetry'), Buffer.from(JSON.stringify({ ts, pm25: 21.5, pm10: 40 })), clock.now());
    return { clock, pipeline, env, send };
  }

  it('takes readings up to 31 days old for the store only, where a live server refuses them after 48 hours', () => {
    const r = rehearsalPipeline(true);
    r.pipeline.receive(SIM_CLOCK_TOPIC, Buffer.from(JSON.stringify({ simTime: SIM, speed: 60, backfilling: true })));
    r.env.flush(r.clock.now(), () => undefined);
    expect(r.send(SIM - 10 * 24 * 3_600_000)).toBeNull();
    expect(r.pipeline.learningReadings).toBe(1);
    expect(r.pipeline.tickReadings.size).toBe(1);
    // Not in the stations' memory: the station did not change.
    const changed: number[] = [];
    r.env.flush(r.clock.now(), (i) => changed.push(i));
    expect(changed).toEqual([]);
    expect(r.send(SIM - 32 * 24 * 3_600_000)).toBe('staleTimestamp');
    // Within 48 h it is an ordinary backfilled reading, into the memory too.
    expect(r.send(SIM - 3_600_000)).toBeNull();
    expect(r.pipeline.learningReadings).toBe(1);
    r.env.flush(r.clock.now(), (i) => changed.push(i));
    expect(changed).toEqual([0]);

    const live = rehearsalPipeline(false);
    expect(live.send(REAL - 10 * 24 * 3_600_000)).toBe('staleTimestamp');
  });

  it('says once when the fleet has sent all its history, after the fleet said it was sending', () => {
    const clock = new RehearsalClock(() => REAL);
    let said = 0;
    clock.onHistorySent = () => said++;
    const tell = (o: object) => clock.update(Buffer.from(JSON.stringify({ simTime: SIM, speed: 60, ...o })));
    tell({});
    tell({ backfilling: false });
    expect(said).toBe(0); // never said it was sending: nothing to learn
    tell({ backfilling: true });
    tell({ backfilling: true });
    expect(said).toBe(0);
    tell({ backfilling: false });
    tell({ backfilling: false });
    expect(said).toBe(1);
    // A second fleet's history (a rehearsal restarted against the same server).
    tell({ backfilling: true });
    tell({ backfilling: false });
    expect(said).toBe(2);
  });
});
