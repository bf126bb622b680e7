/**
 * `npm run devices -- mosquitto`'s files hold in Debian's real Mosquitto (2.0, /usr/sbin/mosquitto, run here on a
 * free loopback port): a device with its secret publishes, a wrong secret or an unknown name is refused, a
 * publish on another device's topic is not delivered, and the gateway reads everything.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { topicFor } from '../../shared/mqtt';
import { writeMosquittoFiles } from '../../server/broker/mosquittoFiles';
import { DeviceCredentials } from '../../server/security/deviceCredentials';
import { openSqliteDb } from '../../server/store/sqlDb';
import { runDevicesCli } from '../../server/cli/devices';
import type { App } from '../../server/app';
import { getJson, startTestApp, waitFor } from '../support/harness';
import { canConnect, freePort } from '../support/ports';
import { nearMiss } from '../support/tamper';

const MOSQUITTO = '/usr/sbin/mosquitto';

let broker: ChildProcess | undefined;
let app: App | undefined;

/** Whether the app's ingest is connected to its broker (as /api/health says). */
const healthConnected = async (a: App) => (await getJson<{ mqtt: { connected: boolean } }>(`${a.url}/api/health`)).mqtt.connected;
const dirs: string[] = [];
const clients: MqttClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) await c.endAsync(true).catch(() => undefined);
  await app?.close();
  app = undefined;
  if (broker && broker.exitCode === null) {
    const exited = new Promise((r) => broker!.once('exit', r));
    broker.kill('SIGTERM');
    await exited;
  }
  broker = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function startMosquitto(dir: string, files: string[]): Promise<string> {
  // Started as root, Mosquitto drops to its own user before reading the files (mode 0600): they must be its.
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'mosquitto']).toString());
    const gid = Number(execFileSync('id', ['-g', 'mosquitto']).toString());
    for (const f of [dir, ...files]) chownSync(f, uid, gid);
    // mkdtemp's folder is 0700: let Mosquitto pass through it.
    chmodSync(path.dirname(dir), 0o711);
  }
  const port = await freePort();
  const conf = path.join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [`listener ${port} 127.0.0.1`, 'allow_anonymous false', `password_file ${files[0]}`, `acl_file ${files[1]}`, 'persistence false', 'log_dest stderr', 'log_type error', ''].join('\n'),
  );
  let stderr = '';
  broker = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  broker.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  await waitFor(`mosquitto listening (${stderr})`, async () => {
    if (broker!.exitCode !== null) throw new Error(`mosquitto exited ${broker!.exitCode}: ${stderr}`);
    return canConnect(port);
  });
  return `mqtt://127.0.0.1:${port}`;
}

async function client(url: string, opts: mqtt.IClientOptions): Promise<MqttClient> {
  const c = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5000, ...opts });
  clients.push(c);
  return c;
}

async function refusal(url: string, opts: mqtt.IClientOptions): Promise<string> {
  try {
    await client(url, opts);
    return 'connected';
  } catch (err) {
    return (err as Error).message;
  }
}

