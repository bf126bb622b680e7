/**
 * The frame-rate part's server (its own process): the real realtime hub, device table, frames
 * and HTTP API, wired as server/app.ts wires them, but with a registry of N devices (the
 * province's real ones plus synthetic street lights near them) and no MQTT: every tick each
 * device gets a reading and about 1 % go offline (so the map has something to redraw), fed
 * straight into the device table. createApp cannot take a registry, hence this composition;
 * keep it in step with createApp.
 *
 * Config (argv[2], JSON): { devices, clientDist, bareDist }. Commands: { cmd: 'updates', on }.
 * Reports: ready { url }.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Device } from '../shared/devices';
import { DEFAULT_TICK_MS } from '../shared/protocol';
import { DeviceTable } from '../server/devices/deviceTable';
import { EnvironmentService } from '../server/domain/env/environment';
import { readSegmentsFile } from '../server/domain/traffic/buildSegments';
import { TrafficService, tableLookup } from '../server/domain/traffic/trafficService';
import { buildHttp } from '../server/http/routes';
import { Ingest } from '../server/ingest/ingest';
import { RateMeter } from '../server/ingest/rateMeter';
import { loadProvince } from '../server/provinces/load';
import { RealtimeHub } from '../server/realtime/hub';
import { createRandom } from '../shared/random';
import { childConfig, exitWithParent, report } from './lib/procs';

interface Config {
  devices: number;
  clientDist: string;
  bareDist: string;
  tickMs?: number;
}

const OFFLINE_SHARE = 0.01;

const cfg = childConfig<Config>();
const tickMs = cfg.tickMs ?? DEFAULT_TICK_MS;
const real = loadProvince('quang-ngai');
const r = createRandom(7);
const devices: Device[] = [...real.registry.devices];
for (let k = devices.length; k < cfg.devices; k++) {
  // Near a real device, so the dots fall on land inside the province.
  const near = real.registry.devices[Math.floor(r.next() * real.registry.devices.length)]!;
  devices.push({
    id: `bench-light-${k}`,
    type: 'iot',
    kind: 'street-light',
    name: `Đèn đường ${k}`,
    lon: Math.round((near.lon + (r.next() - 0.5) * 0.04) * 1e5) / 1e5,
    lat: Math.round((near.lat + (r.next() - 0.5) * 0.04) * 1e5) / 1e5,
    commune: near.commune,
    reportIntervalSec: 60,
  });
}
const province = { ...real, registry: { ...real.registry, devices }, registryVersion: `bench-${devices.length}` };
const table = new DeviceTable(devices);
const env = new EnvironmentService(devices);
const segments = readSegmentsFile('quang-ngai').segments;
const traffic = new TrafficService(segments, devices, tableLookup(table));
const ingest = new Ingest(table);
const rate = new RateMeter();
const http = createServer();
const hub = new RealtimeHub(
  http,
  { table, ingest, rate, env, traffic, registryVersion: province.registryVersion, mqtt: () => ({ connected: true }) },
  { tickMs, mobileEveryTicks: Math.max(1, Math.round(1000 / tickMs)), now: Date.now },
);
const api = buildHttp({ province, table, ingest, rate, tickMs, mqttConnected: () => true, startedAt: Date.now(), now: Date.now, clientDist: cfg.clientDist, env, traffic, segments });
const top = express();
top.use('/bare', express.static(cfg.bareDist));
top.use(api);
http.on('request', top);
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
hub.start();

const values = devices.map((d): Record<string, number> => (d.type === 'iot' ? { power: 100, dim: 100 } : { pm25: 20, waterLevel: 1, precipitation: 0 }));
let updating = true;
const feed = setInterval(() => {
  if (!updating) return;
  const now = Date.now();
  for (let i = 0; i < devices.length; i++) table.applyReading(i, now, values[i]!);
  const off = Math.round(devices.length * OFFLINE_SHARE);
  for (let k = 0; k < off; k++) table.applyStatus(Math.floor(r.next() * devices.length), false, now);
  rate.add(now, devices.length);
}, tickMs);

process.on('message', (m: { cmd: string; on?: boolean }) => {
  if (m.cmd === 'updates') updating = m.on === true;
});
exitWithParent(async () => {
  clearInterval(feed);
  await hub.close();
  http.closeAllConnections();
  http.close();
});
report({ type: 'ready', url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, devices: devices.length });
