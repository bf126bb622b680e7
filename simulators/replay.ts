/**
 * `npm run sim:replay -- FILE --mqtt URL --speed 10 [--loop] [--retime] [--rehearsal]`: publishes a recording with its
 * original pacing scaled by the speed (record/replayer.ts), streaming it from disk. Live status line on a
 * terminal, plain lines otherwise, a summary at the end.
 */
import { connectAsync } from 'mqtt';
import { REPLAY_USAGE, UsageError, parseReplayArgs } from './record/cliOptions';
import { readRecording, recordingParts, type ReadReport } from './record/reader';
import { createReplay, mqttTarget } from './record/replayer';
import { RateMeter, createStatusLine, formatDuration, formatInt } from './progress';
import { loadCredentials } from './credentials';

const EXIT_GRACE_MS = 3000;

async function main(): Promise<number> {
  const opts = parseReplayArgs(process.argv.slice(2), process.env);
  if (opts.help) {
    process.stdout.write(`${REPLAY_USAGE}\n`);
    return 0;
  }
  const parts = recordingParts(opts.file);
  if (parts.length === 0) throw new Error(`no recording at ${opts.file}`);
  const credentials = opts.credentialsPath ? await loadCredentials(opts.credentialsPath) : undefined;
  // A recording holds many devices' messages on one connection: only a gateway credential can send them.
  if (Array.isArray(credentials)) throw new Error(`--credentials ${opts.credentialsPath}: the replayer needs one {"username","password"} (the gateway's), not a list`);
  const client = await connectAsync(opts.mqttUrl, { clientId: `ioc-replayer-${process.pid}`, ...credentials, clean: true, reconnectPeriod: 1000 });
  const started = Date.now();
  const rate = new RateMeter();
  const report: ReadReport = { parts: 0, badLines: 0, truncated: 0 };
  const abort = new AbortController();
  const target = mqttTarget(client);
  const replay = createReplay({
    source: () => readRecording(opts.file, report),
    target: { publish: (topic, payload, o) => target.publish(topic, payload, o).then(() => rate.add(1)) },
    speed: opts.speed,
    loop: opts.loop,
    retime: opts.retime,
    rehearsal: opts.rehearsal,
    signal: abort.signal,
  });
  const status = createStatusLine(process.stdout, () => {
    const s = replay.stats();
    return [
      `replaying ${opts.file} (${parts.length} part${parts.length > 1 ? 's' : ''})`,
      `recording +${formatDuration(s.recordingOffsetMs)}`,
      opts.loop ? `loop ${s.loops + 1}` : null,
      `${rate.perSec().toFixed(1)} msg/s`,
      `total ${formatInt(s.published)}`,
      s.lagMs > 1000 ? `behind ${formatDuration(s.lagMs)}` : null,
      formatDuration(Date.now() - started),
    ]
      .filter(Boolean)
      .join(' · ');
  });
  status.print(`replaying ${opts.file} → ${opts.mqttUrl} at ${opts.speed}×${opts.retime ? ', timestamps moved to now' : ''}${opts.rehearsal ? ', rehearsal clock on ioc/v1/sim/clock (DIỄN TẬP)' : ''}${opts.loop ? ', looping' : ''}`);
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const s = await replay.done;
  process.once('SIGINT', () => process.exit(130));
  status.stop();
  await client.endAsync();
  const bad = report.badLines > 0 ? `, ${formatInt(report.badLines)} unreadable lines skipped` : '';
  const cut = report.truncated > 0 ? `, ${report.truncated} truncated part(s)` : '';
  process.stdout.write(
    `${abort.signal.aborted ? 'stopped' : 'finished'} after ${formatDuration(Date.now() - started)}: ${formatInt(s.published)} messages ` +
      `in ${s.loops} pass(es), ${formatInt(s.errors)} errors${bad}${cut}\n`,
  );
  return s.errors > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
  },
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(err instanceof UsageError ? `error: ${message}\n\n${REPLAY_USAGE}\n` : `error: ${message}\n`);
    process.exitCode = err instanceof UsageError ? 2 : 1;
    setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
  },
);
