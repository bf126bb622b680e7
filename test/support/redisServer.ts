/**
 * A throwaway Redis (Debian's redis-server) on a free loopback port, no persistence, for tests that need a real
 * one: the instances' bus and the Socket.IO adapter. `stop()` kills it; `restart()` brings it back on the same
 * port (a Redis outage, then recovery).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEBIAN_DIRS, findProgram } from '../../server/cluster/local/binaries';
import { redisArgs } from '../../server/cluster/local/configs';
import { canConnect, freePort } from './ports';

export interface RedisServer {
  port: number;
  url: string;
  /** SIGKILL: the outage a crash would be. */
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export function redisBin(): string | null {
  return findProgram('redis-server', DEBIAN_DIRS.redis);
}

export async function startRedis(): Promise<RedisServer> {
  const bin = redisBin();
  if (!bin) throw new Error('redis-server not found: apt-get install redis-server');
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'ioc-test-redis-'));
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn(bin, redisArgs(port, dir), { stdio: 'ignore' });
    for (let k = 0; k < 100; k++) {
      if (await canConnect(port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server did not listen on ${port}`);
  };
  const kill = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    });
  };
  await start();
  const stop = async () => {
    await kill();
    rmSync(dir, { recursive: true, force: true });
  };
  return { port, url: `redis://127.0.0.1:${port}`, kill, restart: start, stop };
}
