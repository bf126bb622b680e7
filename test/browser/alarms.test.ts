/**
 * Alarms on the wall and the phone, in real Chromium against the real app. A river gauge published over
 * MQTT rises to BĐ II (major: its cue, no fly-to) and then BĐ III (critical: the map flies there, the
 * critical cue plays) — one row, announced once per level. A commune's street lights and meters going
 * offline are one row per kind. The phone lists the critical alarm first and acknowledges it.
 */
import { authFetch } from '../support/session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { controlRiver, getAlarm, offlineBurst, waitForAlarm, type RiverControl } from './alarmsSupport';
import { ensureClientBuilt, launchBrowser, screenshot, startApp, watchErrors, type TestApp, signedInContext } from './support';

describe('alarms on the wall and the phone', () => {
  let app: TestApp;
  let browser: Browser;
  let wallContext: BrowserContext;
  let wall: Page;
  let errors: string[];
  let river: RiverControl;
  let alarmId: number;
  const timings: Record<string, number> = {};

  const sound = () => wall.getByTestId('alarm-sound');
  const rowOf = (id: number) => wall.locator(`[data-testid="alarm-row"][data-alarm-id="${id}"]`);
  const getOpen = async (a: TestApp) =>
    ((await (await authFetch(`${a.url}/api/alarms?state=open&limit=50`)).json()) as { items: { id: number; severity: string; state: string; ruleId: string }[] }).items;
  /** The row's state, or why the wall does not show it (any other answer names the rows it shows instead). */
  const wallRowFor = async (id: number): Promise<string> => {
    const rows = await wall.locator('[data-testid="alarm-row"]').evaluateAll((els) =>
      els.map((e) => ({ id: e.getAttribute('data-alarm-id'), severity: e.getAttribute('data-severity'), state: e.getAttribute('data-state'), text: e.textContent?.slice(0, 60) })),
    );
    const own = rows.find((r) => r.id === String(id));
    if (own) return own.state ?? '';
    const urgent = rows.filter((r) => r.severity === 'critical' && (r.state === 'active' || r.state === 'cleared'));
    return urgent.length > 0 && urgent.length === rows.length ? `behind ${urgent.length} critical unacknowledged` : `missing among ${JSON.stringify(rows)}`;
  };

  beforeAll(async () => {
    timings.build = ensureClientBuilt().ms;
    let t = Date.now();
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
    timings.startAppAndBrowser = Date.now() - t;
    wallContext = await signedInContext(browser, app, { viewport: { width: 1920, height: 1080 }, locale: 'vi-VN' });
    wall = await wallContext.newPage();
    errors = watchErrors(wall);
    t = Date.now();
    await wall.goto(`${app.url}/`);
    await wall.getByTestId('alarm-panel').waitFor({ timeout: 30_000 });
    await wall.locator('[data-testid="province-map"][data-map-loaded="1"]').waitFor({ timeout: 60_000 });
    timings.wallLoaded = Date.now() - t;
    river = await controlRiver(app, 'Trà Khúc');
  });

  afterAll(async () => {
    console.log('alarm timings (ms):', timings);
    await river?.stop();
    await wallContext?.close();
    await browser?.close();
    await app?.close();
  });

  it('starts from a calm province: the pinned simulated hour leaves the alarm panel empty', async () => {
    // The fleet runs at a fixed simulated hour and season (test/support/simStart.ts), whatever the wall clock says.
    const res = await authFetch(`${app.url}/api/alarms?state=open&limit=10`);
    const open = (await res.json()) as { total: number; items: { ruleId: string; source: string }[] };
    expect(open.items.map((a) => `${a.ruleId}:${a.source}`)).toEqual([]);
    expect(await wall.locator('[data-testid="alarm-row"]').count()).toBe(0);
  });

  it('asks for one click to allow the sound cue, then offers an on/off switch', async () => {
    await expect.poll(() => sound().textContent()).toContain('Bấm để bật âm thanh cảnh báo');
    expect(await sound().getAttribute('data-unlocked')).toBe('0');
    // The press unlocks the audio and the prompt becomes the smaller, right-aligned switch before the
    // release. Playwright's click() presses the prompt's centre, which the switch no longer covers, so its
    // click reached neither button and hid the defect; a person who presses the prompt's right part
    // releases on the switch. Pressed there, with the mouse, as a person does.
    const box = (await sound().boundingBox())!;
    const at = { x: box.x + box.width - 12, y: box.y + box.height / 2 };
    await wall.mouse.move(at.x, at.y);
    await wall.mouse.down();
    await expect.poll(() => sound().getAttribute('data-unlocked')).toBe('1');
    const under = (await sound().boundingBox())!;
    expect(at.x >= under.x && at.x <= under.x + under.width && at.y >= under.y && at.y <= under.y + under.height).toBe(true);
    await wall.mouse.up();
    await wall.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await sound().getAttribute('data-enabled')).toBe('1');
    expect(await sound().textContent()).toContain('Âm thanh: bật');
    expect(await wall.evaluate(() => localStorage.getItem('ioc.wall.alarmSound'))).not.toBe('off');
  });

  it("a commune's street lights and meters going offline are one row per kind with its member count", async () => {
    const commune = '21478';
    const ids = await offlineBurst(app, commune);
    expect(ids.length).toBeGreaterThan(50);
    const rowOfKind = (what: string) => wall.locator('[data-testid="alarm-row"]', { hasText: new RegExp(`^\\D*\\d[\\d.]* ${what} mất kết nối`) }).first();
    const members = async (what: string) =>
      Number(new RegExp(`(\\d[\\d.]*) ${what} mất kết nối`).exec((await rowOfKind(what).textContent()) ?? '')?.[1]?.replace(/\./g, '') ?? 0);
    const kindOf = new Map(app.province.registry.devices.map((d) => [d.id, d.kind]));
    const lights = ids.filter((id) => kindOf.get(id) === 'street-light').length;
    await rowOfKind('đèn đường').waitFor({ timeout: 15_000 });
    // Each street light is counted in the row as it arrives: no single alarms first, no storm threshold. (The
    // fleet keeps reporting, so a few may be back, or were not online yet to go offline.)
    await expect.poll(() => members('đèn đường'), { timeout: 15_000 }).toBeGreaterThanOrEqual(lights - 10);
    const text = (await rowOfKind('đèn đường').textContent()) ?? '';
    expect(text).toMatch(/(xã|phường) /);
    // The meters' statuses come after the lights' and their group is raised on a later tick: ask until it is.
    const groups = async () => {
      const res = await authFetch(`${app.url}/api/alarms?state=open&commune=${commune}&domain=device&limit=500`);
      const open = ((await res.json()) as { items: { kind: string; ruleId: string }[] }).items;
      // (A station of the commune may be offline on its own: it keeps its own alarm.)
      return open.filter((a) => a.ruleId !== 'device-offline').map((a) => [a.ruleId, a.kind]).sort();
    };
    await expect.poll(groups, { timeout: 15_000 }).toEqual([
      ['energy-meter-offline', 'group'],
      ['street-light-offline', 'group'],
    ]);
    await screenshot(wall, 'wall-1920x1080-alarms-group');
    await screenshot(wall.getByTestId('alarm-panel'), 'wall-alarm-panel-group');
  });

  it('a river at BĐ II shows as a major alarm and plays the major cue, without moving the map', async () => {
    // The simulated fleet raises alarms of its own (a wastewater spill at start-up): compare with before.
    const focusBefore = await wall.getByTestId('alarm-panel').getAttribute('data-last-focus');
    const played = { critical: await sound().getAttribute('data-played-critical'), major: Number(await sound().getAttribute('data-played-major')) };
    const t = Date.now();
    await river.hold(river.bd[1] + 0.2);
    alarmId = (await waitForAlarm(app, river.device.id, 'major')).id;
    await rowOf(alarmId).waitFor({ timeout: 10_000 });
    timings.mqttToWallRow = Date.now() - t;
    const row = rowOf(alarmId);
    expect(await row.getAttribute('data-severity')).toBe('major');
    const text = await row.textContent();
    expect(text).toContain('Nghiêm trọng');
    expect(text).toContain('Mực nước vượt BĐ II');
    expect(text).toContain('Trạm thủy văn Trà Khúc');
    expect(text).toContain('MỚI');
    await expect.poll(() => sound().getAttribute('data-played-major')).toBe(String(played.major + 1));
    expect(await sound().getAttribute('data-played-critical')).toBe(played.critical);
    expect(await wall.getByTestId('alarm-panel').getAttribute('data-last-focus')).toBe(focusBefore);
  });

  it('rising to BĐ III steps the same row up to critical: the map flies there and the critical cue plays, once', async () => {
    const criticalBefore = Number(await sound().getAttribute('data-played-critical'));
    const t = Date.now();
    await river.hold(river.bd[2] + 0.3);
    expect((await waitForAlarm(app, river.device.id, 'critical')).id).toBe(alarmId);
    const row = rowOf(alarmId);
    await expect.poll(() => row.getAttribute('data-severity'), { timeout: 10_000 }).toBe('critical');
    timings.stepUpOnWall = Date.now() - t;
    expect(await row.textContent()).toContain('Mực nước vượt BĐ III');
    expect(await row.textContent()).toContain('Khẩn cấp');
    await expect.poll(() => wall.getByTestId('alarm-panel').getAttribute('data-last-focus')).toBe(String(alarmId));
    await expect.poll(() => sound().getAttribute('data-played-critical')).toBe(String(criticalBefore + 1));
    // Critical first in the panel, and one row for the gauge's flood, however many readings arrived.
    expect(await wall.locator('[data-testid="alarm-row"]').first().getAttribute('data-alarm-id')).toBe(String(alarmId));
    expect(await rowOf(alarmId).count()).toBe(1);
    expect(Number(await wall.getByTestId('count-critical').getAttribute('data-count'))).toBeGreaterThanOrEqual(1);
    // More readings at the same level announce nothing new.
    await wall.waitForTimeout(3_500);
    expect(await sound().getAttribute('data-played-critical')).toBe(String(criticalBefore + 1));
    await wall.waitForTimeout(1_500); // the map's flight
    await screenshot(wall, 'wall-1920x1080-critical-alarm');
    await screenshot(wall.getByTestId('alarm-panel'), 'wall-alarm-panel-critical');
  });

  it('the phone lists the critical alarm first and acknowledges it with one thumb', async () => {
    const phone = await signedInContext(browser, app, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'vi-VN' });
    try {
      const page = await phone.newPage();
      const phoneErrors = watchErrors(page);
      await page.goto(`${app.url}/m`);
      const card = page.locator(`[data-testid="m-alarm"][data-alarm-id="${alarmId}"]`);
      await card.waitFor({ timeout: 20_000 });
      // First, or behind only critical/escalated alarms (the server's order: unacknowledged, severity, escalation, newest).
      const first = page.locator('[data-testid="m-alarm"]').first();
      expect(await first.getAttribute('data-alarm-id')).toBe(String(alarmId));
      expect(await card.textContent()).toContain('Khẩn cấp');
      expect(Number(await page.getByTestId('m-alarms').getByTestId('count-critical').getAttribute('data-count'))).toBeGreaterThanOrEqual(1);
      // The flood line: the river at BĐ III, with its level, above the first alarm card and in the first screen.
      const line = page.getByTestId('m-river-alert');
      await expect.poll(() => line.textContent(), { timeout: 20_000 }).toMatch(/^⚠ \d+ sông trên BĐ I{2,3}: (.*\s· )?Trà Khúc BĐ III \d+,\d\d m/);
      const lineBox = (await line.boundingBox())!;
      const firstBox = (await first.boundingBox())!;
      expect(lineBox.y + lineBox.height).toBeLessThanOrEqual(firstBox.y);
      expect(lineBox.y + lineBox.height).toBeLessThanOrEqual(844);
      expect(lineBox.height).toBeGreaterThanOrEqual(44);
      const ack = card.getByTestId('m-ack');
      const box = await ack.boundingBox();
      expect(box!.height).toBeGreaterThanOrEqual(44);
      await screenshot(page, 'mobile-390x844-alarms');
      // The signed-in user acknowledges: no name is asked.
      await ack.tap();
      await expect.poll(() => page.getByTestId('m-alarm-feedback').textContent(), { timeout: 10_000 }).toContain(`Đã xác nhận cảnh báo #${alarmId}`);
      expect(await page.getByTestId('prompt-dialog').count()).toBe(0);
      expect((await getAlarm(app, alarmId)).alarm).toMatchObject({ state: 'acknowledged', ackBy: 'Nguyễn Văn An' });
      await expect.poll(() => card.getAttribute('data-state')).toBe('acknowledged');
      expect(await card.getByTestId('m-ack').count()).toBe(0);
      await screenshot(page, 'mobile-390x844-alarm-acknowledged');
      // The wall sees the acknowledgement on its next frame: the row says so, or it has left the panel because
      // every row it shows is now more urgent (critical and unacknowledged: the wall's order puts an
      // acknowledged critical alarm behind those, and at 1080p the panel fits only a few rows).
      try {
        await expect.poll(() => wallRowFor(alarmId), { timeout: 5_000 }).toMatch(/^(acknowledged|behind \d+ critical unacknowledged)$/);
      } catch (err) {
        // Seen in CI a few times and never here: say what the wall was showing, for the next look.
        const panel = wall.getByTestId('alarm-panel');
        console.log('wall after the phone acknowledged:', {
          url: wall.url(),
          panel: await panel.count(),
          openTotal: await panel.getAttribute('data-open-total', { timeout: 1_000 }).catch(() => null),
          connection: await wall.locator('.conn').first().textContent({ timeout: 1_000 }).catch(() => null),
          open: (await getOpen(app)).map((a) => `${a.id} ${a.severity} ${a.state} ${a.ruleId}`),
        });
        await screenshot(wall, 'wall-1920x1080-after-phone-ack');
        throw err;
      }
      expect(phoneErrors).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('has no page errors on the wall', () => {
    expect(errors).toEqual([]);
  });
});
