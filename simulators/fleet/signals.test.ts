import { describe, expect, it } from 'vitest';
import { DEVICE_KINDS, type DeviceKind } from '../../shared/devices';
import { TELEMETRY_SCHEMAS, cameraEventSchema, statusSchema, type TelemetryInput } from '../../shared/mqtt';
import { makeDevice } from './fixtures';
import { CAR_PLATE_RE, MOTORBIKE_PLATE_RE } from './plates';
import { createRandom } from '../../shared/random';
import { signalsFor, type SignalContext } from './signals';
import { createCameraModel } from './traffic';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CTX: SignalContext = { seed: 42, plateCodes: ['76', '82'] };
/** Epoch ms of hour `h` (Vietnam time) on a day counted from 1 Oct 2025. */
const vnTime = (day: number, h: number) => Date.UTC(2025, 9, 1 + day) + (h - 7) * HOUR;

function runDay(kind: DeviceKind, ctx = CTX, start = vnTime(0, 0)) {
  const device = makeDevice(kind);
  const s = signalsFor(device, ctx);
  const out: unknown[] = [s.status(start)];
  for (let t = start; t < start + DAY; t += device.reportIntervalSec * 1000) {
    const r = s.report(t);
    out.push(r.telemetry, ...r.events);
  }
  return out;
}

