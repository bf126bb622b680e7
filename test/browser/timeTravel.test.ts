/**
 * The wall's time machine (issue 13 point 3) in real Chromium against the real app: after the fleet has run
 * a while, the wall is put at an instant of the past; what it shows is that instant's history snapshot
 * (fetched here too, to compare), under the amber banner, with the clock stopped at the instant; it plays
 * forward; L brings it back to live and the banner goes. Screenshots of the past at 1920×1080 and 3840×2160
 * go to test/screenshots/timeslider-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { authFetch } from '../support/session';
import { SCREENSHOTS, ensureClientBuilt, launchBrowser, parseViInt, signedInContext, startApp, waitFor, watchErrors, type TestApp } from './support';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

interface Snapshot {
  at: number;
  counts: Record<string, { total: number; online: number }>;
  alarms?: { openTotal: number };
  historic: { at: number };
}

const hm = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** Moves the slider to `msAgo` before its live end (the server's now), as a pointer would. */
async function seekAgo(page: Page, msAgo: number): Promise<void> {
  const slider = page.getByTestId('time-slider');
  const max = Number(await slider.getAttribute('max'));
  await slider.fill(String(Math.round(max - msAgo)));
}

async function shownAt(page: Page): Promise<number> {
  const at = await waitFor(
    async () => Number((await page.getByTestId('past-banner').getAttribute('data-at')) ?? ''),
    (v) => Number.isFinite(v) && v > 0,
    30_000,
    'the banner to show the loaded instant',
  );
  return at;
}

