/**
 * The phone view at `/m`, at 390×844 with touch, against the real app: cards with the live
 * counts, a compact map that actually draws the province, the offline lists, no sideways scroll.
 */
import { authFetch } from '../support/session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { MAP_COLORS } from '../../client/map/colors';
import {
  ensureClientBuilt,
  launchBrowser,
  mapPixelStats,
  parseViInt,
  parseViNumber,
  SCREENSHOTS,
  startApp,
  waitFor,
  watchErrors,
  type TestApp,
  signedInContext,
} from './support';
import { controlRiver } from './alarmsSupport';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

const WIDTH = 390;
const HEIGHT = 844;

describe('mobile view', () => {
  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let registrySize: number;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    timings.build = ensureClientBuilt().ms;
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
    const res = await authFetch(`${app.url}/api/devices`);
    registrySize = ((await res.json()) as { devices: unknown[] }).devices.length;
    context = await signedInContext(browser, app, {
      viewport: { width: WIDTH, height: HEIGHT },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'vi-VN',
    });
    page = await context.newPage();
    errors = watchErrors(page);
    const t = Date.now();
    await page.goto(`${app.url}/m`);
    await page.locator('[data-testid="province-map"][data-map-loaded="1"]').waitFor({ timeout: 60_000 });
    timings.mapLoaded = Date.now() - t;
  });

  afterAll(async () => {
    console.log('mobile timings (ms):', timings);
    await context?.close();
    await browser?.close();
    await app?.close();
  });

  it('shows the key counts as cards, reaching the registry size', async () => {
    await expect.poll(() => page.getByTestId('m-cards').isVisible()).toBe(true);
    const online = await waitFor(
      async () => parseViInt(await page.getByTestId('online-count').textContent()),
      (n) => n >= registrySize * 0.95,
      60_000,
      'the online count to reach 95 % of the registry',
    );
    expect(online).toBeLessThanOrEqual(registrySize);
    expect(parseViInt(await page.getByTestId('device-total').textContent())).toBe(registrySize);
    const offline = parseViInt(await page.getByTestId('offline-count').textContent());
    expect(offline).toBe(registrySize - parseViInt(await page.getByTestId('online-count').textContent()));
    expect(await page.getByTestId('connection').textContent()).toBe('Trực tuyến');
    const first = parseViNumber(await page.getByTestId('rate').textContent());
    await waitFor(async () => parseViNumber(await page.getByTestId('rate').textContent()), (v) => v !== first, 20_000, 'the rate to change');
  });

  it('draws the province on a compact map of the monitoring stations', async () => {
    const map = page.getByTestId('province-map');
    const box = await map.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.width).toBeGreaterThan(WIDTH * 0.8);
    expect(box!.width).toBeLessThanOrEqual(WIDTH);
    expect(box!.height).toBeGreaterThan(200);
    // The phone map leaves out the 2,000 bulk IoT devices: stations only.
    const drawn = Number(await map.getAttribute('data-devices'));
    expect(drawn).toBeGreaterThan(200);
    expect(drawn).toBeLessThan(registrySize);
    await page.waitForTimeout(500);
    const stats = await mapPixelStats(page, map, {
      background: [MAP_COLORS.sea, MAP_COLORS.land, MAP_COLORS.neighbourFill],
      province: MAP_COLORS.communeFill,
    });
    expect(stats.province / stats.total).toBeGreaterThan(0.1);
    expect(stats.foreground / stats.total).toBeGreaterThan(0.2);
    expect(stats.colours).toBeGreaterThan(50);
  });

  it('lists offline devices by type and does not scroll sideways', async () => {
    expect(await page.getByTestId('m-offline-by-type').locator('li').count()).toBe(6);
    const overflow = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      bodyScrollWidth: document.body.scrollWidth,
    }));
    expect(overflow.scrollWidth).toBeLessThanOrEqual(WIDTH);
    expect(overflow.bodyScrollWidth).toBeLessThanOrEqual(WIDTH);
    // Touch targets in the lists are at least 44 px tall.
    const heights = await page.locator('.m-types li').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
    for (const h of heights) expect(h).toBeGreaterThanOrEqual(44);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'mobile-390x844.png') });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'mobile-390x844-full.png'), fullPage: true });
  });

  it('puts the alarms first, then the environment and traffic as phone cards', async () => {
    // The alarm list's slot comes before everything else below the header.
    const order = await page.evaluate(() => {
      const at = (sel: string) => {
        const el = document.querySelector(sel);
        return el ? el.getBoundingClientRect().top + window.scrollY : -1;
      };
      return [at('.m-alarm-slot'), at('[data-testid="m-env"]'), at('[data-testid="m-traffic"]'), at('[data-testid="m-cards"]')];
    });
    expect(order.every((y) => y >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const aqi = page.getByTestId('m-aqi');
    await expect.poll(() => aqi.locator('.m-band-list li').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    const names = await aqi.locator('.m-band-list li').allTextContents();
    for (const n of names) expect(n).toMatch(/^(Tốt|Trung bình|Kém|Xấu|Rất xấu|Nguy hại) \d+$/);
    // The pinned calm hour: no river at BĐ I, so no flood line above the alarms.
    expect(await page.getByTestId('m-rivers').locator('.m-count-big').textContent()).toBe('0');
    expect(await page.getByTestId('m-river-alert').count()).toBe(0);
    for (const id of ['m-rivers', 'm-water', 'm-rain', 'm-incidents', 'm-violations']) {
      const card = page.getByTestId(id);
      expect(await card.isVisible(), id).toBe(true);
      expect(await card.locator('.m-count-big').textContent(), id).toMatch(/^\d+(\.\d{3})*$/);
    }
    // Cards fill the phone's width, in one column, with no sideways scroll.
    const widths = await page.locator('.m-env-card').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
    for (const w of widths) expect(w).toBeGreaterThan(WIDTH * 0.85);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(WIDTH);
    // Plates never reach the phone, masked or not.
    expect(await page.evaluate(() => document.body.innerText)).not.toMatch(/\b[1-9]\d(?:[A-Z]{1,2}-|-[A-ZĐ]{1,2}\d? )/u);
    mkdirSync(SCREENSHOTS, { recursive: true });
    // Scrolled like a thumb would: the section's heading just under the sticky header.
    const scrollTo = (id: string) =>
      page.evaluate((id) => {
        const header = document.querySelector('.m-header')!.getBoundingClientRect().height;
        const el = document.querySelector(`[data-testid="${id}"]`)!;
        window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - header - 8);
      }, id);
    await scrollTo('m-env');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'mobile-390x844-environment.png') });
    await scrollTo('m-traffic');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'mobile-390x844-traffic.png') });
  });

  it('in a flood, names the rivers at BĐ II and III in one line above the alarm cards, and one tap shows the rivers card', async () => {
    const [trakhuc, songVe] = await Promise.all([controlRiver(app, 'Trà Khúc'), controlRiver(app, 'Sông Vệ')]);
    try {
      await trakhuc.hold(7.86);
      await songVe.hold(4.02);
      expect([trakhuc.bd[2] < 7.86, songVe.bd[1] < 4.02 && 4.02 < songVe.bd[2]]).toEqual([true, true]);
      await page.evaluate(() => window.scrollTo(0, 0));
      const line = page.getByTestId('m-river-alert');
      await expect
        .poll(() => line.textContent(), { timeout: 20_000 })
        .toMatch(/^⚠ 2 sông trên BĐ II: Trà Khúc BĐ III 7,86 m( [↑↓])?\s· Sông Vệ BĐ II 4,02 m( [↑↓])?›$/);
      // Both rivers raise alarms: the line stays above the first alarm card, in the first screen, thumb-sized.
      const firstAlarm = page.locator('[data-testid="m-alarm"]').first();
      await firstAlarm.waitFor({ timeout: 20_000 });
      const lineBox = (await line.boundingBox())!;
      expect(lineBox.y + lineBox.height).toBeLessThanOrEqual((await firstAlarm.boundingBox())!.y);
      expect(lineBox.y + lineBox.height).toBeLessThanOrEqual(HEIGHT);
      expect(lineBox.height).toBeGreaterThanOrEqual(44);
      expect(lineBox.width).toBeGreaterThan(WIDTH * 0.85);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(WIDTH);
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, 'mobile-390x844-flood-line.png') });
      await line.tap();
      const riversPlace = () =>
        page.getByTestId('m-rivers').evaluate((el) => {
          const top = el.getBoundingClientRect().top;
          const header = document.querySelector('.m-header')!.getBoundingClientRect().bottom;
          return top >= header - 1 && top < window.innerHeight / 3 ? 'under the header' : `at ${Math.round(top)} (header ends at ${Math.round(header)})`;
        });
      await expect.poll(riversPlace, { timeout: 5_000 }).toBe('under the header');
      expect(await page.getByTestId('m-rivers').textContent()).toContain('Sông Vệ');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'mobile-390x844-rivers-from-flood-line.png') });
    } finally {
      await Promise.all([trakhuc.stop(), songVe.stop()]);
    }
  });

  it('tells the last 24 hours from the stored history: the alarms raised and each river\u2019s peak', async () => {
    // After the flood above: a fresh page reads the history API (the card refreshes every five minutes).
    await page.reload();
    const rivers = page.getByTestId('m-day-rivers');
    await rivers.waitFor({ timeout: 20_000 });
    const first = rivers.locator('li').first();
    expect(await first.textContent()).toMatch(/^BĐ IIITrà Khúc · sông Trà Khúcđỉnh 7,86 m trong giờ \d\d:00–\d\d:00/);
    const alarms = page.getByTestId('m-day-alarms');
    expect(Number(await alarms.locator('.m-count-big').textContent())).toBeGreaterThanOrEqual(2);
    expect(await alarms.textContent()).toContain('khẩn cấp');
    await page.getByTestId('m-last24h').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'mobile-390x844-last-24h.png') });
  });

  it('has no page errors', () => {
    expect(errors).toEqual([]);
  });
});