describe("the Mosquitto files in Debian's Mosquitto", () => {
  it('lets a device publish on its own topics with its secret only; the gateway reads; a foreign topic is not delivered', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ioc-mosquitto-'));
    dirs.push(dir);
    const db = openSqliteDb(':memory:');
    const creds = await DeviceCredentials.open(db, Date.now);
    const a = await creds.issue('qng-hydro-0001');
    await creds.issue('qng-hydro-0002');
    const revoked = await creds.issue('qng-hydro-0003');
    await creds.revoke('qng-hydro-0003');
    const files = writeMosquittoFiles(path.join(dir, 'mq'), await creds.mosquittoEntries());
    await db.close();
    expect(files.devices).toBe(2);
    for (const f of [files.passwordFile, files.aclFile, files.gatewayFile]) expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(files.gatewayFile, 'utf8'))).toEqual(files.gateway);
    expect(readFileSync(files.passwordFile, 'utf8')).not.toContain(a.secret);
    const url = await startMosquitto(path.join(dir, 'mq'), [files.passwordFile, files.aclFile, files.gatewayFile]);

    const gateway = await client(url, { clientId: 'ioc-ingest', ...files.gateway });
    const got: string[] = [];
    gateway.on('message', (topic, payload) => got.push(`${topic} ${payload.toString()}`));
    await gateway.subscribeAsync('ioc/v1/#', { qos: 1 });

    const dev = await client(url, { clientId: 'dev-1', username: 'qng-hydro-0001', password: a.secret });
    await dev.publishAsync(topicFor('hydro', 'qng-hydro-0002', 'telemetry'), 'foreign', { qos: 1 });
    await dev.publishAsync(topicFor('hydro', 'qng-hydro-0001', 'telemetry'), 'own', { qos: 1 });
    await waitFor('the own message at the gateway', () => got.length > 0);
    // Mosquitto delivers in order: had the foreign message passed, it would have come first.
    expect(got).toEqual([`${topicFor('hydro', 'qng-hydro-0001', 'telemetry')} own`]);

    expect(await refusal(url, { clientId: 'dev-bad', username: 'qng-hydro-0001', password: nearMiss(a.secret) })).toMatch(/Not authorized|Bad username/i);
    expect(await refusal(url, { clientId: 'dev-none' })).toMatch(/Not authorized|Bad username/i);
    expect(await refusal(url, { clientId: 'dev-unknown', username: 'qng-hydro-9999', password: a.secret })).toMatch(/Not authorized|Bad username/i);
    expect(await refusal(url, { clientId: 'dev-revoked', username: 'qng-hydro-0003', password: revoked.secret })).toMatch(/Not authorized|Bad username/i);
  });

  it('is what `npm run devices -- mosquitto --out DIR` writes from the CLI’s credentials, keeps the gateway secret, and carries the IOC ingest', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ioc-devices-cli-'));
    dirs.push(dir);
    const lines: string[] = [];
    const run = (argv: string[]) => runDevicesCli(argv, { DATA_DIR: dir }, (l) => lines.push(l));
    expect(await run(['credentials', 'qng-hydro-0001'])).toBe(0);
    const secret = /password \(shown once\): (\S+)/.exec(lines.join('\n'))![1]!;
    expect(await run(['credentials', 'no-such-device'])).toBe(1);
    expect(await run(['mosquitto', '--out', path.join(dir, 'mq')])).toBe(0);
    // A second run (after a device change) keeps the gateway's secret, so the IOC need not restart.
    const gatewayFile = path.join(dir, 'mq', 'gateway.json');
    const gateway = readFileSync(gatewayFile, 'utf8');
    expect(await run(['mosquitto', '--out', path.join(dir, 'mq')])).toBe(0);
    expect(readFileSync(gatewayFile, 'utf8')).toBe(gateway);
    expect(await run(['mosquitto', '--out', path.join(dir, 'mq'), '--new-gateway'])).toBe(0);
    expect(readFileSync(gatewayFile, 'utf8')).not.toBe(gateway);
    const url = await startMosquitto(path.join(dir, 'mq'), ['password_file', 'acl_file', 'gateway.json'].map((f) => path.join(dir, 'mq', f)));
    // The IOC itself on that Mosquitto with MQTT_CREDENTIALS' login: a device's reading reaches its ingest.
    app = await startTestApp({ mqtt: { url, port: 0, credentials: JSON.parse(readFileSync(gatewayFile, 'utf8')) as { username: string; password: string } } });
    const a = app;
    await waitFor('the ingest connected', () => healthConnected(a));
    const dev = await client(url, { clientId: 'cli-dev', username: 'qng-hydro-0001', password: secret });
    const ts = Date.now() - 5000;
    await dev.publishAsync(topicFor('hydro', 'qng-hydro-0001', 'telemetry'), JSON.stringify({ ts, waterLevel: 1.5 }), { qos: 1 });
    await waitFor('the reading in the IOC', () => a.table.lastSeen[a.table.indexOf('qng-hydro-0001')!] === ts);
  });
});
