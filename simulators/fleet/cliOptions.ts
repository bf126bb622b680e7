/** Argument parsing, registry loading and output formatting for `npm run sim` (simulators/cli.ts). */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { registrySchema, type Registry } from '../../shared/devices';
import { DEFAULT_PROVINCE, PROVINCES, isProvinceSlug, type ProvinceSlug } from '../../shared/provinces';
import { checkMqttUrl, type FleetStats } from './fleet';

export const USAGE = `Usage: npm run sim -- [options]

  --province <slug>    province whose device registry to run (${Object.keys(PROVINCES).join(', ')}; default ${DEFAULT_PROVINCE})
  --mqtt <url>         broker URL (default $MQTT_URL or mqtt://127.0.0.1:1883)
  --seed <int>         seed of the signal models (default: the registry's seed)
  --speed <x>          simulated time runs x times faster (default 1)
  --duration <sec>     stop after this many seconds (default: run until Ctrl-C)
  --concurrency <n>    connection handshakes in progress at once (default 64)
  --registry <file>    a registry file instead of shared/provinces/<slug>/devices.json
  -h, --help           show this help`;

/** A mistake in the command line: shown with the usage, exit code 2. */
export class UsageError extends Error {}

export interface CliOptions {
  help: boolean;
  province: ProvinceSlug;
  mqttUrl: string;
  seed?: number;
  speed: number;
  durationSec?: number;
  concurrency: number;
  registryPath: string;
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
        seed: { type: 'string' },
        speed: { type: 'string' },
        duration: { type: 'string' },
        concurrency: { type: 'string' },
        registry: { type: 'string' },
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
  return {
    help: values.help ?? false,
    province,
    mqttUrl,
    seed: numberOpt('seed', values.seed, Number.isSafeInteger, 'an integer'),
    speed: numberOpt('speed', values.speed, (n) => n > 0 && n <= 100_000, 'a number in (0, 100000]') ?? 1,
    durationSec: numberOpt('duration', values.duration, (n) => n > 0, 'a positive number of seconds'),
    concurrency:
      numberOpt('concurrency', values.concurrency, (n) => Number.isInteger(n) && n >= 1 && n <= 4096, 'an integer in 1..4096') ?? 64,
    registryPath: values.registry ?? registryPathFor(province),
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

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(hh)}:${two(mm)}:${two(ss)}`;
}

const int = new Intl.NumberFormat('en-US');

export function formatStatus(stats: FleetStats, elapsedMs: number): string {
  const parts = [
    `connected ${stats.connected}/${stats.devices}`,
    `${stats.ratePerSec.toFixed(1)} msg/s`,
    `total ${int.format(stats.published)}`,
  ];
  if (stats.errors > 0) parts.push(`errors ${int.format(stats.errors)}`);
  if (stats.dropped > 0) parts.push(`dropped ${int.format(stats.dropped)}`);
  parts.push(formatDuration(elapsedMs));
  return parts.join(' · ');
}

export function formatSummary(stats: FleetStats, elapsedMs: number): string {
  const avg = elapsedMs > 0 ? (stats.published * 1000) / elapsedMs : 0;
  return (
    `stopped after ${formatDuration(elapsedMs)}: ${int.format(stats.published)} messages ` +
    `(${avg.toFixed(1)}/s on average) from ${stats.devices} devices, ` +
    `${int.format(stats.errors)} errors, ${int.format(stats.dropped)} dropped`
  );
}
