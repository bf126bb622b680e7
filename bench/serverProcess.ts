/**
 * The real server (its own process), built by createApp on 127.0.0.1 and a free port, without
 * the simulator fleet. With `mqttUrl` it consumes an external broker (broker and server in
 * separate processes); without, it starts its embedded aedes (the default one-machine setup).
 * Config (argv[2], JSON): { mqttUrl?, tickMs? }. Reports: ready { url, mqttUrl, tickMs };
 * { cmd: 'mem' } is answered with mem (process.memoryUsage()).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp } from '../server/app';
import { nullReadingStore } from './lib/nullStore';
import { benchCookie } from './lib/session';
import { DEFAULT_TICK_MS } from '../shared/protocol';
import { childConfig, exitWithParent, report } from './lib/procs';

const cfg = childConfig<{ mqttUrl?: string; tickMs?: number; store?: boolean }>();
const tickMs = cfg.tickMs ?? DEFAULT_TICK_MS;
// As in production, the alarm store is a file (in a temp folder), not an in-memory database
// whose pages would count in the server's RSS.
const dataDir = mkdtempSync(path.join(tmpdir(), 'ioc-bench-data-'));
const removeData = () => rmSync(dataDir, { recursive: true, force: true });
process.on('exit', removeData);
try {
  const app = await createApp({
    dataDir,
    port: 0,
    host: '127.0.0.1',
    mqtt: cfg.mqttUrl ? { url: cfg.mqttUrl, port: 0, clientId: `ioc-bench-${process.pid}` } : { port: 0 },
    tickMs,
  }, cfg.store === false ? { readingStore: nullReadingStore() } : {});
  exitWithParent(() => app.close());
  // The memory part asks where the RSS goes: the JS heap, or Buffers and native memory.
  process.on('message', (m: { cmd?: string }) => {
    if (m.cmd === 'mem') report({ type: 'mem', ...process.memoryUsage() });
  });
  // The gateway credential of its embedded broker goes to the publisher over IPC only, never to a log.
  report({ type: 'ready', url: app.url, mqttUrl: app.mqttUrl, gateway: app.gateway, tickMs, devices: app.table.size, cookie: await benchCookie(app) });
} catch (err) {
  report({ type: 'error', message: `server failed to start: ${(err as Error).message}` });
  process.exit(1);
}
