/** Debian's Mosquitto (/usr/sbin/mosquitto) on a free loopback port, with a config of the test's own. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from './harness';
import { canConnect, freePort } from './ports';

export const MOSQUITTO = '/usr/sbin/mosquitto';

export interface TestMosquitto {
  url: string;
  stop(): Promise<void>;
}

/** Anonymous clients allowed (loopback only), no persistence; `extra` lines are appended to the config. */
export async function startAnonymousMosquitto(extra: string[] = []): Promise<TestMosquitto> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ioc-mosquitto-'));
  const port = await freePort();
  const conf = path.join(dir, 'mosquitto.conf');
  writeFileSync(conf, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false', 'log_dest stderr', 'log_type error', ...extra, ''].join('\n'));
  let stderr = '';
  const proc: ChildProcess = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  proc.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor('mosquitto listening', async () => {
      if (proc.exitCode !== null) throw new Error(`mosquitto exited ${proc.exitCode}: ${stderr}`);
      return canConnect(port);
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `mqtt://127.0.0.1:${port}`, stop };
}
