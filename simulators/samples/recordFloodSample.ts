/**
 * Regenerates the shipped flood sample: `npx tsx simulators/samples/recordFloodSample.ts`.
 *
 * Runs the flood scenario for a few Quảng Ngãi gauges against an in-process broker at 1200× (a simulated
 * hour in three seconds) and records it with the ordinary recorder, from the calm before the storm until
 * the lower rivers have crossed BĐ III and begun to fall. Without backfill, to keep it small.
 */
import { rm } from 'node:fs/promises';
import { registrySchema } from '../../shared/devices';
import { loadRegistry, registryPathFor } from '../fleet/cliOptions';
import { startFleet } from '../fleet/fleet';
import { startTestBroker } from '../fleet/testBroker';
import { formatBytes } from '../progress';
import { startRecorder } from '../record/recorder';
import { recordingParts } from '../record/reader';
import { FLOOD_SAMPLE, FLOOD_SAMPLE_DEVICES } from './floodSample';

const SPEED = 1200;
const SIM_HOURS = 10.5;
/** A report every 4 simulated minutes: at 1200× the fleet's 200 ms tick spans 4 minutes anyway. */
const INTERVAL_SEC = 240;

async function main(): Promise<void> {
  const registry = await loadRegistry(registryPathFor('quang-ngai'), 'quang-ngai');
  const ids = new Set<string>(FLOOD_SAMPLE_DEVICES);
  const sampleRegistry = registrySchema.parse({
    ...registry,
    devices: registry.devices.filter((d) => ids.has(d.id)).map((d) => ({ ...d, reportIntervalSec: INTERVAL_SEC })),
  });
  for (const p of recordingParts(FLOOD_SAMPLE)) await rm(p);
  const broker = await startTestBroker();
  const recorder = await startRecorder({ mqttUrl: broker.url, out: FLOOD_SAMPLE, maxBytes: 64 * 1024 * 1024, log: (l) => console.log(l) });
  const fleet = await startFleet({ mqttUrl: broker.url, registry: sampleRegistry, scenario: 'flood', speed: SPEED, backfillHours: 0, log: (l) => console.log(l) });
  await new Promise((r) => setTimeout(r, (SIM_HOURS * 3_600_000) / SPEED));
  await fleet.close();
  await new Promise((r) => setTimeout(r, 500));
  const s = await recorder.close();
  await broker.close();
  console.log(`${s.messages} messages, ${formatBytes(s.bytes)} → ${FLOOD_SAMPLE}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
