/**
 * Part 5: frame rate. The wall (the built client, unchanged, pinned to its system page: the
 * devices map) in headless Chromium on llvmpipe against bench/wallServer.ts with N devices that
 * all report every tick (about 1 % going offline each tick, so the dots' colours change and the
 * map must redraw), and, as the renderer's
 * ceiling, the bare MapLibre + deck.gl page (bench/frame/) drawing the same points with the same
 * base map and the same per-tick colour change, without network or parsing. Then the updates
 * stop, and the redraws per second show whether anything is drawn when nothing changed.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions } from '../options';
import { figure, type Figure, type PartOutcome } from '../report';
import type { FrameStats } from '../frameBrowser';
import { BenchChild, type ChildMessage } from '../lib/procs';
import { SkipError } from '../lib/rig';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const IDLE_SEC = 4;
const VIEWPORT = { width: 1920, height: 1080 };

async function buildPages(dir: string, log: (s: string) => void): Promise<{ clientDist: string; bareDist: string }> {
  const { build } = await import('vite');
  const clientDist = path.join(dir, 'wall');
  const bareDist = path.join(dir, 'bare');
  const t0 = performance.now();
  // Into a temp folder: client/dist belongs to `npm start`, and may be out of date.
  await build({ configFile: path.join(ROOT, 'vite.config.ts'), root: path.join(ROOT, 'client'), logLevel: 'warn', build: { outDir: clientDist, emptyOutDir: true } });
  await build({ configFile: false, root: path.join(ROOT, 'bench', 'frame'), base: '/bare/', logLevel: 'warn', build: { outDir: bareDist, emptyOutDir: true, chunkSizeWarningLimit: 5000 } });
  log(`  built the wall and the bare page in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { clientDist, bareDist };
}

interface Measured extends FrameStats, ChildMessage {
  errors: string[];
}

async function measurePage(url: string, cookie: string, ready: string, frameSec: number, setUpdating: (on: boolean) => Promise<void> | void, bare: boolean): Promise<{ loadMs: number; busy: Measured; idle: Measured }> {
  const browser = new BenchChild('chromium', 'frameBrowser.ts', [JSON.stringify({ url, cookie, ready, ...VIEWPORT })]);
  try {
    const r = await browser.waitFor<ChildMessage & { loadMs: number }>('ready', 240_000);
    const measure = async (seconds: number, on: boolean) => {
      await setUpdating(on);
      const m = browser.waitFor<Measured>('measured', seconds * 1000 + 120_000);
      browser.send({ cmd: 'measure', seconds, quiet: !on, ...(bare ? { bareUpdating: on } : {}) });
      return m;
    };
    const busy = await measure(frameSec, true);
    const idle = await measure(IDLE_SEC, false);
    return { loadMs: r.loadMs, busy, idle };
  } finally {
    await browser.stop();
  }
}

/** The wall's main-thread time per update by phase; parse is the socket handlers' time less the store's part. */
function breakdown(m: Measured): Record<string, number> | null {
  const p = m.phases;
  if (!p || m.updates === 0) return null;
  const per = (x: number | undefined) => (x ?? 0) / m.updates;
  return { parse: per((p.handler ?? 0) - (p.store ?? 0)), store: per((p.store ?? 0) + (p.notify ?? 0)), layers: per(p.layers), react: per(p.react), draw: per(p.draw) };
}

/**
 * The GPU process and the compositor's threads (raster included), busy ms per second of the traced window: on
 * llvmpipe the GPU is a CPU thread, and its time per frame is what the page's frames cost beyond the main thread.
 */
const GPU_THREADS = ['CrGpuMain', 'VizCompositorThread', 'Compositor', 'CompositorTileWorker'];
const gpuBusy = (m: Measured): number => GPU_THREADS.reduce((a, k) => a + (m.threadsMsPerSec[k] ?? 0), 0);

const topThreads = (t: Record<string, number>): string =>
  Object.entries(t)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([k, x]) => `${k} ${x.toFixed(0)}`)
    .join(', ');

