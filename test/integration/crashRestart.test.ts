/**
 * Issue 13: kill the server hard (its own process, SIGKILL) while readings stream in, start it again on the same
 * DATA_DIR: every reading the API served before the kill is served after it, and what was lost is at most the
 * readings of the last tick that had not been written yet.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { topicFor } from '../../shared/mqtt';
import { loadRegistry } from '../../server/provinces/load';
import { GATEWAY_FILE, readCredentialsFile } from '../../server/broker/gatewayFile';
import { connectMqtt, connectSocket, subscribe, waitFor } from '../support/harness';
import type { WallSnapshot } from '../../shared/events';
import { logIn, type TestSession } from '../support/session';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ADMIN_PASSWORD = 'mật-khẩu-quản-trị-thử';

interface Running {
  child: ChildProcessWithoutNullStreams;
  url: string;
  mqttUrl: string;
}

const children: ChildProcessWithoutNullStreams[] = [];
const dirs: string[] = [];
let mqtt: MqttClient | undefined;

afterEach(async () => {
  await mqtt?.endAsync(true).catch(() => undefined);
  mqtt = undefined;
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** `npm start` without the fleet, on free ports, its stores in dataDir. */
async function start(dataDir: string): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', MQTT_PORT: '0', HOST: '127.0.0.1', SIMULATE: '0', DATA_DIR: dataDir, IOC_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'warn', TICK_MS: '250' },
  });
  children.push(child);
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const m = await waitFor(
    'the server to print its URLs',
    () => {
      if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${out}`);
      const url = /đang chạy: (http:\/\/[\d.]+:\d+)\//.exec(out)?.[1];
      const mqttUrl = /embedded MQTT broker: (mqtt:\/\/[\d.]+:\d+)/.exec(out)?.[1];
      return url && mqttUrl ? { url, mqttUrl } : undefined;
    },
    30_000,
  );
  return { child, ...m };
}

async function served(s: TestSession, url: string, id: string, from: number): Promise<number[]> {
  const res = await s.fetch(`${url}/api/devices/${id}/readings?from=${from}&to=${Date.now() + 60_000}&bucket=raw`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { points: { ts: number }[] }).points.map((p) => p.ts);
}

describe('a hard kill', () => {
  it('loses none of the readings served before it; a restart serves them again', { timeout: 90_000 }, async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ioc-crash-'));
    dirs.push(dataDir);
    const hydro = loadRegistry('quang-ngai').registry.devices.find((d) => d.type === 'hydro')!;
    const first = await start(dataDir);
    const admin = await logIn(first.url, 'admin', ADMIN_PASSWORD);
    // The gateway's secret of this start, in DATA_DIR and readable by its owner only.
    const gatewayFile = path.join(dataDir, GATEWAY_FILE);
    expect(statSync(gatewayFile).mode & 0o777).toBe(0o600);
    mqtt = await connectMqtt(first.mqttUrl, { clientId: 'crash-test-publisher', ...readCredentialsFile(gatewayFile) });
    const t0 = Date.now() - 60_000;
    let k = 0;
    // Stream readings (one every 20 ms of readings time, QoS 1) until the kill.
    let streaming = true;
    const publisher = (async () => {
      while (streaming) {
        const ts = t0 + k * 100;
        k++;
        await mqtt!.publishAsync(topicFor('hydro', hydro.id, 'telemetry'), JSON.stringify({ ts, waterLevel: 2 + (k % 50) / 100 }), { qos: 1 }).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await waitFor('a few hundred readings stored', async () => (await served(admin, first.url, hydro.id, t0 - 1)).length >= 300 || undefined, 20_000);
    const before = await served(admin, first.url, hydro.id, t0 - 1);
    // The rate chart's history is saved every 5 s: wait for a save that holds messages.
    const rateFile = path.join(dataDir, 'rate-quang-ngai.json');
    const savedRate = await waitFor(
      'the message-rate history saved',
      () => {
        if (!existsSync(rateFile)) return undefined;
        const samples = (JSON.parse(readFileSync(rateFile, 'utf8')) as { samples: [number, number][] }).samples.filter(([, c]) => c > 0);
        return samples.length >= 3 ? samples : undefined;
      },
      15_000,
    );
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    streaming = false;
    const published = k;
    // A QoS 1 publish to a dead broker waits for ever: end the client, then let the loop see it stopped.
    await mqtt.endAsync(true).catch(() => undefined);
    mqtt = undefined;
    await Promise.race([publisher, new Promise((r) => setTimeout(r, 2000))]);

    const second = await start(dataDir);
    const again = await logIn(second.url, 'admin', ADMIN_PASSWORD);
    const after = await served(again, second.url, hydro.id, t0 - 1);
    const afterSet = new Set(after);
    expect(before.filter((ts) => !afterSet.has(ts))).toEqual([]);
    expect(after.length).toBeGreaterThanOrEqual(before.length);
    // What the kill cost: readings taken in but not yet written, at most about a tick's worth.
    console.log(`crash test: ${published} published, ${before.length} served before the kill, ${after.length} after the restart`);
    expect(after.length).toBeLessThanOrEqual(published);

    // The wall's rate chart comes back with its past: the saved seconds are in the new snapshot.
    const socket = connectSocket(second.url, undefined, { cookie: again.cookie });
    try {
      const wall = (await subscribe(socket, 'wall')).snapshot as WallSnapshot;
      const history = new Map(wall.rateHistory);
      expect(savedRate.filter(([sec, c]) => history.get(sec) === c).length).toBe(savedRate.length);
    } finally {
      socket.disconnect();
    }
  });
});
