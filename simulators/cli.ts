/**
 * `npm run sim -- --province quang-ngai --mqtt mqtt://127.0.0.1:1883 [--seed N] [--speed N] [--duration SEC]`
 *
 * Runs the province's device fleet against a broker. On a terminal it keeps one live status line;
 * in a pipe or a log it prints a plain line every 5 s. Stops on Ctrl-C, SIGTERM or after --duration.
 */
import { startFleet, type Fleet } from './fleet/fleet';
import {
  USAGE,
  UsageError,
  formatStatus,
  formatSummary,
  loadRegistry,
  parseCliArgs,
  registryPathFor,
} from './fleet/cliOptions';

const TTY_REFRESH_MS = 500;
const PLAIN_EVERY_MS = 5000;
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

  const tty = process.stdout.isTTY === true;
  let statusShown = false;
  const clearStatus = () => {
    if (tty && statusShown) process.stdout.write('\r\x1b[2K');
    statusShown = false;
  };
  const print = (line: string) => {
    clearStatus();
    process.stdout.write(`${line}\n`);
  };

  const speedNote = opts.speed === 1 ? '' : `, ${opts.speed}× simulated time`;
  print(`simulating ${registry.devices.length} devices of ${registry.province} → ${opts.mqttUrl}${speedNote}`);
  const started = Date.now();
  const fleet: Fleet = await startFleet({
    mqttUrl: opts.mqttUrl,
    registry,
    seed: opts.seed,
    speed: opts.speed,
    concurrency: opts.concurrency,
    log: print,
  });

  const showStatus = () => {
    const line = formatStatus(fleet.stats(), Date.now() - started);
    if (tty) {
      process.stdout.write(`\r\x1b[2K${line}`);
      statusShown = true;
    } else {
      process.stdout.write(`${line}\n`);
    }
  };
  const statusTimer = setInterval(showStatus, tty ? TTY_REFRESH_MS : PLAIN_EVERY_MS);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (opts.durationSec !== undefined) setTimeout(stop, opts.durationSec * 1000);
  });
  // A second Ctrl-C while closing means "now".
  process.once('SIGINT', () => process.exit(130));
  clearInterval(statusTimer);
  clearStatus();
  const elapsed = Date.now() - started;
  await fleet.close();
  print(formatSummary(fleet.stats(), elapsed));
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
