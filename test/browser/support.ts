/**
 * Shared set-up of the browser tests: a fresh client build when the sources are newer, the real
 * app on port 0 (embedded broker, built-in simulator fleet), and Debian's Chromium through
 * playwright-core with software WebGL (TOOLCHAIN.md "Headless Chromium").
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { createApp, type App } from '../../server/app';
import { startFleet } from '../../simulators/fleet/fleet';
import { testSimStart } from '../support/simStart';
import { defaultSession, signInDefault } from '../support/session';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLIENT_DIST = path.join(ROOT, 'client', 'dist');
export const SCREENSHOTS = path.join(ROOT, 'test', 'screenshots');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

function newestMtime(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(p)) {
    if (entry === 'dist' || entry === 'node_modules' || entry === 'provinces') continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

/** Builds client/dist when it is missing or older than the client and contract sources. */
export function ensureClientBuilt(): { built: boolean; ms: number } {
  const index = path.join(CLIENT_DIST, 'index.html');
  const sources = Math.max(
    newestMtime(path.join(ROOT, 'client')),
    newestMtime(path.join(ROOT, 'shared')),
    newestMtime(path.join(ROOT, 'vite.config.ts')),
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return { built: false, ms: 0 };
  const t0 = Date.now();
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'pipe',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return { built: true, ms: Date.now() - t0 };
}

export type TestApp = App;

/** The real app with the built-in fleet beside it (as `npm start` runs it); close() stops both. */
/**
 * `dataDir`: where the stores live (absent: in memory). A test that restarts the app on the same port passes
 * the same folder both times, so the browser's session survives the restart as it does in production.
 */
export async function startApp(port = 0, dataDir?: string): Promise<TestApp> {
  const app = await createApp({
    port,
    dataDir,
    host: '127.0.0.1',
    clientDist: CLIENT_DIST,
    // Explicit: the app's default broker port is 1883, which other tests or a local broker may hold.
    mqtt: { port: 0 },
  });
  try {
    // An operator is logged in; browser contexts from signedInContext carry its session cookie.
    await signInDefault(app);
    // The fleet's world at a pinned simulated hour and season, not whatever the wall clock makes of it.
    const fleet = await startFleet({ mqttUrl: app.mqttUrl, credentials: app.gateway, registry: app.province.registry, speed: 1, simStart: testSimStart() });
    return { ...app, close: async () => {
      await fleet.close();
      await app.close();
    } };
  } catch (err) {
    await app.close();
    throw err;
  }
}

/** A browser context already logged in as the app's default test session (an operator). */
export async function signedInContext(browser: Browser, app: Pick<TestApp, 'url'>, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const ctx = await browser.newContext(options);
  const s = defaultSession(app.url);
  if (!s) throw new Error('no test session for this app: start it with startApp');
  const [name, value] = s.cookie.split('=') as [string, string];
  await ctx.addCookies([{ name, value, url: app.url }]);
  return ctx;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/** Collects page errors; a test asserts the list is empty. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // Where it was logged: a minified library's message can be a class name alone ("Xr").
    if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location().url.split('/').pop()}:${m.location().lineNumber})`);
  });
  return errors;
}

/**
 * Waits for a page that navigates itself (a `location.replace` after sign-in) to arrive at `path` and load.
 * Not `page.waitForURL`: under CI load Chromium once reported the document request of such a navigation as
 * `net::ERR_ABORTED` and waitForURL threw, though nothing else navigated; here only where the page ends counts.
 */
export async function arriveAt(page: Page, path: string, timeoutMs = 30_000): Promise<void> {
  await waitFor(async () => new URL(page.url()).pathname, (p) => p === path, timeoutMs, `the page at ${path}`);
  await page.waitForLoadState('load');
}

export async function screenshot(target: Page | Locator, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await target.screenshot({ path: file });
  return file;
}

/** "2.286" (vi-VN) → 2286 */
export function parseViInt(text: string | null): number {
  return Number((text ?? '').replace(/\./g, '').replace(/\s/g, ''));
}

/** "41,6" (vi-VN) → 41.6 */
export function parseViNumber(text: string | null): number {
  return Number((text ?? '').replace(/\./g, '').replace(',', '.').trim());
}

export interface PixelStats {
  total: number;
  /** Pixels far from every background colour (sea, surrounding land, neighbour provinces). */
  foreground: number;
  /** Pixels close to the commune fill: the province itself. */
  province: number;
  /** Distinct colours (coarsely quantised); a blank canvas has one or two. */
  colours: number;
}

type Rgb = [number, number, number];
const hex = (h: string): Rgb => [1, 3, 5].map((k) => parseInt(h.slice(k, k + 2), 16)) as Rgb;

/**
 * Screenshots an element (the map: MapLibre's canvas with deck.gl's on top, as the user sees it)
 * and classifies its pixels in the page, which decodes the PNG for us.
 */
export async function mapPixelStats(
  page: Page,
  map: Locator,
  palette: { background: string[]; province: string },
): Promise<PixelStats> {
  const png = await map.screenshot();
  return page.evaluate(
    async ({ b64, background, province }) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const near = (k: number, c: number[], tol: number) =>
        Math.abs(data[k]! - c[0]!) <= tol && Math.abs(data[k + 1]! - c[1]!) <= tol && Math.abs(data[k + 2]! - c[2]!) <= tol;
      let foreground = 0;
      let inProvince = 0;
      const colours = new Set<number>();
      for (let k = 0; k < data.length; k += 4) {
        if (!background.some((c) => near(k, c, 10))) foreground++;
        if (near(k, province, 14)) inProvince++;
        colours.add(((data[k]! >> 4) << 8) | ((data[k + 1]! >> 4) << 4) | (data[k + 2]! >> 4));
      }
      return { total: data.length / 4, foreground, province: inProvince, colours: colours.size };
    },
    { b64: png.toString('base64'), background: palette.background.map(hex), province: hex(palette.province) },
  );
}

/** Polls `read` until `done` holds, returning the last value; throws with it on timeout. */
export async function waitFor<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const t0 = Date.now();
  let v = await read();
  while (!done(v)) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 250));
    v = await read();
  }
  return v;
}