describe('wall time machine', () => {
  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let snapshotRequests = 0;

  beforeAll(async () => {
    ensureClientBuilt();
    [app, browser] = await Promise.all([startApp(0), launchBrowser()]);
    context = await signedInContext(browser, app, { viewport: { width: 1920, height: 1080 } });
    page = await context.newPage();
    errors = watchErrors(page);
    page.on('request', (r) => {
      if (r.url().includes('/api/history/snapshot')) snapshotRequests++;
    });
    await page.goto(`${app.url}/?page=air&rotate=0`);
    await page.locator('[data-testid="province-map"][data-map-loaded="1"]').waitFor({ timeout: 60_000 });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.close();
  });

  it('puts the whole wall at a past instant: its snapshot’s counts, the banner, a stopped clock', async () => {
    // Some seconds of history to look back on.
    await waitFor(async () => parseViInt(await page.getByTestId('online-count').textContent()), (n) => n > 1000, 60_000, 'devices online');
    await page.waitForTimeout(30_000);
    await expect.poll(() => page.getByTestId('time-machine').count()).toBe(0);
    await page.keyboard.press('h');
    await page.getByTestId('time-bar').waitFor();
    expect(await page.getByTestId('past-banner').count()).toBe(0);

    // Far enough back that every reading of that instant is stored (2 cores, a browser drawing in software:
    // ingest may lag seconds behind): the wall's snapshot and the test's must be the same.
    const wallAnswer = page.waitForResponse((r) => r.url().includes('/api/history/snapshot'));
    await seekAgo(page, 25_000);
    const at = await shownAt(page);
    const wallSnap = (await (await wallAnswer).json()) as Snapshot;
    expect(wallSnap.historic.at).toBe(at);
    // One seek, one request.
    expect(snapshotRequests).toBe(1);
    const res = await authFetch(`${app.url}/api/history/snapshot?at=${encodeURIComponent(new Date(at).toISOString())}`);
    expect(res.status).toBe(200);
    const snap = (await res.json()) as Snapshot;
    expect(snap.historic.at).toBe(at);
    const online = Object.values(snap.counts).reduce((n, c) => n + c.online, 0);
    const total = Object.values(snap.counts).reduce((n, c) => n + c.total, 0);
    // The fleet had been reporting for a while: a count of that instant, not of now (nor zero).
    expect(online).toBeGreaterThan(0);
    expect(Object.values(wallSnap.counts).reduce((n, c) => n + c.online, 0)).toBe(online);
    await expect.poll(async () => parseViInt(await page.getByTestId('online-count').textContent()), { timeout: 10_000 }).toBe(online);
    expect(parseViInt(await page.getByTestId('device-total').textContent())).toBe(total);
    // The message rate is not stored: a dash, never a live number under a past banner.
    expect(await page.getByTestId('rate').textContent()).toBe('—');

    const banner = page.getByTestId('past-banner');
    const text = (await banner.textContent()) ?? '';
    expect(text).toContain('ĐANG XEM LẠI');
    expect(text).toContain(hm.format(at));
    expect(text).toContain('nhấn L để về trực tiếp');
    const clock = page.getByTestId('clock');
    expect(await clock.getAttribute('data-mode')).toBe('past');
    expect(Number(await clock.getAttribute('data-at'))).toBe(at);
    expect(await clock.textContent()).toContain('XEM LẠI');
    // The alarms list is the one of that instant (the snapshot carries it), and the bar says so.
    expect(snap.alarms).toBeDefined();
    expect(await page.getByTestId('time-note').textContent()).toContain('những cảnh báo đang mở lúc đó');

    // It stays there: live frames do not creep back in.
    await page.waitForTimeout(3_000);
    expect(parseViInt(await page.getByTestId('online-count').textContent())).toBe(online);
    expect(Number(await banner.getAttribute('data-at'))).toBe(at);
    expect(snapshotRequests).toBe(1);

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'timeslider-1920x1080.png') });

    // A station card's 24 h charts end at the instant shown; Esc closes the card first and leaves the past alone.
    const readings = page.waitForRequest((r) => r.url().includes('/readings?'));
    await page.getByTestId('aqi-worst').locator('.station-row').first().focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('station-card').waitFor({ timeout: 5_000 });
    expect(new URL((await readings).url()).searchParams.get('to')).toBe(new Date(at).toISOString());
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('station-card').count()).toBe(0);
    expect(Number(await banner.getAttribute('data-at'))).toBe(at);
  });

  it('steps with the arrows and plays forward at the chosen speed', async () => {
    const before = Number(await page.getByTestId('past-banner').getAttribute('data-at'));
    // Shift+← is 15 minutes back (clamped to the range, still the past).
    await page.keyboard.press('Shift+ArrowLeft');
    await expect.poll(async () => Number(await page.getByTestId('past-banner').getAttribute('data-at')), { timeout: 15_000 }).toBe(before - 15 * 60_000);
    // ×60 → ×10, then play: the shown instant moves on, at about ten seconds a second.
    await page.keyboard.press('-');
    const shown = async () => Number(await page.getByTestId('past-banner').getAttribute('data-at'));
    const t0 = await shown();
    const started = Date.now();
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId('past-banner').getAttribute('data-state')).toBe('playing');
    // The shown instant moves on by loads (each as slow as the machine makes it): wait for it to pass 10 s
    // further into the past's day, then check it never ran ahead of ten seconds per second.
    await expect.poll(shown, { timeout: 20_000 }).toBeGreaterThan(t0 + 10_000);
    const t1 = await shown();
    expect(t1 - t0).toBeLessThanOrEqual((Date.now() - started) * 10 + 1_000);
    expect(await page.getByTestId('past-banner').textContent()).toContain('×10');
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId('past-banner').getAttribute('data-state')).toBe('paused');
  });

  it('L returns to live: the banner goes, the clock and the counts are live again', async () => {
    await page.keyboard.press('l');
    await expect.poll(() => page.getByTestId('past-banner').count(), { timeout: 15_000 }).toBe(0);
    expect(await page.getByTestId('clock').getAttribute('data-mode')).toBe('live');
    expect(await page.getByTestId('connection').getAttribute('data-status')).toBe('online');
    await expect.poll(async () => (await page.getByTestId('rate').textContent()) ?? '—', { timeout: 10_000 }).not.toBe('—');
    await page.keyboard.press('h');
    await expect.poll(() => page.getByTestId('time-machine').count()).toBe(0);
  });

  it('looks fit for a 4K wall in the past', async () => {
    const big = await signedInContext(browser, app, { viewport: { width: 3840, height: 2160 } });
    try {
      const p = await big.newPage();
      const errs = watchErrors(p);
      await p.goto(`${app.url}/?page=hydro&rotate=0`);
      await p.locator('[data-testid="province-map"][data-map-loaded="1"]').waitFor({ timeout: 90_000 });
      await waitFor(async () => parseViInt(await p.getByTestId('online-count').textContent()), (n) => n > 1000, 60_000, 'devices online at 4K');
      await p.waitForTimeout(1_500);
      // The same page live, to compare with the past below.
      await p.screenshot({ path: path.join(SCREENSHOTS, 'timeslider-live-3840x2160.png') });
      await p.keyboard.press('h');
      await seekAgo(p, 5_000);
      await shownAt(p);
      await p.waitForTimeout(1_500);
      const noOverflow = await p.evaluate(() => document.documentElement.scrollWidth <= 3840 && document.documentElement.scrollHeight <= 2160);
      expect(noOverflow).toBe(true);
      await p.screenshot({ path: path.join(SCREENSHOTS, 'timeslider-3840x2160.png') });
      expect(errs).toEqual([]);
    } finally {
      await big.close();
    }
  });

  it('has no page errors', () => {
    expect(errors).toEqual([]);
  });
});
