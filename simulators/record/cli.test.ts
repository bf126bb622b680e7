/** `npm run sim:record` and `npm run sim:replay` as processes: Ctrl-C closes a recording cleanly. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { connectAsync } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestBroker } from '../fleet/testBroker';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function start(script: string, args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }>; stdout: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { ...process.env, MQTT_URL: '' } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done, stdout: () => stdout };
}

async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups.length = 0;
});

describe('sim:record and sim:replay', () => {
  it('record until Ctrl-C writes a complete gzip file; replay publishes it and summarises', async () => {
    const broker = await startTestBroker();
    cleanups.push(() => broker.close());
    const dir = await mkdtemp(join(tmpdir(), 'ioc-reccli-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const out = join(dir, 'cli.ndjson.gz');

    const rec = start('simulators/record.ts', ['--mqtt', broker.url, '--out', out]);
    await until(() => rec.stdout().includes('recording ioc/v1/#'), 'the recorder');
    const pub = await connectAsync(broker.url, { clientId: 'cli-pub', reconnectPeriod: 0 });
    cleanups.push(() => pub.endAsync(true));
    for (let k = 0; k < 50; k++) await pub.publishAsync(`ioc/v1/rain/g${k % 3}/telemetry`, JSON.stringify({ ts: 1000 + k, precipitation: k / 10, intervalSec: 60 }), { qos: 1 });
    await new Promise((r) => setTimeout(r, 300));
    rec.child.kill('SIGINT');
    const r = await rec.done;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^recorded 50 messages in 00:00:\d\d to 1 part\(s\) \(.*cli\.ndjson\.gz\), [\d.]+ (B|KiB), 0 dropped$/);
    const lines = gunzipSync(await readFile(out)).toString().trim().split('\n');
    expect(lines).toHaveLength(51);
    expect(JSON.parse(lines[1]!)).toMatchObject({ topic: 'ioc/v1/rain/g0/telemetry', qos: 1, retain: false, payload: expect.stringContaining('"ts":1000') });

    const got: string[] = [];
    const sub = await connectAsync(broker.url, { clientId: 'cli-sub', reconnectPeriod: 0 });
    cleanups.push(() => sub.endAsync(true));
    sub.on('message', (_t, p) => got.push(p.toString()));
    await sub.subscribeAsync('ioc/v1/#', { qos: 1 });
    const rep = start('simulators/replay.ts', [out, '--mqtt', broker.url, '--speed', '100']);
    const rr = await rep.done;
    expect(rr.stderr).toBe('');
    expect(rr.code).toBe(0);
    expect(rr.stdout).toContain(`replaying ${out} → ${broker.url} at 100×`);
    expect(rr.stdout.trim().split('\n').at(-1)).toMatch(/^finished after 00:00:0\d: 50 messages in 1 pass\(es\), 0 errors$/);
    await until(() => got.length === 50, 'the replayed messages');
    expect(JSON.parse(got[49]!)).toEqual({ ts: 1049, precipitation: 4.9, intervalSec: 60 });
  }, 40_000);

  it.each([
    ['simulators/record.ts', [], 2, /^error: --out FILE is required/],
    ['simulators/replay.ts', ['/nonexistent/rec.ndjson.gz'], 1, /^error: no recording at \/nonexistent\/rec\.ndjson\.gz/],
    ['simulators/replay.ts', ['x.gz', '--speed', '0'], 2, /^error: --speed must be a number/],
  ])('%s %j exits %i with a clear error', async (script, args, code, message) => {
    const r = await start(script, args).done;
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
