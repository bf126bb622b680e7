/**
 * The frame-rate part's server (its own process): the real app from createApp, but with a
 * registry of N devices (the province's real ones plus synthetic street lights near them), and
 * no MQTT feed: every tick each device gets a reading and about 1 % go offline (so the map has
 * something to redraw), written straight into the app's device table (400,000 readings a second
 * at 100,000 devices is past any broker here).
 * createApp takes the province as a part, like any test's registry.
 *
 * Config (argv[2], JSON): { devices, clientDist, bareDist }. Commands: { cmd: 'updates', on }.
 * Reports: ready { url, devices }.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import type { Device } from '../shared/devices';
import { createApp } from '../server/app';
import { benchCookie } from './lib/session';
import { loadProvince, type ProvinceData } from '../server/provinces/load';
import { createRandom } from '../shared/random';
import { childConfig, exitWithParent, report } from './lib/procs';

interface Config {
  devices: number;
  clientDist: string;
  bareDist: string;
}

const OFFLINE_SHARE = 0.01;

const cfg = childConfig<Config>();
const r = createRandom(7);

function withDevices(p: ProvinceData): ProvinceData {
  const devices: Device[] = [...p.registry.devices];
  for (let k = devices.length; k < cfg.devices; k++) {
    // Near a real device, so the dots fall on land inside the province.
    const near = p.registry.devices[Math.floor(r.next() * p.registry.devices.length)]!;
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
  return { ...p, registry: { ...p.registry, devices }, registryVersion: `bench-${devices.length}` };
}


try {
  const app = await createApp(
    { port: 0, host: '127.0.0.1', mqtt: { port: 0 }, clientDist: cfg.clientDist },
    { province: withDevices(loadProvince('quang-ngai')) },
  );
  exitWithParent(() => app.close());
  const table = app.table;

  // The bare page is served beside the app, from the same origin (it fetches /api/devices).
  const bare = express.static(cfg.bareDist);
  const listeners = app.http.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  app.http.removeAllListeners('request');
  app.http.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/bare/')) {
      req.url = req.url.slice('/bare'.length);
      bare(req as express.Request, res as express.Response, () => {
        res.statusCode = 404;
        res.end();
      });
      return;
    }
    for (const l of listeners) l.call(app.http, req, res);
  });

  const values = app.province.registry.devices.map((d): Record<string, number> => (d.type === 'iot' ? { power: 100, dim: 100 } : { pm25: 20, waterLevel: 1, precipitation: 0 }));
  let updating = true;
  const cookie = await benchCookie(app);
  const { tickMs } = (await (await fetch(`${app.url}/api/province`, { headers: { cookie } })).json()) as { tickMs: number };
  const feed = setInterval(() => {
    if (!updating) return;
    const now = Date.now();
    for (let i = 0; i < table.size; i++) table.applyReading(i, now, values[i]!);
    const off = Math.round(table.size * OFFLINE_SHARE);
    for (let k = 0; k < off; k++) table.applyStatus(Math.floor(r.next() * table.size), false, now);
  }, tickMs);
  feed.unref();

  process.on('message', (m: { cmd: string; on?: boolean }) => {
    if (m.cmd === 'updates') updating = m.on === true;
  });
  report({ type: 'ready', url: app.url, devices: table.size, cookie });
} catch (err) {
  report({ type: 'error', message: `wall server: ${(err as Error).message}` });
  process.exit(1);
}
