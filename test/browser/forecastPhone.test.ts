/**
 * Issue 17 on the phone and the wall's air page. The app runs on a test clock with a reading store holding ten
 * days of every air station's readings (so tomorrow's air forecast is warmed, verified and rated at start); then
 * 20 hours of a river wave between BĐ I and above BĐ II are published tick by tick beside live air readings, so
 * the river model learns and, on a rise, forecasts BĐ II: a real forecast alarm. A real browser at 390×844 shows
 * that alarm first, with its expected time, and tomorrow's air bands; the wall's air page shows each station's
 * band for tomorrow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { Browser, BrowserContext } from 'playwright-core';
import { topicFor } from '../../shared/mqtt';
import type { Device } from '../../shared/devices';
import type { App } from '../../server/app';
import { openSqliteReadingStore } from '../../server/store/readings/sqliteEngine';
import type { Reading } from '../../server/store/readings/port';
import { loadProvince } from '../../server/provinces/load';
import { connectMqtt, startTestApp, waitFor } from '../support/harness';
import { CLIENT_DIST, ensureClientBuilt, launchBrowser, screenshot, signedInContext, watchErrors } from './support';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Station k's PM2.5: its own level (15–150 µg/m³ over the stations, so every band but the worst shows) and a daily wave. */
function pm25(k: number, n: number, t: number): number {
  const level = 15 + (135 * k) / Math.max(1, n - 1);
  const localHour = ((t + 7 * HOUR) % DAY) / HOUR;
  return Math.round((level * (1 + 0.25 * Math.sin((2 * Math.PI * (localHour - 14)) / 24))) * 10) / 10;
}

