/** What each scenario does to the signals, read straight off the engine (no broker). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registrySchema, type Device, type Registry } from '../../shared/devices';
import { REJECT_REASONS } from '../../shared/mqtt';
import { createEngine, type Engine, type SimDevice } from '../fleet/engine';
import { vnHour } from '../fleet/noise';
import { eveningStart } from './crash';
import { FAULT_REJECT_REASON, chooseTargets } from './faults';
import { pollutionSource } from './pollution';
import { FAULT_KINDS, HOUR_MS, MINUTE_MS, type ScenarioName } from './types';

const registry = (slug: string): Registry =>
  registrySchema.parse(JSON.parse(readFileSync(new URL(`../../shared/provinces/${slug}/devices.json`, import.meta.url), 'utf8')));
const QNG = registry('quang-ngai');
const HTI = registry('ha-tinh');
const NOW = Date.UTC(2026, 10, 22, 6, 0, 0);

function engine(reg: Registry, scenario: ScenarioName, include: (d: Device) => boolean, now = NOW): Engine {
  return createEngine({ registry: reg, realStart: now, scenario, backfillHours: 0, include });
}
const body = (e: Engine, s: SimDevice, t: number) => JSON.parse(e.report(s, t).messages[0]!.payload) as Record<string, number>;
const sim = (e: Engine, pred: (d: Device) => boolean) => e.sims.find((s) => pred(s.device))!;

/** First simulated hour (after the start) at which `f` holds, sampling every 10 min over `hours`. */
function firstHour(e: Engine, hours: number, f: (t: number) => boolean): number | null {
  for (let t = e.simStart; t <= e.simStart + hours * HOUR_MS; t += 10 * MINUTE_MS) if (f(t)) return (t - e.simStart) / HOUR_MS;
  return null;
}

describe('flood', () => {
  it.each([
    [QNG, ['Trà Khúc', 'Châu Ổ', 'Sông Vệ']],
    [HTI, ['Hòa Duyệt', 'Linh Cảm']],
  ] as const)('%#: rain first, then the lower gauges cross BĐ I → II → III hours later, then recede', (reg, stations) => {
    const e = engine(reg, 'flood', (d) => d.kind === 'river-gauge' || d.kind === 'rain-gauge');
    const rainGauges = e.sims.filter((s) => s.device.kind === 'rain-gauge');
    // At least three gauges with 5 mm or more in ten minutes (30 mm/h): a storm, not drizzle.
    const rainy = firstHour(e, 6, (t) => rainGauges.filter((s) => body(e, s, t).precipitation! >= 5).length >= 3);
    expect(rainy).not.toBeNull();
    expect(rainy!).toBeLessThan(2);
    for (const name of stations) {
      const e2 = engine(reg, 'flood', (d) => d.kind === 'river-gauge' && d.name.endsWith(name));
      const s = e2.sims[0]!;
      const [bd1, bd2, bd3] = ['bd1', 'bd2', 'bd3'].map((k) => s.device.props![k] as number) as [number, number, number];
      const level = (t: number) => body(e2, s, t).waterLevel!;
      const i = firstHour(e2, 12, (t) => level(t) >= bd1);
      const ii = firstHour(e2, 12, (t) => level(t) >= bd2);
      const iii = firstHour(e2, 12, (t) => level(t) >= bd3);
      expect(level(e2.simStart), name).toBeLessThan(bd1);
      expect([i, ii, iii].every((h) => h !== null), name).toBe(true);
      // Hours after the rain, in order, and within ten simulated hours (ten minutes at --speed 60).
      expect(i!, name).toBeGreaterThan(rainy! + 1);
      expect(i!, name).toBeLessThan(ii!);
      expect(ii!, name).toBeLessThan(iii!);
      expect(iii!, name).toBeLessThan(10);
      // Slow fall: still above BĐ I two hours after the crest phase, below BĐ III a day later.
      expect(level(e2.simStart + 12 * HOUR_MS), name).toBeGreaterThan(bd1);
      expect(level(e2.simStart + 30 * HOUR_MS), name).toBeLessThan(bd3);
    }
  });
});

