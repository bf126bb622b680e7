/**
 * The built-in simulator fleet of `npm start`, run beside the server as a process of its own: the server
 * never imports simulators/ (the devices are outside the IOC, as real ones are), and the fleet's
 * thousands of MQTT connections get the second core. Its lines go to the server's log; it is stopped
 * with the server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from './log';

export interface FleetProcessOptions {
  /** Repository root (simulators/cli.ts is found under it). */
  root: string;
  province: string;
  mqttUrl: string;
  /** The gateway's credentials file (mode 0600): the fleet logs in with it. */
  credentialsFile?: string;
  speed: number;
  seed: number;
  scenario: string;
  fromHours: number;
  learnDays?: number;
  rehearsal: boolean;
  log: Logger;
}

const STOP_GRACE_MS = 5000;

/** The node arguments that run the fleet (`npm run cluster` starts it as a part of its own, with them too). */
export function fleetArgs(opts: Omit<FleetProcessOptions, 'log'>): string[] {
  return [
    '--import',
    'tsx',
    path.join(opts.root, 'simulators', 'cli.ts'),
    ...(opts.credentialsFile ? ['--credentials', opts.credentialsFile] : []),
    ...['--province', opts.province, '--mqtt', opts.mqttUrl, '--speed', String(opts.speed), '--seed', String(opts.seed)],
    ...['--scenario', opts.scenario, '--from', String(opts.fromHours), ...(opts.rehearsal ? ['--rehearsal'] : [])],
    ...(opts.learnDays !== undefined && opts.rehearsal ? ['--learn-days', String(opts.learnDays)] : []),
    // Phases, river crossings and the backfill's end as they happen; a status line once a minute.
    ...['--status-every', '60'],
  ];
}

export function startFleetProcess(opts: FleetProcessOptions): { close(): Promise<void> } {
  const args = fleetArgs(opts);
  const child: ChildProcess = spawn(process.execPath, args, { cwd: opts.root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stopping = false;
  for (const [stream, level] of [
    [child.stdout, 'info'],
    [child.stderr, 'warn'],
  ] as const) {
    if (stream) createInterface({ input: stream }).on('line', (line) => opts.log[level]({ src: 'fleet' }, line));
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    if (!stopping) opts.log.error({ code, signal }, 'the simulator fleet stopped; the server goes on without it');
  });
  child.once('error', (err) => opts.log.error({ err }, 'could not start the simulator fleet'));
  return {
    close: async () => {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
