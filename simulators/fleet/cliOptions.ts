/** Argument parsing, registry loading and output formatting for `npm run sim` (simulators/cli.ts). */
import { DEVICE_KINDS, type DeviceKind } from '../../shared/devices';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { registrySchema, type Registry } from '../../shared/devices';
import { DEFAULT_PROVINCE, type ProvinceSlug } from '../../shared/provinces';
import { PROVINCES, isProvinceSlug } from '../registry/catalog';
import { formatDuration, formatInt } from '../progress';
import { SCENARIO_NAMES, SCENARIO_SUMMARIES, isScenarioName, type ScenarioName } from '../scenarios';
import { DEFAULT_BACKFILL_HOURS, formatOffset } from './engine';
import { DEFAULT_BACKFILL_RATE, checkMqttUrl, type FleetStats } from './fleet';

export { formatDuration } from '../progress';

export const USAGE = `Usage: npm run sim -- [options]

  --province <slug>      province whose device registry to run (${Object.keys(PROVINCES).join(', ')}; default ${DEFAULT_PROVINCE})
  --mqtt <url>           broker URL (default $MQTT_URL or mqtt://127.0.0.1:1883)
  --scenario <name>      the story to play (default normal-day):
${SCENARIO_NAMES.map((n) => `                           ${n.padEnd(16)} ${SCENARIO_SUMMARIES[n]}`).join('\n')}
  --seed <int>           seed of the signal models (default: the registry's seed)
  --speed <x>            simulated time runs x times faster (default 1); payload timestamps stay wall-clock
                         time unless --rehearsal
  --backfill-hours <h>   hours of history the environmental stations send first (0..47, default ${DEFAULT_BACKFILL_HOURS}, 47 for flash-flood; 0: none)
  --backfill-rate <n>    backfill messages per second, all devices together (default ${DEFAULT_BACKFILL_RATE})
  --learn-days <d>       with --rehearsal: days of river and rain history (a rainy season's) the river and rain
                         gauges send once live, up to 48 h before the start, for the server's river forecasts
                         to learn from (0..30; default 14 for flood, else 0)
  --duration <sec>       stop after this many seconds (default: run until Ctrl-C)
  --concurrency <n>      connection handshakes in progress at once (default 64)
  --registry <file>      a registry file instead of shared/provinces/<slug>/devices.json
  --credentials <file>   log in with this JSON file: {"username","password"} for every connection (a running
                         server's DATA_DIR/mqtt-gateway.json), or a list of them, one per device id
  --from <h>             start this many simulated hours into the scenario's story (default 0)
  --rehearsal            a rehearsal (DIỄN TẬP): payloads carry simulated time and the fleet publishes its clock
                         on ioc/v1/sim/clock, for a server started with CLOCK=scenario
  --kinds <k,…>          run only these device kinds (${DEVICE_KINDS.join(', ')}; default all): a
                         scenario of days (dry-season) at --speed 3600 needs only the stations it reads
  --status-every <sec>   in a pipe or a log, a status line this often (default 5)
  -h, --help             show this help`;

/** A mistake in the command line: shown with the usage, exit code 2. */
export class UsageError extends Error {}

export interface CliOptions {
  help: boolean;
  province: ProvinceSlug;
  mqttUrl: string;
  scenario: ScenarioName;
  seed?: number;
  speed: number;
  backfillHours: number | undefined;
  backfillRate: number;
  /** Absent: the scenario's (flood: 14 in a rehearsal). */
  learnDays: number | undefined;
  durationSec?: number;
  concurrency: number;
  registryPath: string;
  /** Only these device kinds (absent: all). */
  kinds?: readonly DeviceKind[];
  /** Seconds between status lines when the output is not a terminal. */
  statusEverySec: number;
  rehearsal: boolean;
  /** Simulated hours into the story at which to start. */
  fromHours: number;
  /** A credentials file (simulators/credentials.ts). */
  credentialsPath?: string;
}

export function registryPathFor(slug: ProvinceSlug): string {
  return fileURLToPath(new URL(`../../shared/provinces/${slug}/devices.json`, import.meta.url));
}

function numberOpt(name: string, raw: string | undefined, check: (n: number) => boolean, what: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || !check(n)) throw new UsageError(`--${name} must be ${what}, got "${raw}"`);
  return n;
}