describe('signals', () => {
  it.each(DEVICE_KINDS)('%s: same seed gives the same payloads byte for byte, another seed does not', (kind) => {
    const a = JSON.stringify(runDay(kind));
    const b = JSON.stringify(runDay(kind));
    const c = JSON.stringify(runDay(kind, { ...CTX, seed: 43 }));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it.each(DEVICE_KINDS)('%s: every payload of a simulated day passes the contract schemas', (kind) => {
    const device = makeDevice(kind);
    const s = signalsFor(device, CTX);
    const start = vnTime(30, 0);
    expect(statusSchema.safeParse(s.status(start)).success).toBe(true);
    let events = 0;
    for (let t = start; t < start + DAY; t += device.reportIntervalSec * 1000) {
      const { telemetry, events: evs } = s.report(t);
      const parsed = TELEMETRY_SCHEMAS[device.type].safeParse(telemetry);
      expect(parsed.error?.issues).toBeUndefined();
      for (const e of evs) {
        events++;
        expect(cameraEventSchema.safeParse(e).error?.issues).toBeUndefined();
        expect(e.ts).toBeLessThanOrEqual(t);
        expect(e.ts).toBeGreaterThan(t - device.reportIntervalSec * 1000);
      }
      expect(JSON.stringify(telemetry).length).toBeLessThan(1024);
    }
    if (kind === 'traffic-camera') expect(events).toBeGreaterThan(3);
    else expect(events).toBe(0);
  });

  it('rejects a device whose kind does not match its type', () => {
    expect(() => signalsFor(makeDevice('air-station', { type: 'water' }), CTX)).toThrow(/does not publish/);
  });
});

describe('air', () => {
  it('PM2.5 peaks at the morning rush and is low before dawn; PM10 is 1.5–2× PM2.5', () => {
    const s = signalsFor(makeDevice('air-station'), CTX);
    let at8 = 0;
    let at3 = 0;
    let at14o3 = 0;
    let at3o3 = 0;
    for (let d = 0; d < 60; d++) {
      const night = s.report(vnTime(d, 3)).telemetry as { pm25: number; pm10: number; o3: number };
      const rush = s.report(vnTime(d, 8)).telemetry as { pm25: number; pm10: number };
      const noon = s.report(vnTime(d, 14)).telemetry as { o3: number };
      at3 += night.pm25;
      at8 += rush.pm25;
      at3o3 += night.o3;
      at14o3 += noon.o3;
      expect(rush.pm10 / rush.pm25).toBeGreaterThan(1.3);
      expect(rush.pm10 / rush.pm25).toBeLessThan(2.2);
    }
    expect(at8 / 60).toBeGreaterThan((at3 / 60) * 1.25);
    expect(at3 / 60).toBeGreaterThan(8);
    expect(at8 / 60).toBeLessThan(60);
    expect(at14o3).toBeGreaterThan(at3o3 * 1.5);
  });
});

describe('camera', () => {
  const total = (i: Record<string, number | undefined>) => Object.values(i).reduce<number>((a, b) => a + (b ?? 0), 0);

  it('counts more at 8h than at 3h, more motorbikes than cars, fewer on Sundays, slower at the peak', () => {
    const device = makeDevice('traffic-camera', { props: { road: 'Đường Hùng Vương', speedLimit: 50 } });
    const s = signalsFor(device, CTX);
    let at8 = 0;
    let at3 = 0;
    let moto = 0;
    let car = 0;
    let speed8 = 0;
    let speed3 = 0;
    for (let d = 0; d < 28; d++) {
      const night = s.report(vnTime(d, 3)).telemetry as TelemetryInput['camera'];
      const rush = s.report(vnTime(d, 8)).telemetry as TelemetryInput['camera'];
      at3 += total(night.intensity);
      at8 += total(rush.intensity);
      moto += (rush.intensity.motorbike ?? 0) + (night.intensity.motorbike ?? 0);
      car += (rush.intensity.car ?? 0) + (night.intensity.car ?? 0);
      speed8 += rush.averageVehicleSpeed;
      speed3 += night.averageVehicleSpeed;
      expect(rush.averageVehicleSpeed).toBeLessThan(50);
    }
    expect(at8).toBeGreaterThan(at3 * 5);
    expect(moto).toBeGreaterThan(car * 2);
    expect(speed8).toBeLessThan(speed3);
    // 5 Oct 2025 is a Sunday, 6 Oct a Monday.
    const model = createCameraModel(device, createRandom(1), CTX.plateCodes);
    const sunday = model.expectedIntensity(vnTime(4, 8));
    const monday = model.expectedIntensity(vnTime(5, 8));
    expect(total(sunday)).toBeLessThan(total(monday) * 0.7);
  });

  it('runs trucks at night on QL1A, not in a city street', () => {
    const camera = (road: string) =>
      createCameraModel(makeDevice('traffic-camera', { props: { road, speedLimit: 60 } }), createRandom(1), []);
    const ql1 = camera('QL1A');
    const city = camera('Đường Quang Trung');
    const share = (s: typeof ql1, h: number) => {
      const i = s.expectedIntensity(vnTime(1, h));
      return i.truck / total(i);
    };
    expect(share(ql1, 2)).toBeGreaterThan(0.4);
    expect(share(city, 2)).toBeLessThan(0.1);
    expect(share(ql1, 2)).toBeGreaterThan(share(ql1, 10));
  });

  it('reports violations with valid plates, mostly local, speeding with speed over the limit', () => {
    const device = makeDevice('traffic-camera');
    const s = signalsFor(device, CTX);
    const plates: string[] = [];
    for (let t = vnTime(0, 0); t < vnTime(7, 0); t += 60_000) {
      for (const ev of s.report(t).events) {
        if (!('plate' in ev)) throw new Error('a camera sent a non-camera event');
        const e = ev;
        plates.push(e.plate);
        if (e.vehicleType === 'motorbike') expect(e.plate).toMatch(MOTORBIKE_PLATE_RE);
        else expect(e.plate).toMatch(CAR_PLATE_RE);
        if (e.violation === 'speeding') {
          expect(e.speedLimit).toBe(60);
          expect(e.speed).toBeGreaterThan(60);
        } else expect(e.speed).toBeUndefined();
        if (e.violation === 'noHelmet') expect(e.vehicleType).toBe('motorbike');
      }
    }
    expect(plates.length).toBeGreaterThan(50);
    expect(plates.length).toBeLessThan(7 * 200);
    const local = plates.filter((p) => p.startsWith('76') || p.startsWith('82')).length / plates.length;
    expect(local).toBeGreaterThan(0.75);
    expect(local).toBeLessThan(0.95);
  });
});

describe('rain', () => {
  it('is episodic: mostly dry, storms last several reports, and reports add up to what fell', () => {
    const device = makeDevice('rain-gauge');
    const s = signalsFor(device, CTX);
    const values: number[] = [];
    for (let t = vnTime(0, 0); t < vnTime(90, 0); t += device.reportIntervalSec * 1000) {
      const r = s.report(t).telemetry as { precipitation: number; intervalSec: number };
      values.push(r.precipitation);
    }
    const wet = values.filter((v) => v > 0).length;
    let runs = 0;
    for (let i = 0; i < values.length; i++) if (values[i]! > 0 && !(values[i - 1]! > 0)) runs++;
    expect(wet / values.length).toBeLessThan(0.35);
    expect(wet).toBeGreaterThan(20);
    // Storms: wet reports come in runs (white noise at this wet share would give runs of ~1.3).
    expect(wet / runs).toBeGreaterThan(3);
    // The rainy season of the central coast brings hundreds of mm over Oct–Dec.
    const sum = values.reduce((a, b) => a + b, 0);
    expect(sum).toBeGreaterThan(200);
    expect(sum).toBeLessThan(3000);
  });

  it('reports the rain since the previous report, whatever the gap', () => {
    const device = makeDevice('rain-gauge');
    const every = signalsFor(device, CTX);
    const sparse = signalsFor(device, CTX);
    let a = 0;
    let b = 0;
    const start = vnTime(40, 0);
    for (let k = 1; k <= 6 * 24 * 30; k++) {
      const t = start + k * 600_000;
      a += (every.report(t).telemetry as { precipitation: number }).precipitation;
      if (k % 6 === 0) {
        const r = sparse.report(t).telemetry as { precipitation: number; intervalSec: number };
        b += r.precipitation;
        if (k > 6) expect(r.intervalSec).toBe(3600);
      }
    }
    expect(a).toBeGreaterThan(0);
    expect(Math.abs(a - b)).toBeLessThan(0.5);
  });
});

describe('hydro', () => {
  it.each([
    ['Oct–Nov, the flood season', 0, 0.75],
    ['Mar–Apr, the dry season', 150, 0.999],
  ])('%s: stays below BĐ I most of the time and moves without jumps', (_, fromDay, share) => {
    const device = makeDevice('river-gauge');
    const s = signalsFor(device, CTX);
    let prev: number | null = null;
    let below = 0;
    let n = 0;
    let maxStep = 0;
    for (let t = vnTime(fromDay, 0); t < vnTime(fromDay + 60, 0); t += device.reportIntervalSec * 1000) {
      const level = (s.report(t).telemetry as { waterLevel: number }).waterLevel;
      if (level < 3.5) below++;
      n++;
      if (prev !== null) maxStep = Math.max(maxStep, Math.abs(level - prev));
      prev = level;
      expect(level).toBeGreaterThan(0.5);
    }
    expect(below / n).toBeGreaterThan(share);
    expect(maxStep).toBeLessThan(0.15);
  });
});

describe('wastewater', () => {
  it('stays under the QCVN 40 limits but for a few exceedances lasting hours', () => {
    const device = makeDevice('wastewater-station');
    const s = signalsFor(device, CTX);
    const limit = 150 * 0.9 * 1.1;
    const over: boolean[] = [];
    for (let t = vnTime(0, 0); t < vnTime(120, 0); t += device.reportIntervalSec * 1000) {
      const w = s.report(t).telemetry as { cod: number; tss: number; nh4: number; pH: number };
      over.push(w.cod > limit || w.tss > 100 * 0.99 || w.nh4 > 10 * 0.99);
      expect(w.pH).toBeGreaterThan(6);
      expect(w.pH).toBeLessThan(8.5);
    }
    const exceeding = over.filter(Boolean).length;
    let episodes = 0;
    for (let i = 0; i < over.length; i++) if (over[i] && !over[i - 1]) episodes++;
    expect(exceeding / over.length).toBeLessThan(0.05);
    expect(episodes).toBeGreaterThan(0);
    // At 5-minute reports, an exceedance of an hour or more spans at least 12 reports.
    expect(exceeding / episodes).toBeGreaterThan(12);
  });
});

describe('iot', () => {
  it('street lights are on at night, dimmed after 22h, off by day', () => {
    const s = signalsFor(makeDevice('street-light'), CTX);
    const at = (h: number) => (s.report(vnTime(3, h)).telemetry as TelemetryInput['iot']).values as { power: number; dim: number };
    expect(at(12)).toEqual({ power: 0.4, dim: 0 });
    expect(at(19.5).dim).toBe(100);
    expect(at(23).dim).toBe(60);
    expect(at(19.5).power).toBeGreaterThan(at(23).power);
    expect(at(23).power).toBeGreaterThan(10);
  });

  it('energy meters count kWh monotonically, consistent with the load', () => {
    const s = signalsFor(makeDevice('energy-meter'), CTX);
    let prev = -Infinity;
    let first = 0;
    let powerSum = 0;
    const steps = 4 * 24 * 7;
    for (let k = 0; k <= steps; k++) {
      const t = vnTime(0, 0) + k * 900_000;
      const v = (s.report(t).telemetry as TelemetryInput['iot']).values as { power: number; energy: number };
      expect(v.energy).toBeGreaterThanOrEqual(prev);
      if (k === 0) first = v.energy;
      else powerSum += v.power * 0.25;
      prev = v.energy;
    }
    expect(Math.abs(prev - first - powerSum) / powerSum).toBeLessThan(0.05);
  });
});
