/**
 * Entry point of `npm start` (and `npm run dev`): the only place that reads the environment,
 * picks real ports and listens. Builds the client first when it is missing or out of date.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from './app';
import { configFromEnv } from './config';
import { createLogger, instanceId } from './log';
import { startFleetProcess } from './fleetProcess';
import { writeGatewayFile } from './broker/gatewayFile';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLIENT_DIST = path.join(ROOT, 'client', 'dist');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name === 'provinces') continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

async function buildClientIfNeeded(log: ReturnType<typeof createLogger>): Promise<void> {
  const index = path.join(CLIENT_DIST, 'index.html');
  const sources = Math.max(newestMtime(path.join(ROOT, 'client')), newestMtime(path.join(ROOT, 'shared')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  log.info('building the client (vite build)…');
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'vite.config.ts'), root: path.join(ROOT, 'client'), logLevel: 'warn' });
}

/** `npm run dev`: Vite's dev server with hot reload, proxying the API and the socket to the app. */
async function startViteDev(target: string, log: ReturnType<typeof createLogger>): Promise<void> {
  const { createServer } = await import('vite');
  const vite = await createServer({
    configFile: path.join(ROOT, 'vite.config.ts'),
    root: path.join(ROOT, 'client'),
    server: {
      port: 5173,
      proxy: { '/api': target, '/socket.io': { target, ws: true } },
    },
  });
  await vite.listen();
  log.info({ url: 'http://localhost:5173/' }, 'vite dev server (hot reload)');
}

async function main(): Promise<void> {
  let config;
  try {
    config = configFromEnv(process.env);
  } catch (err) {
    console.error(`ioc: ${(err as Error).message}`);
    process.exit(2);
  }
  const log = createLogger(undefined, { instance: config.app.instance ?? instanceId(), pretty: process.stdout.isTTY === true });
  if (process.argv.includes('--build-client-if-needed')) await buildClientIfNeeded(log);
  const dev = process.argv.includes('--dev');
  const dataDir = config.app.dataDir ?? path.join(ROOT, 'data');
  const app = await createApp({ ...config.app, dataDir, clientDist: dev ? undefined : CLIENT_DIST }, { logger: log });
  // The embedded broker's gateway secret is new at each start: the fleet and local tools read it from
  // DATA_DIR (mode 0600); it is never logged. With an external broker the fleet uses MQTT_CREDENTIALS.
  const credentialsFile = config.app.mqtt.url ? process.env.MQTT_CREDENTIALS : app.gateway && writeGatewayFile(dataDir, app.gateway);
  const fleet = config.fleet
    ? startFleetProcess({ root: ROOT, province: app.province.slug, mqttUrl: app.mqttUrl, credentialsFile, speed: config.fleet.speed, seed: config.fleet.seed, scenario: config.fleet.scenario, fromHours: config.fleet.fromHours, learnDays: config.fleet.learnDays, rehearsal: config.fleet.rehearsal, log })
    : undefined;
  if (dev) await startViteDev(app.url, log);
  const mqttNote = config.app.mqtt.url ? `MQTT broker: ${config.app.mqtt.url}` : `embedded MQTT broker: ${app.mqttUrl}`;
  console.log(
    `\n  IOC ${app.province.name} đang chạy: ${app.url}/  (di động: ${app.url}/m)\n  ${mqttNote}` +
      `${fleet ? ' · simulator fleet on (SIMULATE=0 to turn off)' : ''}` +
      `${config.app.clock === 'scenario' ? `\n  DIỄN TẬP: the clock is the scenario's (${config.fleet ? `${config.fleet.scenario} at ${config.fleet.speed}×` : 'ioc/v1/sim/clock'})` : ''}\n`,
  );
  if (app.bootstrapPassword) {
    // Printed once, to the terminal only (never to the log): the first login of a fresh install.
    console.log(
      `  Tài khoản quản trị đầu tiên / first admin account:\n    đăng nhập (username): admin\n    mật khẩu (password):  ${app.bootstrapPassword}\n` +
        `  Đăng nhập tại ${app.url}/login rồi đổi mật khẩu; mật khẩu này không được in lại.\n` +
        `  (Set IOC_ADMIN_PASSWORD before the first start to choose it instead.)\n`,
    );
  }

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took over 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    // The fleet first: its devices say goodbye (last will) while the broker is still up.
    Promise.resolve(fleet?.close())
      .then(() => app.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          log.error({ err }, 'error during shutdown');
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error('ioc: failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