describe('forecasts on the phone and the air page', () => {
  let app: App;
  let pub: MqttClient;
  let browser: Browser;
  let context: BrowserContext;
  // 07:00 on Saturday 05/12/2026 in Asia/Ho_Chi_Minh.
  let clock = Date.UTC(2026, 11, 5, 0, 0, 0);

  beforeAll(async () => {
    ensureClientBuilt();
    const store = await openSqliteReadingStore({ file: ':memory:' });
    // The shipped province: its air stations' last ten days.
    const province = loadProvince('quang-ngai');
    const air = province.registry.devices.filter((d: Device) => d.type === 'air');
    const batch: Reading[] = [];
    for (let t = clock - 10 * DAY; t < clock; t += 20 * MIN) {
      air.forEach((d, k) => {
        const v = pm25(k, air.length, t);
        batch.push({ deviceId: d.id, type: 'air', ts: t, values: { pm25: v, pm10: Math.round(v * 16) / 10 } });
      });
    }
    for (let k = 0; k < batch.length; k += 20_000) await store.append(batch.slice(k, k + 20_000));
    app = await startTestApp({ tickMs: 600_000, clientDist: CLIENT_DIST }, { now: () => clock, readingStore: store, province });
    pub = await connectMqtt(app.mqttUrl, { clientId: 'forecast-phone' });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await pub?.endAsync(true);
    await app?.close();
  });

  it('lists the forecast alarm first with its expected time, the river by forecast time, and tomorrow’s air bands', { timeout: 180_000 }, async () => {
    const devices = app.province.registry.devices;
    const basin = app.province.basins.find((b) => b.upstream.length === 0)!;
    const gauge = devices.find((d) => d.id === basin.gaugeId)!;
    const gi = devices.indexOf(gauge);
    const bd1 = Number(gauge.props?.bd1);
    const bd2 = Number(gauge.props?.bd2);
    // An 8-hour wave from 0.3 m under BĐ I to 0.3 m over BĐ II.
    const mid = (bd1 + bd2) / 2;
    const amp = (bd2 - bd1) / 2 + 0.3;
    const start = clock;
    const level = (t: number) => mid + amp * Math.sin((2 * Math.PI * (t - start)) / (8 * HOUR));
    // Stop on a rise, between BĐ I and II, about an hour before the river reaches BĐ II (sin = (bd2 − mid)/amp).
    const crossPhase = Math.asin((bd2 - mid) / amp) / (2 * Math.PI);
    const stop = start + 16 * HOUR + Math.round((crossPhase * 8 * HOUR - HOUR) / (10 * MIN)) * 10 * MIN;
    const air = devices.map((d, i) => ({ d, i })).filter((x) => x.d.type === 'air');
    let published = start - 5 * MIN;
    while (clock < stop) {
      clock += 10 * MIN;
      for (let ts = published + 5 * MIN; ts <= clock; ts += 5 * MIN) {
        pub.publish(topicFor('hydro', gauge.id, 'telemetry'), JSON.stringify({ ts, waterLevel: Math.round(level(ts) * 100) / 100 }), { qos: 0 });
        published = ts;
      }
      air.forEach(({ d }, k) => {
        const v = pm25(k, air.length, clock);
        pub.publish(topicFor('air', d.id, 'telemetry'), JSON.stringify({ ts: clock, pm25: v, pm10: Math.round(v * 16) / 10 }), { qos: 0 });
      });
      await pub.publishAsync('ioc/v1/flush', '{}', { qos: 1 });
      await waitFor('ingested', () => app.table.lastSeen[gi] === clock && app.table.lastSeen[air.at(-1)!.i] === clock, 10_000);
      app.tick();
    }
    const open = app.alarms.snapshot().open;
    const forecastAlarm = open.find((a) => a.ruleId === 'river-forecast-stage' && a.source === gauge.id);
    expect(forecastAlarm?.conditionActive).toBe(true);
    expect(open.some((a) => a.ruleId === 'river-stage' && a.source === gauge.id)).toBe(true);
    expect(level(clock)).toBeGreaterThan(bd1);
    expect(level(clock)).toBeLessThan(bd2);

    context = await signedInContext(browser, app, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'vi-VN' });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${app.url}/m`);
    const first = page.getByTestId('m-alarm').first();
    await first.waitFor({ timeout: 20_000 });
    // The forecast alarm first, above the river's observed (more severe) alarm.
    expect(await first.getAttribute('data-forecast')).toBe('1');
    const title = (await first.getByTestId('m-forecast-alarm-title').textContent()) ?? '';
    expect(title).toMatch(/^Dự báo vượt BĐ (I|II|III) lúc \d\d:\d\d \(còn \d+ (giờ|phút)( \d+ phút)?\)$/);
    const ahead = page.getByTestId('m-river-ahead').first();
    await expect.poll(() => ahead.getAttribute('data-gauge'), { timeout: 20_000 }).toBe(String(gi));
    expect(await ahead.textContent()).toMatch(/BĐ II.*lúc \d\d:\d\d \(còn/);
    const card = page.getByTestId('m-air-tomorrow');
    expect(await card.locator('h3').textContent()).toBe('Không khí ngày mai · Chủ Nhật 06/12');
    const bands = await card.getByTestId('m-air-tomorrow-bands').locator('li').allTextContents();
    expect(bands.length).toBeGreaterThanOrEqual(4);
    expect(await card.getByTestId('m-air-tomorrow-note').textContent()).toMatch(/^Dự báo lúc \d\d:00 · 7 ngày qua: sai số ±\d+ AQI · đúng mức \d+ %$/);
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'phone-forecasts-390x844');
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'phone-air-tomorrow-390x844');
    expect(errors).toEqual([]);

    const wall = await context.browser()!.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'vi-VN' });
    try {
      const cookies = await context.cookies();
      await wall.addCookies(cookies);
      const wp = await wall.newPage();
      const werrors = watchErrors(wp);
      await wp.goto(`${app.url}/`);
      await wp.locator('[data-testid="page-tabs"] button[data-page="air"]').click();
      const rows = wp.getByTestId('aqi-tomorrow-row');
      await rows.first().waitFor({ timeout: 20_000 });
      expect(await wp.getByTestId('aqi-tomorrow').locator('h2').textContent()).toMatch(/^Dự báo ngày mai · Chủ Nhật 06\/12/);
      expect(await wp.getByTestId('aqi-tomorrow-note').textContent()).toMatch(/^Lúc \d\d:00 · AQI ngày từ TB 24 giờ PM2\.5, PM10 · 7 ngày qua: sai số ±\d+ AQI · đúng mức \d+ %$/);
      // Worst first: the first row's band is the worst of the counts.
      const counts = (await wp.getByTestId('tomorrow-count').allTextContents()).map(Number);
      const worstBand = counts.reduce((w, c, k) => (c > 0 ? k + 1 : w), 0);
      expect(await rows.first().getAttribute('data-band')).toBe(String(worstBand));
      expect(counts.reduce((a, b) => a + b, 0)).toBe(air.length);
      await screenshot(wp, 'wall-air-tomorrow-1920x1080');
      expect(werrors).toEqual([]);
    } finally {
      await wall.close();
    }
  });
});