export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        province: { type: 'string' },
        mqtt: { type: 'string' },
        scenario: { type: 'string' },
        seed: { type: 'string' },
        speed: { type: 'string' },
        'backfill-hours': { type: 'string' },
        'backfill-rate': { type: 'string' },
        'learn-days': { type: 'string' },
        duration: { type: 'string' },
        concurrency: { type: 'string' },
        registry: { type: 'string' },
        'status-every': { type: 'string' },
        kinds: { type: 'string' },
        rehearsal: { type: 'boolean' },
        from: { type: 'string' },
        credentials: { type: 'string' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const province = values.province ?? DEFAULT_PROVINCE;
  if (!isProvinceSlug(province)) {
    throw new UsageError(`unknown province "${province}" (known: ${Object.keys(PROVINCES).join(', ')})`);
  }
  const mqttUrl = values.mqtt ?? (env.MQTT_URL || undefined) ?? 'mqtt://127.0.0.1:1883';
  const urlError = checkMqttUrl(mqttUrl);
  if (urlError) throw new UsageError(`--mqtt: ${urlError}`);
  let kinds: DeviceKind[] | undefined;
  if (values.kinds !== undefined) {
    kinds = values.kinds.split(',').map((k) => k.trim()).filter(Boolean) as DeviceKind[];
    const unknown = kinds.filter((k) => !(DEVICE_KINDS as readonly string[]).includes(k));
    if (kinds.length === 0 || unknown.length > 0) {
      throw new UsageError(`--kinds: unknown kind "${unknown[0] ?? ''}" (known: ${DEVICE_KINDS.join(', ')})`);
    }
  }
  if (values['learn-days'] !== undefined && values.rehearsal !== true) {
    throw new UsageError('--learn-days needs --rehearsal: a live server refuses readings older than 48 h');
  }
  const scenario = values.scenario ?? 'normal-day';
  if (!isScenarioName(scenario)) throw new UsageError(`unknown scenario "${scenario}" (known: ${SCENARIO_NAMES.join(', ')})`);
  return {
    help: values.help ?? false,
    province,
    mqttUrl,
    scenario,
    seed: numberOpt('seed', values.seed, Number.isSafeInteger, 'an integer'),
    speed: numberOpt('speed', values.speed, (n) => n > 0 && n <= 100_000, 'a number in (0, 100000]') ?? 1,
    // Absent: the scenario's (flash-flood sends its two days of rain), else the engine's DEFAULT_BACKFILL_HOURS.
    backfillHours: numberOpt('backfill-hours', values['backfill-hours'], (n) => n >= 0 && n <= 47, 'a number of hours in 0..47'),
    backfillRate:
      numberOpt('backfill-rate', values['backfill-rate'], (n) => n >= 1 && n <= 1_000_000, 'a rate in 1..1000000') ?? DEFAULT_BACKFILL_RATE,
    learnDays: numberOpt('learn-days', values['learn-days'], (n) => n >= 0 && n <= 30, 'a number of days in 0..30'),
    durationSec: numberOpt('duration', values.duration, (n) => n > 0, 'a positive number of seconds'),
    concurrency:
      numberOpt('concurrency', values.concurrency, (n) => Number.isInteger(n) && n >= 1 && n <= 4096, 'an integer in 1..4096') ?? 64,
    registryPath: values.registry ?? registryPathFor(province),
    ...(kinds ? { kinds } : {}),
    statusEverySec: numberOpt('status-every', values['status-every'], (n) => n >= 1 && n <= 86_400, 'a number of seconds in 1..86400') ?? 5,
    rehearsal: values.rehearsal === true,
    fromHours: numberOpt('from', values.from, (n) => n >= 0 && n <= 240, 'a number of hours in 0..240') ?? 0,
    credentialsPath: values.credentials,
  };
}

/** Reads and validates a registry file; errors say what is wrong and how to fix it, without a stack. */
export async function loadRegistry(path: string, slug?: ProvinceSlug): Promise<Registry> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const hint = code === 'ENOENT' && slug ? ` (is the registry for ${slug} generated? npm run registry:generate)` : '';
    throw new Error(`cannot read the device registry ${path}: ${code ?? (err as Error).message}${hint}`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`the device registry ${path} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const parsed = registrySchema.safeParse(json);
  if (!parsed.success) {
    const lines = z.prettifyError(parsed.error).split('\n');
    const shown = lines.slice(0, 12).join('\n');
    const more = lines.length > 12 ? `\n  … and ${lines.length - 12} more lines` : '';
    throw new Error(`the device registry ${path} does not match the schema:\n${shown}${more}`);
  }
  return parsed.data;
}

export function formatStatus(stats: FleetStats, elapsedMs: number, simStart?: number): string {
  const parts = [`phase ${stats.phase.index + 1}/${stats.phase.total} ${stats.phase.name}`];
  if (simStart !== undefined) parts.push(`sim ${formatOffset(stats.simNow - simStart)}`);
  parts.push(`connected ${stats.connected}/${stats.devices}`);
  const b = stats.backfill;
  if (b.devices > 0 && b.done < b.devices) parts.push(`backfill ${formatInt(b.sent)}/${formatInt(b.total)}`);
  const l = stats.learning;
  if (l.devices > 0 && l.done < l.devices) parts.push(`learning period ${formatInt(l.sent)}/${formatInt(l.total)}`);
  parts.push(`${stats.ratePerSec.toFixed(1)} msg/s`, `total ${formatInt(stats.published)}`);
  if (stats.errors > 0) parts.push(`errors ${formatInt(stats.errors)}`);
  if (stats.dropped > 0) parts.push(`dropped ${formatInt(stats.dropped)}`);
  parts.push(formatDuration(elapsedMs));
  return parts.join(' · ');
}

export function formatSummary(stats: FleetStats, elapsedMs: number): string {
  const avg = elapsedMs > 0 ? (stats.published * 1000) / elapsedMs : 0;
  const faults = Object.entries(stats.faults).map(([k, n]) => `${k} ${formatInt(n)}`);
  const b = stats.backfill;
  const backfill = b.devices > 0 ? `; backfill ${formatInt(b.sent)}/${formatInt(b.total)} readings${b.durationMs !== null ? ` in ${(b.durationMs / 1000).toFixed(1)} s` : ''}` : '';
  return (
    `stopped after ${formatDuration(elapsedMs)}: ${formatInt(stats.published)} messages ` +
    `(${avg.toFixed(1)}/s on average) from ${stats.devices} devices, ` +
    `${formatInt(stats.errors)} errors, ${formatInt(stats.dropped)} dropped; last phase: ${stats.phase.name}${backfill}` +
    (faults.length > 0 ? `; faults sent: ${faults.join(', ')}` : '')
  );
}
