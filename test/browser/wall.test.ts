/**
 * The wall at `/` in real Chromium against the real app (embedded broker + simulator fleet):
 * the province is drawn, every registered device is counted and drawn, the rate moves, and a
 * server restart is shown as stale data and then resumed without a page reload.
 */
import { authFetch } from '../support/session';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { MAP_COLORS } from '../../client/map/colors';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import {
  ensureClientBuilt,
  launchBrowser,
  mapPixelStats,
  parseViInt,
  parseViNumber,
  screenshot,
  startApp,
  waitFor,
  watchErrors,
  type TestApp,
  signedInContext,
} from './support';

const BACKGROUND = [MAP_COLORS.sea, MAP_COLORS.land, MAP_COLORS.neighbourFill];

describe('wall view', () => {
  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let registrySize: number;
  const timings: Record<string, number> = {};
  // On disk: the restart test reopens the same stores, sessions included.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ioc-wall-'));

  beforeAll(async () => {
    timings.build = ensureClientBuilt().ms;
    let t = Date.now();
    [app, browser] = await Promise.all([startApp(0, dataDir), launchBrowser()]);
    timings.startAppAndBrowser = Date.now() - t;
    const res = await authFetch(`${app.url}/api/devices`);
    registrySize = ((await res.json()) as { devices: unknown[] }).devices.length;
    context = await signedInContext(browser, app, { viewport: { width: 1920, height: 1080 } });
    page = await context.newPage();
    errors = watchErrors(page);
    t = Date.now();
    // The system page: the map shows every device (the environment and traffic pages are wallEnv.test.ts).
    await page.goto(`${app.url}/?page=system&rotate=0`);
    await page.locator('[data-testid="province-map"][data-map-loaded="1"]').waitFor({ timeout: 60_000 });
    timings.mapLoaded = Date.now() - t;
  });

  afterAll(async () => {
    console.log('wall timings (ms):', timings);
    await context?.close();
    await browser?.close();
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows every registered device, online, on the map and in the counts', async () => {
    expect(registrySize).toBeGreaterThan(2000);
    const t = Date.now();
    const online = await waitFor(
      async () => parseViInt(await page.getByTestId('online-count').textContent()),
      (n) => n >= registrySize * 0.95,
      60_000,
      'the online count to reach 95 % of the registry',
    );
    timings.onlineReached = Date.now() - t;
    expect(online).toBeLessThanOrEqual(registrySize);
    expect(parseViInt(await page.getByTestId('device-total').textContent())).toBe(registrySize);
    await expect
      .poll(async () => Number(await page.getByTestId('province-map').getAttribute('data-devices')), { timeout: 10_000 })
      .toBe(registrySize);
    // The per-type table adds up to the same registry.
    const perType = await page.locator('[data-testid="type-counts"] tbody td.num .of').allTextContents();
    expect(perType).toHaveLength(6);
    expect(perType.reduce((n, s) => n + parseViInt(s.replace('/', '')), 0)).toBe(registrySize);
  });

  it('draws the province, not a blank canvas, with commune names', async () => {
    const map = page.getByTestId('province-map');
    // Names are placed clear of each other and of the panels over the map (switcher, legend, attribution).
    await expect.poll(async () => Number(await map.getAttribute('data-labels')), { timeout: 20_000 }).toBeGreaterThan(20);
    // Let deck.gl draw the label atlas and the dots.
    await page.waitForTimeout(1_000);
    const stats = await mapPixelStats(page, map, { background: BACKGROUND, province: MAP_COLORS.communeFill });
    expect(stats.total).toBeGreaterThan(500_000);
    expect(stats.province / stats.total).toBeGreaterThan(0.15);
    expect(stats.foreground / stats.total).toBeGreaterThan(0.25);
    expect(stats.colours).toBeGreaterThan(100);
    expect(await page.getByTestId('attribution').textContent()).toContain('vietnamese-provinces-database');
    expect(await page.locator('h1').textContent()).toBe('Tỉnh Quảng Ngãi');
    expect(await page.getByTestId('connection').textContent()).toBe('Trực tuyến');
    await screenshot(page, 'wall-1920x1080');
  });

  it('shows a message rate that changes over time, and a chart that fills', async () => {
    const first = parseViNumber(await page.getByTestId('rate').textContent());
    const accepted0 = parseViInt(await page.getByTestId('accepted-total').textContent());
    const second = await waitFor(
      async () => parseViNumber(await page.getByTestId('rate').textContent()),
      (v) => v !== first,
      20_000,
      'the displayed rate to change',
    );
    expect(Number.isFinite(second)).toBe(true);
    expect(second).toBeGreaterThan(0);
    await expect
      .poll(async () => parseViInt(await page.getByTestId('accepted-total').textContent()), { timeout: 10_000 })
      .toBeGreaterThan(accepted0);
    await expect
      .poll(async () => Number(await page.getByTestId('rate-chart').getAttribute('data-points')), { timeout: 10_000 })
      .toBeGreaterThan(2);
  });

  it('has no page errors', () => {
    expect(errors).toEqual([]);
  });

  it('asks for a reload when the server refuses the client protocol version', async () => {
    const ctx = await signedInContext(browser, app, { viewport: { width: 1920, height: 1080 } });
    try {
      const p = await ctx.newPage();
      // Pose as an older build: rewrite the version in the Socket.IO CONNECT packet on its way to
      // the real server, which must refuse it with PROTOCOL_MISMATCH.
      const sent = `"protocolVersion":${PROTOCOL_VERSION}`;
      let rewritten = 0;
      // Only the WebSocket is rewritten: were the client to fall back to long-polling (a slow
      // first handshake under load), it would get through unmodified, so polling is refused here.
      await p.route(/\/socket\.io\/.*transport=polling/, (route) => route.abort());
      await p.routeWebSocket(/\/socket\.io\//, (ws) => {
        const server = ws.connectToServer();
        ws.onMessage((msg) => {
          if (typeof msg === 'string' && msg.startsWith('40') && msg.includes(sent)) {
            rewritten++;
            server.send(msg.replace(sent, `"protocolVersion":${PROTOCOL_VERSION - 1}`));
          } else server.send(msg);
        });
      });
      const t = Date.now();
      await p.goto(`${app.url}/`);
      const dialog = p.getByTestId('protocol-mismatch');
      await dialog.waitFor({ timeout: 60_000 });
      timings.mismatchShown = Date.now() - t;
      expect(rewritten).toBeGreaterThan(0);
      expect(await dialog.locator('h2').textContent()).toBe('Phiên bản đã cũ — hãy tải lại trang');
      expect(await dialog.getByRole('button').textContent()).toBe('Tải lại trang');
      expect(await p.getByTestId('connection').getAttribute('data-status')).toBe('mismatch');
      await screenshot(p, 'wall-protocol-mismatch-1920x1080');
    } finally {
      await ctx.close();
    }
  });

  it('marks the data stale when the server goes away and resumes by itself when it is back', async () => {
    const port = new URL(app.url).port;
    const t = Date.now();
    await app.close();
    const badge = page.getByTestId('connection');
    await expect.poll(() => badge.getAttribute('data-status'), { timeout: 15_000 }).toBe('offline');
    expect(await badge.textContent()).toMatch(/^Mất kết nối — dữ liệu cũ từ \d\d:\d\d:\d\d$/);
    await screenshot(page, 'wall-stale-1920x1080');
    // Same address, new process state: the page must resubscribe without a reload.
    const marker = await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = Math.random()));
    app = await startApp(Number(port), dataDir);
    await expect.poll(() => badge.getAttribute('data-status'), { timeout: 30_000 }).toBe('online');
    timings.resume = Date.now() - t;
    expect(await page.evaluate(() => (window as unknown as { __marker: number }).__marker)).toBe(marker);
    const before = parseViInt(await page.getByTestId('accepted-total').textContent());
    await expect
      .poll(async () => parseViInt(await page.getByTestId('accepted-total').textContent()), { timeout: 15_000 })
      .not.toBe(before);
  });

  it('scales to a 3840×2160 wall', async () => {
    const big = await signedInContext(browser, app, { viewport: { width: 3840, height: 2160 } });
    try {
      const p = await big.newPage();
      const errs = watchErrors(p);
      const t = Date.now();
      await p.goto(`${app.url}/?page=system&rotate=0`);
      await p.locator('[data-testid="province-map"][data-map-loaded="1"]').waitFor({ timeout: 90_000 });
      await waitFor(
        async () => parseViInt(await p.getByTestId('online-count').textContent()),
        (n) => n >= registrySize * 0.95,
        60_000,
        'the online count at 4K',
      );
      await expect.poll(async () => Number(await p.getByTestId('province-map').getAttribute('data-labels')), { timeout: 30_000 }).toBeGreaterThan(20);
      await p.waitForTimeout(1_500);
      timings.fourK = Date.now() - t;
      // Type follows the screen: the province name is twice as tall as at 1920×1080.
      const h1 = await p.locator('h1').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      expect(h1).toBeGreaterThan(70);
      const noOverflow = await p.evaluate(() => document.documentElement.scrollWidth <= 3840 && document.documentElement.scrollHeight <= 2160);
      expect(noOverflow).toBe(true);
      const stats = await mapPixelStats(p, p.getByTestId('province-map'), { background: BACKGROUND, province: MAP_COLORS.communeFill });
      expect(stats.province / stats.total).toBeGreaterThan(0.15);
      await screenshot(p, 'wall-3840x2160');
      expect(errs).toEqual([]);
    } finally {
      await big.close();
    }
  });
});
