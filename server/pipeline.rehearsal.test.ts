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
