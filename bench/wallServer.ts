/**
 * The frame-rate part's server (its own process): the real app from createApp, but with a
 * registry of N devices (the province's real ones plus synthetic street lights near them), and
 * no MQTT feed: each device reports at its own interval and every tick about 1 % go offline and
 * come back on the next tick (so the map has something to redraw), written straight into the app's
 * device table (the state changes of 100,000 devices are past any broker here).
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
  // Each tick: the devices sent offline on the previous tick come back (a reading), about 1 % of the
  // fleet goes offline (a status), and the devices due report (each at its own interval, spread over the
  // ticks), as a real fleet does. Until 2026-12-05 every device reported every tick (400,000 readings a
  // second at 100,000 devices), which put the server's CPU, not the wall's, into the wall's frame rate.
  const every = app.province.registry.devices.map((d) => Math.max(1, Math.round((d.reportIntervalSec * 1000) / tickMs)));
  let wentOff: number[] = [];
  let tick = 0;
  // The whole fleet once at the start: the wall opens on a province that is online.
  for (let i = 0; i < table.size; i++) table.applyReading(i, Date.now(), values[i]!);
  const feed = setInterval(() => {
    if (!updating) return;
    const now = Date.now();
    tick++;
    for (const i of wentOff) table.applyReading(i, now, values[i]!);
    for (let i = 0; i < table.size; i++) if ((tick + i) % every[i]! === 0) table.applyReading(i, now, values[i]!);
    const off = Math.round(table.size * OFFLINE_SHARE);
    wentOff = [];
    for (let k = 0; k < off; k++) {
      const i = Math.floor(r.next() * table.size);
      table.applyStatus(i, false, now);
      wentOff.push(i);
    }
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
