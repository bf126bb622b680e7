/** The realism added for issues 3 and 4: river catchments, road incidents, reports that depend on t alone. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEVICE_KINDS, registrySchema, type Registry } from '../../shared/devices';
import type { TelemetryInput } from '../../shared/mqtt';
import { catchments, distanceKm } from './catchment';
import type { RoadIncident } from './effects';
import { alarmStageWithHysteresis, createEngine, LEARNING_END_BEFORE_START_MS, LEARNING_STEP_MS } from './engine';
import { DISSOLVE_MS, naturalIncidents, slowdownOf } from './incidents';
import { makeDevice } from './fixtures';
import { roadExtents, signalsFor, type SignalContext } from './signals';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CTX: SignalContext = { seed: 42, plateCodes: ['76', '82'] };
const vnTime = (day: number, h: number) => Date.UTC(2025, 9, 1 + day) + (h - 7) * HOUR;
const QNG: Registry = registrySchema.parse(JSON.parse(readFileSync(new URL('../../shared/provinces/quang-ngai/devices.json', import.meta.url), 'utf8')));

describe('reports depend on their time only', () => {
  it.each(DEVICE_KINDS.filter((k) => k !== 'rain-gauge'))('%s: the same report at t whatever came before, statuses included', (kind) => {
    const device = makeDevice(kind);
    const a = signalsFor(device, CTX);
    const b = signalsFor(device, CTX);
    const t = vnTime(3, 8.5);
    for (let k = 1; k <= 5; k++) a.report(t - k * 600_000);
    a.status(t - 1);
    expect(JSON.stringify(a.report(t))).toBe(JSON.stringify(b.report(t)));
  });
});

describe('river catchments', () => {
  it('feed every coastal river gauge from rain gauges nearby and not seaward of it', () => {
    const map = catchments(QNG.devices);
    const byId = new Map(QNG.devices.map((d) => [d.id, d]));
    const trakhuc = map.get('qng-hydro-0001')!;
    expect(trakhuc.length).toBeGreaterThanOrEqual(3);
    for (const [id, gauges] of map) {
      const river = byId.get(id)!;
      for (const g of gauges) {
        expect(g.lon).toBeLessThanOrEqual(river.lon + 0.05);
        expect(distanceKm(river, g)).toBeLessThanOrEqual(river.props?.upstream ? 25 : 50);
      }
    }
  });

  it('keeps a highland gauge (levels above sea level) near its alarm levels, not at a fraction of them', () => {
    const e = createEngine({ registry: QNG, realStart: vnTime(0, 0), backfillHours: 0, include: (d) => d.id === 'qng-hydro-0009' });
    const s = e.sims[0]!;
    const bd1 = s.device.props!.bd1 as number;
    const bd3 = s.device.props!.bd3 as number;
    for (let t = e.simStart; t < e.simStart + 120 * DAY; t += 6 * HOUR) {
      const level = (JSON.parse(e.report(s, t).messages[0]!.payload) as { waterLevel: number }).waterLevel;
      expect(level).toBeGreaterThan(bd1 - 2 * (bd3 - bd1));
      expect(level).toBeLessThan(bd3 + 1);
    }
  });
});

describe('air', () => {
  it('PM2.5 peaks in the evening too, when the night inversion traps the rush-hour exhaust', () => {
    const s = signalsFor(makeDevice('air-station'), CTX);
    let evening = 0;
    let afternoon = 0;
    for (let d = 0; d < 60; d++) {
      evening += (s.report(vnTime(d, 19.5)).telemetry as TelemetryInput['air']).pm25!;
      afternoon += (s.report(vnTime(d, 14)).telemetry as TelemetryInput['air']).pm25!;
    }
    expect(evening).toBeGreaterThan(1.4 * afternoon);
  });
});

describe('road incidents', () => {
  const inc: RoadIncident = { road: 'QL1A', km: 40, start: 0, clearAt: 60 * 60_000, siteFactor: 0.1, queueKm: 2 };

  it('stop the site, queue the neighbours at a quarter of the limit, and dissolve after clearing', () => {
    const at = (km: number, min: number) => slowdownOf(inc, km, min * 60_000);
    expect(at(40.2, 30)?.speedFactor).toBe(0.1);
    expect(at(41.9, 30)?.speedFactor).toBe(0.25);
    expect(at(38.5, 30)?.speedFactor).toBe(0.25);
    expect(at(42.5, 30)!.speedFactor).toBeGreaterThan(0.25);
    expect(at(43.5, 30)).toBeNull();
    // The queue takes time to build: after 2 minutes the far end is still free.
    expect(at(41.9, 2)?.speedFactor ?? 1).toBeGreaterThan(0.25);
    // Cleared at 60 min: the site moves again, the queue shrinks, then nothing.
    expect(at(40, 61)!.speedFactor).toBe(0.25);
    expect(slowdownOf(inc, 40, inc.clearAt + DISSOLVE_MS)).toBeNull();
  });

  it('happen now and then on QL1A, the same for every camera, about one a day', () => {
    const extent = roadExtents(QNG.devices).get('QL1A')!;
    expect(extent.maxKm - extent.minKm).toBeGreaterThan(100);
    const starts = new Set<number>();
    for (let t = vnTime(0, 0); t < vnTime(60, 0); t += 10 * 60_000) {
      for (const i of naturalIncidents(2025, 'QL1A', extent, t)) {
        starts.add(i.start);
        expect(i.km).toBeGreaterThanOrEqual(extent.minKm);
        expect(i.km).toBeLessThanOrEqual(extent.maxKm);
        expect(i.clearAt - i.start).toBeGreaterThanOrEqual(30 * 60_000);
      }
    }
    expect(starts.size).toBeGreaterThan(20);
    expect(starts.size).toBeLessThan(120);
    expect(naturalIncidents(2025, 'QL1A', extent, vnTime(5, 3))).toEqual(naturalIncidents(2025, 'QL1A', extent, vnTime(5, 3)));
  });
});

describe('backfill', () => {
  it('covers 24 h every 5 min (wastewater every 3 min), oldest first, before the start, each rain report a whole step', () => {
    const start = vnTime(10, 9.3);
    const e = createEngine({ registry: QNG, realStart: start, include: (d) => ['qng-rain-0003', 'qng-water-0001', 'qng-air-0001', 'qng-cam-0001'].includes(d.id) });
    const by = (id: string) => e.sims.find((s) => s.device.id === id)!;
    expect(e.backfillTimes(by('qng-cam-0001'))).toEqual([]);
    expect(e.backfillTimes(by('qng-water-0001'))).toHaveLength(480);
    const times = e.backfillTimes(by('qng-rain-0003'));
    expect(times).toHaveLength(288);
    expect(times.at(-1)!).toBeLessThan(start);
    expect(times[0]!).toBeGreaterThanOrEqual(start - DAY - 300_000);
    const bodies = times.map((t) => JSON.parse(e.backfillMessages(by('qng-rain-0003'), t)[0]!.payload) as { ts: number; intervalSec: number });
    expect(bodies.every((b) => b.intervalSec === 300)).toBe(true);
    // Stamped one to one into the past, at any speed.
    expect(bodies.map((b) => b.ts)).toEqual(times);
  });
});

describe("a rehearsal's learning period", () => {
  const basins = JSON.parse(readFileSync(new URL('../../shared/provinces/quang-ngai/basins.json', import.meta.url), 'utf8')) as {
    gauges: { gaugeId: string; upstream: { id: string }[]; rainGauges: string[] }[];
  };
  const read = new Set(basins.gauges.flatMap((g) => [g.gaugeId, ...g.upstream.map((u) => u.id), ...g.rainGauges]));

  it("is a flood rehearsal's by default: 14 days of the basins' gauges every 15 minutes, up to 48 h before the start, with the hourly rain forecasts", () => {
    const start = vnTime(10, 9.3);
    const e = createEngine({ registry: QNG, realStart: start, scenario: 'flood', rehearsal: true, backfillHours: 0 });
    expect(e.learnDays).toBe(14);
    const learners = e.sims.filter((s) => e.learningTimes(s).length > 0).map((s) => s.device.id);
    expect(new Set(learners)).toEqual(read);
    const rain = e.sims.find((s) => s.device.id === basins.gauges[0]!.rainGauges[0])!;
    const times = e.learningTimes(rain);
    expect(times[0]!).toBeGreaterThanOrEqual(start - 14 * DAY);
    expect(times[0]! - (start - 14 * DAY)).toBeLessThan(LEARNING_STEP_MS);
    expect(times.at(-1)!).toBeLessThan(start - LEARNING_END_BEFORE_START_MS);
    expect(times.every((t, k) => k === 0 || t - times[k - 1]! === LEARNING_STEP_MS)).toBe(true);
    const sent = times.map((t) => e.learningMessages(rain, t));
    const readings = sent.map((m) => JSON.parse(m[0]!.payload) as { ts: number; precipitation: number; intervalSec: number });
    // Simulated time (a rehearsal), each report the rain of its whole step, the first one too.
    expect(readings.map((r) => r.ts)).toEqual(times);
    expect(readings.every((r) => r.intervalSec === LEARNING_STEP_MS / 1000)).toBe(true);
    // A rainy season's: storms to learn from.
    expect(Math.max(...readings.map((r) => r.precipitation))).toBeGreaterThan(5);
    const forecasts = sent.flatMap((m) => m.slice(1));
    expect(forecasts.length).toBeGreaterThanOrEqual(14 * 24 - 48 - 2);
    expect(forecasts.every((f) => f.topic.endsWith('/forecast'))).toBe(true);
  });

  it('is none outside a rehearsal, none when asked for 0 days, and refused for a live server', () => {
    const start = vnTime(10, 9.3);
    const live = createEngine({ registry: QNG, realStart: start, scenario: 'flood', backfillHours: 0 });
    expect(live.learnDays).toBe(0);
    expect(live.sims.every((s) => live.learningTimes(s).length === 0)).toBe(true);
    expect(createEngine({ registry: QNG, realStart: start, scenario: 'flood', rehearsal: true, learnDays: 0, backfillHours: 0 }).learnDays).toBe(0);
    expect(createEngine({ registry: QNG, realStart: start, scenario: 'pollution', rehearsal: true, backfillHours: 0 }).learnDays).toBe(0);
    expect(() => createEngine({ registry: QNG, realStart: start, learnDays: 3 })).toThrow(/only in a rehearsal/);
    expect(() => createEngine({ registry: QNG, realStart: start, rehearsal: true, learnDays: 31 })).toThrow(/learnDays/);
  });
});

describe('terminal notices', () => {
  it('tell when a river crosses an alarm level, without flapping on noise at the threshold', () => {
    const e = createEngine({ registry: QNG, realStart: vnTime(0, 0), scenario: 'flood', backfillHours: 0, include: (d) => d.id === 'qng-hydro-0001' });
    const s = e.sims[0]!;
    const notices: string[] = [];
    for (let t = e.simStart; t < e.simStart + 30 * HOUR; t += 60_000) notices.push(...e.report(s, t).notices);
    const what = notices.map((n) => n.replace(/^.*\) /, '').replace(/:.*$/, ''));
    expect(what).toEqual(['crossed BĐ I', 'crossed BĐ II', 'crossed BĐ III', 'fell back to BĐ II', 'fell back to BĐ I', 'fell below BĐ I']);
    expect(notices[2]).toMatch(/^Trạm thủy văn Trà Khúc \(Trà Khúc\) crossed BĐ III: 6\.5\d m at sim \+\d h \d\d min$/);
  });

  it('use a stage that rises at a level and falls only 5 cm below it', () => {
    const bd = [3.5, 5, 6.5];
    const walk = [6.49, 6.5, 6.49, 6.46, 6.51, 6.44, 4.99, 3.4];
    const stages: number[] = [];
    let prev: number | undefined;
    for (const level of walk) stages.push((prev = alarmStageWithHysteresis(prev, level, bd)));
    expect(stages).toEqual([2, 3, 3, 3, 3, 2, 2, 0]);
  });
});