describe('pollution', () => {
  it("drives one station's COD and TSS beyond its QCVN 40 limit (Kq·Kf) for hours; nearby air worsens", () => {
    const src = pollutionSource(QNG.devices)!;
    expect(src.air.size).toBeGreaterThanOrEqual(3);
    const e = engine(QNG, 'pollution', (d) => d.id === src.station.id || src.air.has(d.id));
    const w = sim(e, (d) => d.id === src.station.id);
    const p = src.station.props!;
    const k = (p.kq as number) * (p.kf as number);
    const [codMax, tssMax] = p.column === 'A' ? [75 * k, 50 * k] : [150 * k, 100 * k];
    let over = 0;
    for (let t = e.simStart; t < e.simStart + 8 * HOUR_MS; t += 5 * MINUTE_MS) {
      const b = body(e, w, t);
      if (b.cod! > codMax && b.tss! > tssMax) over++;
    }
    expect(over * 5).toBeGreaterThanOrEqual(3.5 * 60);
    expect(over * 5).toBeLessThan(5 * 60);
    const nearest = sim(e, (d) => d.id === [...src.air.entries()].sort((a, b) => a[1] - b[1])[0]![0]);
    const mean = (from: number, to: number) => {
      let sum = 0;
      let n = 0;
      for (let t = e.simStart + from * HOUR_MS; t < e.simStart + to * HOUR_MS; t += 5 * MINUTE_MS, n++) sum += body(e, nearest, t).pm25!;
      return sum / n;
    };
    expect(mean(1.5, 4)).toBeGreaterThan(2 * mean(6.5, 9));
  });
});

describe('rush-hour-crash', () => {
  it('starts the simulated clock at 16:30 in Vietnam today', () => {
    expect(vnHour(eveningStart(NOW))).toBe(16.5);
    expect(eveningStart(NOW) - NOW).toBeLessThan(24 * HOUR_MS);
    expect(NOW - eveningStart(NOW)).toBeLessThan(24 * HOUR_MS);
  });

  it('stops one segment of QL1A in the city and queues its neighbours below 40 % of free flow, then clears', () => {
    const e = engine(QNG, 'rush-hour-crash', (d) => d.kind === 'traffic-camera' && d.props?.road === 'QL1A');
    const speed = (s: SimDevice, t: number) => body(e, s, t).averageVehicleSpeed!;
    const at = (h: number) => e.simStart + h * HOUR_MS;
    const slow = (s: SimDevice, t: number) => speed(s, t) <= 0.4 * ((s.device.props!.speedLimit as number) <= 60 ? 50 : 70);
    const jammed = e.sims.filter((s) => slow(s, at(1)));
    const site = e.sims.filter((s) => speed(s, at(1)) < 6);
    expect(site).toHaveLength(1);
    expect(site[0]!.device.props!.speedLimit).toBeLessThanOrEqual(60);
    expect(jammed.length).toBeGreaterThanOrEqual(3);
    const km = site[0]!.device.props!.km as number;
    for (const s of jammed) expect(Math.abs((s.device.props!.km as number) - km)).toBeLessThanOrEqual(2.5);
    // Sustained for well over the server's 10 minutes, and gone 40 min after the road is cleared.
    for (let h = 0.9; h <= 1.7; h += 0.05) for (const s of jammed) expect(slow(s, at(h))).toBe(true);
    expect(e.sims.filter((s) => slow(s, at(2.4)))).toEqual([]);
    expect(e.sims.filter((s) => slow(s, at(0.3)))).toEqual([]);
  });
});

describe('faults', () => {
  it('maps every fault to what the server should count and picks a device for each', () => {
    expect(Object.keys(FAULT_REJECT_REASON).sort()).toEqual([...FAULT_KINDS].sort());
    for (const r of Object.values(FAULT_REJECT_REASON)) if (r !== null) expect(REJECT_REASONS).toContain(r);
    const targets = chooseTargets(QNG.devices);
    expect(Object.keys(targets).sort()).toEqual([...FAULT_KINDS].sort());
    expect(chooseTargets([...QNG.devices].reverse())).toEqual(targets);
  });

  it('sends each kind of garbage in its window, and only then', () => {
    const targets = chooseTargets(QNG.devices);
    const ids = new Set(Object.values(targets));
    const e = engine(QNG, 'faults', (d) => ids.has(d.id));
    const seen = new Map<string, number>();
    let offline = 0;
    for (let t = e.simStart; t < e.simStart + 20 * MINUTE_MS; t += MINUTE_MS) {
      for (const s of e.sims) {
        const out = e.report(s, t);
        if (out.offline) offline++;
        for (const m of out.messages) {
          if (!m.fault) continue;
          seen.set(m.fault, (seen.get(m.fault) ?? 0) + 1);
          expect(t - e.simStart, m.fault).toBeGreaterThanOrEqual(MINUTE_MS);
          expect(t - e.simStart, m.fault).toBeLessThan(14 * MINUTE_MS);
          if (m.fault === 'oversize') expect(Buffer.byteLength(m.payload)).toBeGreaterThan(16 * 1024);
          if (m.fault === 'badJson' || m.fault === 'nanText') expect(() => JSON.parse(m.payload)).toThrow();
          if (m.fault === 'nanText') expect(m.payload).toMatch(/:NaN[,}]/);
          if (m.fault === 'unknownDevice') expect(m.topic).toMatch(/-ghost\/telemetry$/);
          expect(m.qos).toBe(1);
        }
      }
    }
    expect(offline).toBe(5);
    for (const k of FAULT_KINDS.filter((k) => k !== 'dropout')) expect(seen.get(k), k).toBeGreaterThan(0);
  });
});
