/**
 * Debian's Mosquitto under a small keeper process: writes a config to a temp folder (listener on
 * 127.0.0.1 and a free port, queues deep enough that QoS 1 is never dropped under load: the
 * TOOLCHAIN.md gotcha), starts `mosquitto -c`, and kills it when the runner goes away.
 * Config (argv[2], JSON): { bin }. Reports: ready { url, pid (of mosquitto) } or error.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { canConnect, freePort } from '../test/support/ports';
import { childConfig, exitWithParent, report } from './lib/procs';

const { bin } = childConfig<{ bin: string }>();

const dir = mkdtempSync(path.join(tmpdir(), 'ioc-bench-mosquitto-'));
const port = await freePort();
const conf = path.join(dir, 'mosquitto.conf');
writeFileSync(
  conf,
  [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'persistence false',
    'max_queued_messages 10000000',
    'max_queued_bytes 0',
    'max_inflight_messages 0',
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    '',
  ].join('\n'),
);
const child = spawn(bin, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
let stderr = '';
child.stderr?.on('data', (c: Buffer) => {
  stderr = (stderr + c.toString()).slice(-2000);
});
child.on('error', (err) => {
  report({ type: 'error', message: `cannot start ${bin}: ${err.message}` });
  process.exit(1);
});
child.on('exit', (code) => {
  report({ type: 'error', message: `mosquitto exited (${code}): ${stderr.trim()}` });
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
});

exitWithParent(() => {
  child.removeAllListeners('exit');
  child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const deadline = Date.now() + 5000;
while (!(await canConnect(port))) {
  if (Date.now() > deadline) {
    report({ type: 'error', message: `mosquitto did not listen on ${port}: ${stderr.trim()}` });
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 50));
}
report({ type: 'ready', url: `mqtt://127.0.0.1:${port}`, pid: child.pid });
