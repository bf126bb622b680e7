/**
 * Helpers of the environment and traffic browser tests: pixel counts by palette, the shipped flood sample
 * replayed into the test app, camera violations published as a real camera would.
 */
import mqtt from 'mqtt';
import type { Locator, Page } from 'playwright-core';
import { readRecording } from '../../simulators/record/reader';
import { createReplay, mqttTarget } from '../../simulators/record/replayer';
import { FLOOD_SAMPLE } from '../../simulators/samples/floodSample';
import { topicFor } from '../../shared/mqtt';

type Rgb = [number, number, number];
const hex = (h: string): Rgb => [1, 3, 5].map((k) => parseInt(h.slice(k, k + 2), 16)) as Rgb;

/**
 * Screenshots an element and counts its pixels within `tol` (per channel) of any of `colours`: the
 * map or a chart as the user sees it, checked for the colours its legend promises.
 */
export async function paletteCount(page: Page, target: Locator, colours: readonly string[], tol = 14): Promise<number> {
  const png = await target.screenshot();
  return page.evaluate(
    async ({ b64, palette, tol }) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let n = 0;
      for (let k = 0; k < data.length; k += 4) {
        for (const c of palette) {
          if (Math.abs(data[k]! - c[0]!) <= tol && Math.abs(data[k + 1]! - c[1]!) <= tol && Math.abs(data[k + 2]! - c[2]!) <= tol) {
            n++;
            break;
          }
        }
      }
      return n;
    },
    { b64: png.toString('base64'), palette: colours.map(hex), tol },
  );
}

/**
 * Replays the shipped flood sample (Trà Khúc, Châu Ổ, Sông Vệ to BĐ III, heavy rain upstream) into the
 * app's broker, timestamps moved to now. Statuses are left out: the fleet owns its devices' online state.
 */
export async function replayFloodSample(mqttUrl: string, credentials?: { username: string; password: string }, speed = 10): Promise<number> {
  const client = await mqtt.connectAsync(mqttUrl, { clientId: `flood-replay-${process.pid}`, ...credentials });
  try {
    const source = async function* () {
      for await (const m of readRecording(FLOOD_SAMPLE)) if (!m.topic.endsWith('/status')) yield m;
    };
    const replay = createReplay({ source, target: mqttTarget(client), speed, retime: true });
    const done = await replay.done;
    return done.published;
  } finally {
    await client.endAsync();
  }
}

/** Raw plates in the formats AI cameras read; the server must never let them out unmasked. */
export const RAW_PLATES = ['76A-123.45', '76-B1 234.56', '82C-987.65', '29-AA 135.79', '38A-246.80'];
/** A full plate in any accepted form (car or motorbike, 4- or 5-digit serial, with or without the dot). */
export const FULL_PLATE_RE = /\b[1-9]\d(?:[A-Z]{1,2}-|-[A-ZĐ]{1,2}\d? )(?:\d{3}\.\d{2}|\d{4,5})\b/u;

/** Publishes one violation per plate from the given cameras, as camera events over MQTT. */
export async function publishViolations(mqttUrl: string, cameraIds: readonly string[], credentials?: { username: string; password: string }): Promise<void> {
  const client = await mqtt.connectAsync(mqttUrl, { clientId: `violations-${process.pid}`, ...credentials });
  try {
    const kinds = [
      { violation: 'redLight', vehicleType: 'car' },
      { violation: 'noHelmet', vehicleType: 'motorbike' },
      { violation: 'speeding', vehicleType: 'car', speed: 97, speedLimit: 80 },
      { violation: 'wrongWay', vehicleType: 'motorbike' },
      { violation: 'wrongLane', vehicleType: 'truck' },
    ] as const;
    for (let k = 0; k < RAW_PLATES.length; k++) {
      const cam = cameraIds[k % cameraIds.length]!;
      const payload = { ts: Date.now() - 1000 + k, plate: RAW_PLATES[k], ...kinds[k % kinds.length] };
      await client.publishAsync(topicFor('camera', cam, 'event'), JSON.stringify(payload), { qos: 1 });
    }
  } finally {
    await client.endAsync();
  }
}

/**
 * What covers or clips what on the wall's river page, in words (empty when every card reads cleanly): per
 * hydrograph card, its alarm-line labels inside the chart, clear of each other and of the card's head, its time labels
 * inside the card and clear of every other card's title, its footer (the note on illustrative levels)
 * below the chart, and the card inside the rivers panel. The charts are SVG, so their labels have boxes.
 */
export async function hydroLayoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const EPS = 0.5;
    const r = (el: Element) => el.getBoundingClientRect();
    const overlaps = (a: DOMRect, b: DOMRect) => a.left < b.right - EPS && b.left < a.right - EPS && a.top < b.bottom - EPS && b.top < a.bottom - EPS;
    const within = (a: DOMRect, b: DOMRect) => a.left >= b.left - EPS && a.right <= b.right + EPS && a.top >= b.top - EPS && a.bottom <= b.bottom + EPS;
    const panel = document.querySelector('[data-testid="rivers"]');
    if (!panel) return ['no rivers panel'];
    const cards = [...panel.querySelectorAll<HTMLElement>('.gauge')];
    if (cards.length === 0) return ['no hydrograph cards'];
    const titles = cards.map((c) => c.querySelector('.row-name')!);
    cards.forEach((card, k) => {
      const name = titles[k]?.textContent?.trim() ?? `#${k}`;
      const head = card.querySelector('.gauge-head');
      const sub = card.querySelector('.row-sub');
      const svg = card.querySelector('[data-testid="hydrograph"] svg');
      if (!head || !sub || !svg) {
        out.push(`${name}: head, subtitle or chart missing`);
        return;
      }
      const chart = r(svg);
      const texts = [...svg.querySelectorAll('text')].filter((t) => (t.textContent ?? '').trim() !== '' && r(t).width > 0);
      const bd = texts.filter((t) => /^BĐ I{1,3} /.test(t.textContent ?? ''));
      const times = texts.filter((t) => /^\d\d:\d\d$/.test(t.textContent ?? ''));
      if (bd.length !== 3) out.push(`${name}: ${bd.length} alarm-line labels`);
      if (times.length < 2) out.push(`${name}: ${times.length} time labels`);
      if (!within(r(head), r(card)) || !within(chart, r(card))) out.push(`${name}: head or chart outside its card`);
      if (!within(r(card), r(panel))) out.push(`${name}: card outside the rivers panel`);
      bd.forEach((t, j) => {
        for (const u of bd.slice(j + 1)) if (overlaps(r(t), r(u))) out.push(`${name}: "${t.textContent}" and "${u.textContent}" overlap`);
      });
      for (const t of bd) {
        const label = t.textContent;
        if (!within(r(t), chart)) out.push(`${name}: "${label}" clipped by the chart's edge`);
        if (overlaps(r(t), r(head))) out.push(`${name}: "${label}" under the card's head`);
      }
      for (const t of times) {
        if (!within(r(t), r(card))) out.push(`${name}: time label ${t.textContent} outside its card`);
        titles.forEach((title, j) => {
          if (j !== k && overlaps(r(t), r(title))) out.push(`${name}: time label ${t.textContent} over the title of ${title.textContent?.trim()}`);
        });
      }
      const foot = card.querySelector('.gauge-foot');
      if (foot) {
        const lowest = Math.max(chart.top, ...times.map((t) => r(t).bottom));
        if (r(foot).top < lowest - EPS) out.push(`${name}: footer "${foot.textContent}" over the chart`);
        if (!within(r(foot), r(card))) out.push(`${name}: footer outside its card`);
      }
    });
    return out;
  });
}
