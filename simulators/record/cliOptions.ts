/** Command lines of `npm run sim:record` and `npm run sim:replay`. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { checkMqttUrl } from '../fleet/connection';
import { UsageError } from '../fleet/cliOptions';
import { DEFAULT_MAX_BYTES } from './recorder';

export { UsageError } from '../fleet/cliOptions';

export const RECORD_USAGE = `Usage: npm run sim:record -- --out FILE [options]

  Records every message under ioc/v1/# as gzip NDJSON. Parts rotate by compressed size: FILE, then
  FILE.1, FILE.2, … (each a complete gzip stream; zcat FILE FILE.1 … prints the whole recording).
  Ctrl-C flushes and closes the files.

  --out <file>         where to write (refuses to overwrite an existing recording)
  --mqtt <url>         broker URL (default $MQTT_URL or mqtt://127.0.0.1:1883)
  --max-bytes <n>      rotate when a part reaches n compressed bytes (default ${DEFAULT_MAX_BYTES}, min 1024)
  --topic <filter>     what to record (default ioc/v1/#)
  --credentials <file> log in with {"username","password"} from this JSON file (e.g. DATA_DIR/mqtt-gateway.json)
  --duration <sec>     stop after this many seconds (default: until Ctrl-C)
  -h, --help           show this help`;

export const REPLAY_USAGE = `Usage: npm run sim:replay -- FILE [options]

  Publishes a recording (FILE, FILE.1, …) with its original pacing divided by --speed, streaming it.

  --mqtt <url>         broker URL (default $MQTT_URL or mqtt://127.0.0.1:1883)
  --speed <x>          x times faster than recorded (default 1)
  --loop               start again at the end, until Ctrl-C
  --credentials <file> log in with {"username","password"} from this JSON file (e.g. DATA_DIR/mqtt-gateway.json)
  --retime             move every payload ts to the replay's clock (else payloads go out byte for byte)
  --rehearsal          DIỄN TẬP, for a server started with CLOCK=scenario: timestamps move one to one (to now
                       with --retime) and the replay publishes its simulated clock on ioc/v1/sim/clock
  -h, --help           show this help`;

function mqttUrlOf(raw: string | undefined, env: NodeJS.ProcessEnv): string {
  const url = raw ?? (env.MQTT_URL || undefined) ?? 'mqtt://127.0.0.1:1883';
  const err = checkMqttUrl(url);
  if (err) throw new UsageError(`--mqtt: ${err}`);
  return url;
}

function positive(name: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min) throw new UsageError(`--${name} must be a number ≥ ${min}, got "${raw}"`);
  return n;
}

function parse(argv: readonly string[], options: NonNullable<ParseArgsConfig['options']>, positionals: boolean) {
  try {
    return parseArgs({ args: [...argv], strict: true, allowPositionals: positionals, options });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export interface RecordCli {
  help: boolean;
  out: string;
  mqttUrl: string;
  maxBytes: number;
  topic?: string;
  durationSec?: number;
  credentialsPath?: string;
}

export function parseRecordArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): RecordCli {
  const { values } = parse(
    argv,
    {
      help: { type: 'boolean', short: 'h' },
      out: { type: 'string' },
      mqtt: { type: 'string' },
      'max-bytes': { type: 'string' },
      topic: { type: 'string' },
      duration: { type: 'string' },
      credentials: { type: 'string' },
    },
    false,
  );
  const v = values as Record<string, string | boolean | undefined>;
  if (v.help) return { help: true, out: '', mqttUrl: '', maxBytes: DEFAULT_MAX_BYTES };
  if (typeof v.out !== 'string' || v.out === '') throw new UsageError('--out FILE is required');
  return {
    help: false,
    out: v.out,
    mqttUrl: mqttUrlOf(v.mqtt as string | undefined, env),
    maxBytes: positive('max-bytes', v['max-bytes'] as string | undefined, 1024) ?? DEFAULT_MAX_BYTES,
    topic: v.topic as string | undefined,
    durationSec: positive('duration', v.duration as string | undefined, Number.MIN_VALUE),
    credentialsPath: v.credentials as string | undefined,
  };
}

export interface ReplayCli {
  help: boolean;
  file: string;
  mqttUrl: string;
  speed: number;
  loop: boolean;
  retime: boolean;
  rehearsal: boolean;
  credentialsPath?: string;
}

export function parseReplayArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): ReplayCli {
  const { values, positionals } = parse(
    argv,
    {
      help: { type: 'boolean', short: 'h' },
      mqtt: { type: 'string' },
      speed: { type: 'string' },
      loop: { type: 'boolean' },
      retime: { type: 'boolean' },
      rehearsal: { type: 'boolean' },
      credentials: { type: 'string' },
    },
    true,
  );
  const v = values as Record<string, string | boolean | undefined>;
  if (v.help) return { help: true, file: '', mqttUrl: '', speed: 1, loop: false, retime: false, rehearsal: false };
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'the recording FILE is required' : `one FILE only, got ${positionals.length}`);
  const speed = positive('speed', v.speed as string | undefined, Number.MIN_VALUE) ?? 1;
  if (speed > 100_000) throw new UsageError(`--speed must be at most 100000, got ${speed}`);
  return {
    help: false,
    file: positionals[0]!,
    mqttUrl: mqttUrlOf(v.mqtt as string | undefined, env),
    speed,
    loop: v.loop === true,
    retime: v.retime === true,
    rehearsal: v.rehearsal === true,
    credentialsPath: v.credentials as string | undefined,
  };
}
