/**
 * `npm run sim -- --province quang-ngai --mqtt mqtt://127.0.0.1:1883 [--scenario flood] [--speed 60] …`
 *
 * Runs the province's device fleet against a broker, telling a scenario (simulators/scenarios/). On a
 * terminal it keeps one live status line (phase, rate, totals); in a pipe or a log it prints a plain line
 * every 5 s. Phases, river alarm crossings and the backfill's end are printed as they happen. Stops on
 * Ctrl-C, SIGTERM or after --duration, with a summary.
 */
import type { Device } from '../shared/devices';
import { startFleet, type Fleet } from './fleet/fleet';
import { USAGE, UsageError, formatStatus, formatSummary, loadRegistry, parseCliArgs, registryPathFor } from './fleet/cliOptions';
import { createStatusLine } from './progress';
import { loadCredentials } from './credentials';

/** If sockets or timers somehow linger after close, do not hang the terminal. */
const EXIT_GRACE_MS = 3000;

async function main(): Promise<number> {
  const opts = parseCliArgs(process.argv.slice(2), process.env);
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const ownRegistry = opts.registryPath === registryPathFor(opts.province);
  const registry = await loadRegistry(opts.registryPath, ownRegistry ? opts.province : undefined);
  if (registry.devices.length === 0) throw new Error(`the device registry ${opts.registryPath} has no devices`);
  const credentials = opts.credentialsPath ? await loadCredentials(opts.credentialsPath) : undefined;

  const started = Date.now();
  let fleet: Fleet | null = null;
  const status = createStatusLine(
    process.stdout,
    () => (fleet ? formatStatus(fleet.stats(), Date.now() - started, fleet.engine.simStart) : 'starting…'),
    { plainEveryMs: opts.statusEverySec * 1000 },
  );
  const speedNote = opts.speed === 1 ? '' : `, ${opts.speed}× simulated time`;
  status.print(`simulating ${registry.devices.length} devices of ${registry.province} → ${opts.mqttUrl}${speedNote}`);
  fleet = await startFleet({
    mqttUrl: opts.mqttUrl,
    credentials,
    registry,
    seed: opts.seed,
    speed: opts.speed,
    concurrency: opts.concurrency,
    scenario: opts.scenario,
    backfillHours: opts.backfillHours,
    backfillRate: opts.backfillRate,
    learnDays: opts.learnDays,
    rehearsal: opts.rehearsal,
    ...(opts.kinds ? { include: (d: Device) => opts.kinds!.includes(d.kind) } : {}),
    storyOffsetMs: opts.fromHours * 3_600_000,
    log: (line) => status.print(line),
  });

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (opts.durationSec !== undefined) setTimeout(stop, opts.durationSec * 1000);
  });
  // A second Ctrl-C while closing means "now".
  process.once('SIGINT', () => process.exit(130));
  status.stop();
  const elapsed = Date.now() - started;
  await fleet.close();
  process.stdout.write(`${formatSummary(fleet.stats(), elapsed)}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
  },
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${message}\n\n${USAGE}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`error: ${message}\n`);
      process.exitCode = 1;
    }
    setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
  },
);