export async function runFrameRate(o: BenchOptions, log: (s: string) => void): Promise<PartOutcome> {
  const t0 = performance.now();
  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromiumPath)) throw new SkipError(`no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`);
  const dir = mkdtempSync(path.join(tmpdir(), 'ioc-bench-pages-'));
  const figures: Figure[] = [];
  const details: unknown[] = [];
  try {
    const { clientDist, bareDist } = await buildPages(dir, log);
    for (const n of o.frameDevices) {
      const acc: Record<string, number[]> = {};
      const push = (k: string, v: number) => (acc[k] ??= []).push(v);
      for (let run = 0; run < o.runs; run++) {
        const server = new BenchChild('wall server', 'wallServer.ts', [JSON.stringify({ devices: n, clientDist, bareDist })]);
        try {
          const { url, cookie } = await server.waitFor<ChildMessage & { url: string; cookie: string }>('ready', 120_000);
          // The kiosk rotates pages (and map modes): pin the system page, whose map is the devices map.
          const wall = await measurePage(
            `${url}/?page=system&pin=1`,
            cookie,
            `[data-testid="province-map"][data-map-loaded="1"][data-devices="${n}"]`,
            o.frameSec,
            (on) => server.send({ cmd: 'updates', on }),
            false,
          );
          server.send({ cmd: 'updates', on: false });
          const bare = await measurePage(`${url}/bare/?tick=250`, cookie, '#map[data-map-loaded="1"]', o.frameSec, () => {}, true);
          const line = (name: string, x: { loadMs: number; busy: Measured; idle: Measured }) =>
            `    ${name}: loaded in ${(x.loadMs / 1000).toFixed(1)} s; ${x.busy.fps.toFixed(1)} fps, ${x.busy.redrawsPerSec.toFixed(1)} redraws/s, update p95 ${x.busy.updateP95Ms.toFixed(1)} ms (${x.busy.updates} updates), long tasks ${x.busy.longTasksPerSec.toFixed(2)}/s (${x.busy.longTaskMsPerSec.toFixed(0)} ms/s); socket ${x.busy.socketKBPerSec.toFixed(0)} KB/s, alarms per delta ≤ ${(x.busy.alarmBytesMax / 1024).toFixed(1)} KB; idle ${x.idle.fps.toFixed(1)} fps, ${x.idle.redrawsPerSec.toFixed(2)} redraws/s${x.busy.errors.length ? `; page errors: ${x.busy.errors.join(' | ')}` : ''}`;
          log(`  ${n.toLocaleString('en-US')} devices, run ${run + 1}/${o.runs}`);
          log(line('wall', wall));
          const split = breakdown(wall.busy);
          if (split) log(`      per update (ms): ${Object.entries(split).map(([k, x]) => `${k} ${x.toFixed(2)}`).join(', ')}`);
          log(`      threads (ms/s): ${topThreads(wall.busy.threadsMsPerSec)}`);
          log(line('bare', bare));
          log(`      threads (ms/s): ${topThreads(bare.busy.threadsMsPerSec)}`);
          push('wallFps', wall.busy.fps);
          push('bareFps', bare.busy.fps);
          push('ratio', bare.busy.fps > 0 ? wall.busy.fps / bare.busy.fps : NaN);
          push('wallP95', wall.busy.updateP95Ms);
          push('bareP95', bare.busy.updateP95Ms);
          push('wallLong', wall.busy.longTasksPerSec);
          push('wallIdle', wall.idle.redrawsPerSec);
          push('wallIdleFps', wall.idle.fps);
          push('bareIdleFps', bare.idle.fps);
          push('wallRedraws', wall.busy.redrawsPerSec);
          push('redrawRatio', bare.busy.redrawsPerSec > 0 ? wall.busy.redrawsPerSec / bare.busy.redrawsPerSec : NaN);
          push('wallUpdates', wall.busy.updates / wall.busy.seconds);
          push('wallSocket', wall.busy.socketKBPerSec);
          for (const [k, x] of Object.entries(split ?? {})) push(`split:${k}`, x);
          push('gpuBusy', gpuBusy(wall.busy));
          push('bareGpuBusy', gpuBusy(bare.busy));
          push('gpuPerFrame', wall.busy.fps > 0 ? gpuBusy(wall.busy) / wall.busy.fps : NaN);
          push('bareGpuPerFrame', bare.busy.fps > 0 ? gpuBusy(bare.busy) / bare.busy.fps : NaN);
          push('alarmMax', wall.busy.alarmBytesMax / 1024);
          push('alarmMean', wall.busy.alarmBytesMean / 1024);
          details.push({ devices: n, run, wall, bare });
        } finally {
          await server.stop();
        }
      }
      const label = `${n.toLocaleString('en-US')} devices`;
      const v = (k: string) => acc[k] ?? [];
      figures.push(figure('framerate', `wall fps, ${label}`, 'fps', v('wallFps'), `${o.frameSec} s, llvmpipe, 1920×1080, 1 % offline flips per tick`));
      figures.push(figure('framerate', `bare page fps, ${label}`, 'fps', v('bareFps')));
      figures.push(figure('framerate', `wall / bare fps, ${label}`, 'ratio', v('ratio'), 'target ≥ 80 %'));
      figures.push(figure('framerate', `wall update p95, ${label}`, 'ms', v('wallP95'), 'main thread: message + next frame; target ≤ 8 ms at 100k'));
      figures.push(figure('framerate', `bare update p95, ${label}`, 'ms', v('bareP95')));
      figures.push(figure('framerate', `wall deltas handled, ${label}`, '/s', v('wallUpdates'), 'the server sends one per tick (4/s)'));
      figures.push(figure('framerate', `wall socket in, ${label}`, 'KB/s', v('wallSocket'), 'deltas as received; target ≤ 1.5 MB/s at 100k'));
      for (const k of ['parse', 'store', 'layers', 'react', 'draw']) {
        figures.push(figure('framerate', `wall per update: ${k}, ${label}`, 'ms', v(`split:${k}`), k === 'parse' ? 'main thread, mean per delta (client/perf/phases.ts)' : ''));
      }
      figures.push(figure('framerate', `wall GPU and raster busy, ${label}`, 'ms/s', v('gpuBusy'), `GPU process and compositor threads, traced; bare page: ${v('bareGpuBusy').map((x) => x.toFixed(0)).join(', ')} ms/s`));
      figures.push(figure('framerate', `wall GPU and raster per frame, ${label}`, 'ms', v('gpuPerFrame'), `bare page: ${v('bareGpuPerFrame').map((x) => x.toFixed(1)).join(', ')} ms`));
      figures.push(figure('framerate', `alarm part of a delta, largest, ${label}`, 'KB', v('alarmMax'), 'the alarm changes\' JSON; target ≤ 10 KB during the storm'));
      figures.push(figure('framerate', `alarm part of a delta, mean, ${label}`, 'KB', v('alarmMean')));
      figures.push(figure('framerate', `wall redraws, ${label}`, '/s', v('wallRedraws'), 'frames that drew; at most one per delta'));
      figures.push(figure('framerate', `wall / bare redraws, ${label}`, 'ratio', v('redrawRatio'), 'the map kept up with the changes'));
      figures.push(figure('framerate', `wall long tasks, ${label}`, '/s', v('wallLong')));
      figures.push(figure('framerate', `wall redraws when idle, ${label}`, '/s', v('wallIdle'), 'target 0'));
      figures.push(figure('framerate', `wall fps when idle, ${label}`, 'fps', v('wallIdleFps'), `bare page idle: ${v('bareIdleFps').map((x) => x.toFixed(0)).join(', ')} fps`));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { part: 'framerate', status: 'ok', seconds: (performance.now() - t0) / 1000, figures, details };
}
