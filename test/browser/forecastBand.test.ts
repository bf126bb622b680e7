/**
 * Issue 17: the wall draws a gauge's forecast ahead of now, with its prediction band, on the hydrograph. The app
 * runs on a test clock; 28 hours of a river (a smooth rise and fall) are published tick by tick so the model
 * learns, verifies and earns an interval at every lead; then a real browser opens the
 * river page and the chart has the forecast line, the band, and the note of when it was made and its error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { Browser, BrowserContext } from 'playwright-core';
import { topicFor } from '../../shared/mqtt';
import type { App } from '../../server/app';
import { connectMqtt, startTestApp, waitFor } from '../support/harness';
import { CLIENT_DIST, ensureClientBuilt, launchBrowser, screenshot, signedInContext, watchErrors } from './support';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('the forecast band on the hydrograph', () => {
  let app: App;
  let pub: MqttClient;
  let browser: Browser;
  let context: BrowserContext;
  let clock = Date.UTC(2026, 10, 23, 0, 0, 0);

  beforeAll(async () => {
    ensureClientBuilt();
    app = await startTestApp({ tickMs: 600_000, clientDist: CLIENT_DIST }, { now: () => clock });
    pub = await connectMqtt(app.mqttUrl, { clientId: 'forecast-band' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await pub?.endAsync(true);
    await app?.close();
  });

  it('draws the forecast ahead of now with its band, and says when it was made and its recent error', { timeout: 120_000 }, async () => {
    const devices = app.province.registry.devices;
    // A gauge without upstream gauges: its model learns from its own levels alone (an upstream gauge that is
    // silent would keep its pairs from being learnt).
    const basin = app.province.basins.find((b) => b.upstream.length === 0)!;
    const gauge = devices.find((d) => d.id === basin.gaugeId)!;
    const i = devices.indexOf(gauge);
    const bd1 = Number(gauge.props?.bd1);
    // A slow wave, above BĐ I so the river page charts it.
    const level = (t: number) => bd1 + 0.5 + 0.4 * Math.sin((2 * Math.PI * t) / (8 * HOUR));
    const start = clock;
    let published = start - 5 * MIN;
    // 28 hours, ten minutes a tick: readings every 5 min up to the clock, then the tick (forecasts issue, verify).
    while (clock < start + 28 * HOUR) {
      clock += 10 * MIN;
      for (let ts = published + 5 * MIN; ts <= clock; ts += 5 * MIN) {
        pub.publish(topicFor('hydro', gauge.id, 'telemetry'), JSON.stringify({ ts, waterLevel: Math.round(level(ts) * 100) / 100 }), { qos: 0 });
        published = ts;
      }
      await pub.publishAsync('ioc/v1/flush', '{}', { qos: 1 });
      await waitFor('ingested', () => app.table.lastSeen[i] === clock, 10_000);
      app.tick();
    }

    context = await signedInContext(browser, app, { viewport: { width: 1920, height: 1080 }, locale: 'vi-VN' });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${app.url}/`);
    await page.locator('[data-testid="page-tabs"] button[data-page="hydro"]').click();
    const chart = page.locator(`[data-testid="hydrograph"]`).first();
    await chart.waitFor({ timeout: 20_000 });
    const box = page.locator('.gauge', { hasText: String(gauge.props?.station ?? gauge.name) }).first();
    const hydro = box.getByTestId('hydrograph');
    await expect.poll(() => hydro.getAttribute('data-forecast-points'), { timeout: 20_000 }).toBe('7');
    await expect.poll(() => hydro.getAttribute('data-band-points'), { timeout: 20_000 }).toBe('7');
    const note = (await box.getByTestId('forecast-note').textContent()) ?? '';
    expect(note).toMatch(/^Dự báo lúc \d\d:\d\d · sai số 6 giờ qua ±\d+ cm \(\d giờ tới\)$/);
    await screenshot(page, 'wall-forecast-band-1920x1080');
    expect(errors).toEqual([]);
  });
});
