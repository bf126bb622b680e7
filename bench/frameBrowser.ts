/**
 * Headless Chromium for the frame-rate part (its own process, so the browser dies with its
 * process group). Renderer: Mesa llvmpipe through ANGLE's GL-EGL backend (issue 7; about twice
 * SwiftShader's speed here). An init script, run before the page's own code, measures:
 * - frames: requestAnimationFrame turns per second (what the main thread lets the page draw);
 * - redraws: frames in which WebGL drew anything (deck.gl or MapLibre), so idle redraws show;
 * - per update: the time of the update itself (the wall's 'view:delta' WebSocket message
 *   handler: decode, parse, store; the bare page's own update) plus the animation-frame
 *   callbacks of the next frame (store notification, layer rebuild, attribute update, draw);
 * - long tasks (PerformanceObserver 'longtask', ≥ 50 ms).
 *
 * Config (argv[2], JSON): { url, ready, viewport }. Commands: { cmd: 'measure', seconds,
 * bareUpdating? }. Reports: ready { loadMs }, measured { ... }.
 */
import { chromium, type Browser } from 'playwright-core';
import { INSTRUMENT_JS } from './frame/instrument';
import { childConfig, exitWithParent, report } from './lib/procs';
import { deltaAlarmBytes } from './lib/socketFrames';
import { threadBusy } from './lib/trace';

interface Config {
  url: string;
  /** The session cookie (`ioc.sid=…`) of the server's bench user. */
  cookie: string;
  /** CSS selector that exists once the page shows every device. */
  ready: string;
  width: number;
  height: number;
}

export interface FrameStats {
  seconds: number;
  fps: number;
  redrawsPerSec: number;
  updates: number;
  updateP95Ms: number;
  updateMedianMs: number;
  longTasksPerSec: number;
  longTaskMsPerSec: number;
  /** What the page received over its WebSockets (Socket.IO frames and their binary attachments), KB/s. */
  socketKBPerSec: number;
  /** The alarm part of each 'view:delta' (its JSON), bytes: the largest and the mean over the measurement. */
  alarmBytesMax: number;
  alarmBytesMean: number;
  /** The wall's main-thread time by phase over the measurement, ms in all (null on the bare page). */
  phases: Record<string, number> | null;
  /** Busy time of the browser's threads in a traced window after the measurement, ms per second, by thread. */
  threadsMsPerSec: Record<string, number>;
}


/** Seconds of the traced window after each measurement. */
const TRACE_SEC = 3;

const cfg = childConfig<Config>();
let browser: Browser | undefined;
exitWithParent(() => browser?.close());

try {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--use-gl=angle',
      '--use-angle=gl-egl',
      '--ignore-gpu-blocklist',
    ],
  });
  const context = await browser.newContext({ viewport: { width: cfg.width, height: cfg.height } });
  const [name, value] = cfg.cookie.split('=') as [string, string];
  // For the whole origin: a cookie set for the bare page's URL would get the path /bare/ and miss /api/*.
  await context.addCookies([{ name, value, url: new URL(cfg.url).origin }]);
  const page = await context.newPage();
  await page.addInitScript({ content: INSTRUMENT_JS });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // What the page said while loading: a page that never gets ready says why in the bench's log.
  const loading: string[] = [];
  page.on('console', (m) => m.type() === 'error' && loading.length < 20 && loading.push(m.text()));
  page.on('response', (r) => r.status() >= 400 && loading.length < 20 && loading.push(`HTTP ${r.status()} ${r.url()}`));
  // Bytes the page receives over its sockets while a measurement runs (the wall's deltas; the bare page has none).
  let socketBytes = 0;
  let alarmBytes: number[] = [];
  page.on('websocket', (ws) =>
    ws.on('framereceived', (f) => {
      socketBytes += typeof f.payload === 'string' ? Buffer.byteLength(f.payload) : f.payload.length;
      const a = typeof f.payload === 'string' ? deltaAlarmBytes(f.payload) : null;
      if (a !== null && alarmBytes.length < 100_000) alarmBytes.push(a);
    }),
  );
  const t0 = Date.now();
  await page.goto(cfg.url);
  try {
    // A page that threw while loading will never get ready: say so at once, not after the timeout.
    const failed = new Promise<never>((_, reject) => page.once('pageerror', (e) => reject(e)));
    await Promise.race([page.locator(cfg.ready).waitFor({ timeout: 180_000 }), failed]);
  } catch (err) {
    throw new Error(`${cfg.url}: ${(err as Error).message.split('\n')[0]}; page errors: ${[...errors, ...loading].join(' | ') || 'none'}`, { cause: err });
  }
  report({ type: 'ready', loadMs: Date.now() - t0, errors });

  process.on('message', (m: { cmd: string; seconds: number; bareUpdating?: boolean; quiet?: boolean }) => {
    if (m.cmd !== 'measure') return;
    void (async () => {
      try {
        if (m.bareUpdating !== undefined) await page.evaluate((on) => (window as unknown as { __benchSetUpdating?: (v: boolean) => void }).__benchSetUpdating?.(on), m.bareUpdating);
        // Let the change settle (the first update after a pause, a redraw in flight) before measuring;
        // for the idle phase, until the page has worked off every update still queued (at most 60 s).
        await page.waitForTimeout(1500);
        for (let k = 0; m.quiet && k < 120; k++) {
          const since = await page.evaluate(() => (window as unknown as { __benchSinceUpdate: () => number }).__benchSinceUpdate());
          if (since > 2000) break;
          await page.waitForTimeout(500);
        }
        await page.evaluate(() => (window as unknown as { __benchReset: () => void }).__benchReset());
        socketBytes = 0;
        alarmBytes = [];
        await page.waitForTimeout(m.seconds * 1000);
        const received = socketBytes;
        const alarms = alarmBytes;
        const stats = await page.evaluate(() => (window as unknown as { __benchCollect: () => Omit<FrameStats, 'socketKBPerSec' | 'alarmBytesMax' | 'alarmBytesMean' | 'threadsMsPerSec'> }).__benchCollect());
        // Then a traced window, apart: tracing slows the page, so the figures above are taken without it.
        await browser!.startTracing(page, { categories: ['toplevel', 'disabled-by-default-devtools.timeline'] });
        await page.waitForTimeout(TRACE_SEC * 1000);
        const threadsMsPerSec = threadBusy(await browser!.stopTracing());
        report({
          type: 'measured',
          ...stats,
          socketKBPerSec: received / 1024 / stats.seconds,
          alarmBytesMax: alarms.length ? Math.max(...alarms) : 0,
          alarmBytesMean: alarms.length ? alarms.reduce((a, b) => a + b, 0) / alarms.length : 0,
          threadsMsPerSec,
          errors: errors.splice(0),
        });
      } catch (err) {
        report({ type: 'error', message: `measuring: ${(err as Error).message}` });
      }
    })();
  });
} catch (err) {
  report({ type: 'error', message: `browser: ${(err as Error).message}` });
  process.exit(1);
}
