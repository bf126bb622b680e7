/**
 * `npm run sim:record -- --mqtt URL --out FILE [--max-bytes N]`: records the broker's ioc/v1/# traffic
 * (record/recorder.ts). Live status line on a terminal, plain lines otherwise; Ctrl-C flushes and closes.
 */
import { loadCredentials } from './credentials';
import { RECORD_USAGE, UsageError, parseRecordArgs } from './record/cliOptions';
import { startRecorder, type RecorderStats } from './record/recorder';
import { createStatusLine, formatBytes, formatDuration, formatInt } from './progress';

const EXIT_GRACE_MS = 3000;

function statusOf(s: RecorderStats, elapsedMs: number): string {
  const parts = [
    `${s.connected ? 'recording' : 'reconnecting'} → ${s.path}`,
    `part ${s.part + 1}`,
    `${s.ratePerSec.toFixed(1)} msg/s`,
    `total ${formatInt(s.messages)}`,
    formatBytes(s.bytes),
  ];
  if (s.dropped > 0) parts.push(`dropped ${formatInt(s.dropped)}`);
  parts.push(formatDuration(elapsedMs));
  return parts.join(' · ');
}

async function main(): Promise<number> {
  const opts = parseRecordArgs(process.argv.slice(2), process.env);
  if (opts.help) {
    process.stdout.write(`${RECORD_USAGE}\n`);
    return 0;
  }
  const started = Date.now();
  let stats: (() => RecorderStats) | null = null;
  const status = createStatusLine(process.stdout, () => (stats ? statusOf(stats(), Date.now() - started) : 'connecting…'));
  const credentials = opts.credentialsPath ? await loadCredentials(opts.credentialsPath) : undefined;
  if (Array.isArray(credentials)) throw new Error(`--credentials ${opts.credentialsPath}: the recorder needs one {"username","password"} (the gateway's), not a list`);
  const recorder = await startRecorder({ mqttUrl: opts.mqttUrl, credentials, out: opts.out, maxBytes: opts.maxBytes, topic: opts.topic, log: (l) => status.print(l) });
  stats = recorder.stats;
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
    if (opts.durationSec !== undefined) setTimeout(resolve, opts.durationSec * 1000);
  });
  process.once('SIGINT', () => process.exit(130));
  status.stop();
  const s = await recorder.close();
  process.stdout.write(
    `recorded ${formatInt(s.messages)} messages in ${formatDuration(Date.now() - started)} to ${s.part + 1} part(s) ` +
      `(${opts.out}${s.part > 0 ? ` … ${s.path}` : ''}), ${formatBytes(s.bytes)}, ${formatInt(s.dropped)} dropped\n`,
  );
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
  },
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(err instanceof UsageError ? `error: ${message}\n\n${RECORD_USAGE}\n` : `error: ${message}\n`);
    process.exitCode = err instanceof UsageError ? 2 : 1;
    setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
  },
);
