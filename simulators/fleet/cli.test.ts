/** Runs simulators/cli.ts as a process, as `npm run sim` does (non-TTY output). */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Aedes } from 'aedes';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDevice, makeRegistry } from './fixtures';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'simulators/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, MQTT_URL: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('simulators/cli.ts', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c();
    cleanups.length = 0;
  });

  it.each([
    [['--province', 'hanoi'], 2, /^error: unknown province "hanoi"/],
    [['--mqtt', 'http://127.0.0.1:1883'], 2, /^error: --mqtt: unsupported protocol http:/],
    [['--registry', '/nonexistent/devices.json'], 1, /^error: cannot read the device registry/],
  ])('%j exits %i with a clear error and no stack trace', async (args, code, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('runs a fleet for --duration, with plain progress lines and a summary', async () => {
    const aedes = await Aedes.createBroker();
    const sockets = new Set<net.Socket>();
    const server = net.createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      aedes.handle(s);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const s of sockets) s.destroy();
          server.close(() => aedes.close(() => resolve()));
        }),
    );
    const statuses = new Map<string, string>();
    aedes.on('publish', (packet) => {
      if (packet.topic.endsWith('/status')) statuses.set(packet.topic, packet.payload.toString());
    });
    const dir = await mkdtemp(join(tmpdir(), 'ioc-cli-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const registryPath = join(dir, 'devices.json');
    const registry = makeRegistry([
      makeDevice('air-station', { id: 'c-air' }),
      makeDevice('traffic-camera', { id: 'c-cam' }),
      makeDevice('energy-meter', { id: 'c-meter' }),
    ]);
    await writeFile(registryPath, JSON.stringify(registry));
    const { port } = server.address() as net.AddressInfo;

    const r = await runCli(['--registry', registryPath, '--mqtt', `mqtt://127.0.0.1:${port}`, '--duration', '1.5', '--speed', '600']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(`simulating 3 devices of quang-ngai → mqtt://127.0.0.1:${port}, 600× simulated time`);
    expect(lines.at(-1)).toMatch(/^stopped after 00:00:01: \d+ messages \(.*\/s on average\) from 3 devices, 0 errors/);
    expect(r.stdout).not.toContain('\r');
    expect([...statuses.keys()].sort()).toEqual([
      'ioc/v1/air/c-air/status',
      'ioc/v1/camera/c-cam/status',
      'ioc/v1/iot/c-meter/status',
    ]);
    for (const payload of statuses.values()) expect(JSON.parse(payload)).toMatchObject({ online: false });
  });
});
