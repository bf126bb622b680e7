/**
 * The operator console at /console in real Chromium against the real app: a river gauge published above
 * BĐ III over MQTT becomes a critical alarm on the console; the signed-in operator finds it,
 * opens its history, acknowledges with `a`, assigns with `g`, resolves with `r` (a note is required), and
 * sees every step in the audit log; alarm health shows the acknowledgement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { controlRiver, getAlarm, offlineBurst, waitForAlarm, type RiverControl } from './alarmsSupport';
import { ensureClientBuilt, launchBrowser, screenshot, startApp, watchErrors, type TestApp, signedInContext } from './support';

const OPERATOR = 'Nguyễn Văn An';

describe('operator console', () => {
  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let river: RiverControl;
  let alarmId: number;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    timings.build = ensureClientBuilt().ms;
    let t = Date.now();
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
    timings.startAppAndBrowser = Date.now() - t;
    context = await signedInContext(browser, app, { viewport: { width: 1920, height: 1080 }, locale: 'vi-VN' });
    page = await context.newPage();
    errors = watchErrors(page);
    t = Date.now();
    await page.goto(`${app.url}/console`);
    await page.getByTestId('console').waitFor();
    timings.consoleShown = Date.now() - t;
    river = await controlRiver(app, 'Trà Khúc');
  });

  afterAll(async () => {
    console.log('console timings (ms):', timings);
    await river?.stop();
    await context?.close();
    await browser?.close();
    await app?.close();
  });

  it('acts as the signed-in operator: no name is asked, the header says who', async () => {
    await expect.poll(() => page.getByTestId('user-menu').textContent()).toContain(OPERATOR);
    expect(await page.getByTestId('prompt-dialog').count()).toBe(0);
    await expect.poll(() => page.getByTestId('connection').getAttribute('data-status'), { timeout: 30_000 }).toBe('online');
  });

  it('shows a river above BĐ III as a critical alarm, live', async () => {
    // Something to sort it among: a commune's street lights and meters offline (one group row per kind).
    await offlineBurst(app, '21172');
    const t = Date.now();
    await river.hold(river.bd[2] + 0.4);
    alarmId = (await waitForAlarm(app, river.device.id, 'critical')).id;
    timings.mqttToServerAlarm = Date.now() - t;
    const row = page.locator(`tr[data-testid="console-row"][data-alarm-id="${alarmId}"]`);
    await row.waitFor({ timeout: 10_000 });
    timings.mqttToConsoleRow = Date.now() - t;
    expect(await row.getAttribute('data-severity')).toBe('critical');
    expect(await row.getAttribute('data-state')).toBe('active');
    const text = await row.textContent();
    expect(text).toContain('Khẩn cấp');
    expect(text).toContain('Mực nước vượt BĐ III');
    expect(text).toContain('Trạm thủy văn Trà Khúc');
    expect(text).toContain('Đang xảy ra');
    // Critical and unacknowledged: at the top of the live list.
    const first = page.locator('tr[data-testid="console-row"]').first();
    expect(await first.getAttribute('data-severity')).toBe('critical');
    expect(Number(await page.getByTestId('count-critical').getAttribute('data-count'))).toBeGreaterThanOrEqual(1);
    // The commune's group row, with its member count.
    await page.locator('tr[data-testid="console-row"]', { hasText: /\d đèn đường mất kết nối/ }).first().waitFor({ timeout: 15_000 });
    await page.waitForTimeout(1_000);
    await screenshot(page, 'console-1920x1080-list');
  });

  it('finds it with / and opens its history with Enter, all from the keyboard', async () => {
    await page.keyboard.press('/');
    await page.keyboard.type('Trà Khúc');
    await page.keyboard.press('Enter');
    const rows = page.locator('tr[data-testid="console-row"]');
    await expect.poll(() => rows.first().getAttribute('data-alarm-id')).toBe(String(alarmId));
    await page.keyboard.press('Home');
    expect(await page.locator('tr.is-selected').getAttribute('data-alarm-id')).toBe(String(alarmId));
    await page.keyboard.press('Enter');
    const detail = page.getByTestId('console-detail');
    await expect.poll(() => detail.getAttribute('data-open')).toBe('1');
    await expect.poll(() => detail.getByTestId('console-history').textContent(), { timeout: 5_000 }).toContain('Phát sinh');
    expect(await detail.textContent()).toContain('Trạm thủy văn Trà Khúc');
    await screenshot(page, 'console-1920x1080-critical');
  });

  it('acknowledges with a and assigns with g, each answered visibly', async () => {
    const t = Date.now();
    await page.keyboard.press('a');
    const ok = page.getByTestId('toast-ok').first();
    await expect.poll(() => ok.textContent(), { timeout: 10_000 }).toContain(`Đã xác nhận cảnh báo #${alarmId}`);
    timings.acknowledgeRoundTrip = Date.now() - t;
    expect((await getAlarm(app, alarmId)).alarm).toMatchObject({ state: 'acknowledged', ackBy: OPERATOR });
    const row = page.locator(`tr[data-testid="console-row"][data-alarm-id="${alarmId}"]`);
    await expect.poll(() => row.getAttribute('data-state')).toBe('acknowledged');
    // A second acknowledgement is refused by the server, and the refusal is shown in Vietnamese.
    await page.keyboard.press('a');
    await expect.poll(() => page.getByTestId('toast-error').first().textContent()).toContain(`Không xác nhận được cảnh báo #${alarmId}`);
    await page.keyboard.press('g');
    await page.getByTestId('prompt-dialog').waitFor();
    await page.keyboard.type('Đội PCTT phường Nghĩa Lộ');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('toast-ok').first().textContent()).toContain(`Đã giao xử lý cảnh báo #${alarmId} cho Đội PCTT phường Nghĩa Lộ`);
    await expect.poll(() => row.getAttribute('data-state')).toBe('assigned');
  });

  it('resolves with r only with a note, and the history shows every step', async () => {
    // The water falls back below BĐ I first: resolving while it still stood at BĐ III would raise a new alarm.
    await river.hold(river.bd[0] - 0.5);
    await page.keyboard.press('r');
    const dialog = page.getByTestId('prompt-dialog');
    await dialog.waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.locator('.dialog-error').textContent()).toBe('Cần nhập ghi chú khi xử lý xong');
    await page.keyboard.type('Nước đã rút dưới BĐ II, đã sơ tán 2 hộ');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('toast-ok').first().textContent()).toContain(`Đã xử lý xong cảnh báo #${alarmId}`);
    const { alarm, history } = await getAlarm(app, alarmId);
    expect(alarm).toMatchObject({ state: 'resolved', resolvedBy: OPERATOR, note: 'Nước đã rút dưới BĐ II, đã sơ tán 2 hộ' });
    expect(history.map((h) => h.change)).toEqual(expect.arrayContaining(['raised', 'acknowledged', 'assigned', 'resolved']));
    // Resolved alarms leave the live list …
    await expect.poll(() => page.locator(`tr[data-testid="console-row"][data-alarm-id="${alarmId}"]`).count()).toBe(0);
    // … and are found in the history, filtered by the server.
    await page.getByTestId('filter-state').selectOption('resolved');
    // Esc leaves the filter for the list; the keys work on the history as on the live list.
    await page.keyboard.press('Escape');
    const row = page.locator(`tr[data-testid="console-row"][data-alarm-id="${alarmId}"]`);
    await row.waitFor({ timeout: 10_000 });
    await page.keyboard.press('Home');
    for (let k = 0; k < 20 && (await page.locator('tr.is-selected').getAttribute('data-alarm-id')) !== String(alarmId); k++) await page.keyboard.press('j');
    expect(await page.locator('tr.is-selected').getAttribute('data-alarm-id')).toBe(String(alarmId));
    await page.keyboard.press('Enter');
    const list = page.getByTestId('console-history');
    await expect.poll(() => list.locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-change'))), { timeout: 5_000 }).toEqual(
      expect.arrayContaining(['raised', 'acknowledged', 'assigned', 'resolved']),
    );
    const text = await list.textContent();
    expect(text).toContain(OPERATOR);
    expect(text).toContain('Nước đã rút dưới BĐ II, đã sơ tán 2 hộ');
    expect(text).toContain('Xử lý xong');
  });

  it('shows alarm health: raised per hour, median time to acknowledge', async () => {
    const health = page.getByTestId('console-health');
    await expect.poll(async () => health.getByTestId('health-median-ack').textContent(), { timeout: 15_000 }).not.toBe('—');
    expect(Number(await health.getByTestId('health-raised').textContent())).toBeGreaterThanOrEqual(1);
    expect(await health.getByTestId('health-chart').locator('canvas').count()).toBe(1);
    await screenshot(page, 'console-1920x1080-history');
  });

  it('has no page errors', () => {
    expect(errors).toEqual([]);
  });
});
