import { describe, expect, it } from 'vitest';
import { DEVICE_TYPES, TELEMETRY_SCHEMAS, statusSchema, type DeviceType } from '../../shared/mqtt';
import { createRandom, pick, uniform, type RandomSource } from '../../shared/random';
import { quickStatus, quickTelemetry } from './fastPath';
import { toValues } from './values';

const TS = Date.UTC(2026, 10, 22, 2, 0, 0);

/** A valid payload of each type, as devices send them. */
function valid(type: DeviceType, r: RandomSource): Record<string, unknown> {
  const n = (lo: number, hi: number) => Math.round(uniform(r, lo, hi) * 100) / 100;
  switch (type) {
    case 'air':
      return { ts: TS, pm25: n(0, 300), pm10: n(0, 400), o3: n(0, 300), co: n(0, 10_000), so2: n(0, 200), no2: n(0, 200), temperature: n(-5, 40), relativeHumidity: n(0, 100) };
    case 'water':
      return { ts: TS, flow: n(0, 900), temperature: n(15, 40), pH: n(0, 14), cod: n(0, 300), tss: n(0, 200), nh4: n(0, 30), bod5: n(0, 80), color: n(0, 300) };
    case 'hydro':
      return { ts: TS, waterLevel: n(-2, 12) };
    case 'rain':
      return { ts: TS, precipitation: n(0, 40), intervalSec: 60 };
    case 'camera':
      return { ts: TS, windowSec: 30, intensity: { car: n(0, 900), motorbike: n(0, 4000), truck: n(0, 300), bus: n(0, 60) }, averageVehicleSpeed: n(0, 90), occupancy: n(0, 1) };
    case 'iot':
      return { ts: TS, values: { power: n(0, 200), dim: pick(r, [0, 60, 100]) } };
    case 'reservoir':
      return { ts: TS, waterLevel: n(170, 230), inflow: n(0, 20_000), outflow: n(0, 15_000), spillwayGatesOpen: pick(r, [0, 1, 2, 12]) };
  }
}

const ODD: unknown[] = [null, 'x', '12', true, [], {}, -1, -0.5, 0, 1.5, 101, 15, 1e308, -1e308, 2 ** 53, 0.5, '2026-11-22T09:00:00+07:00'];

/** Every key path of an object (one level into nested objects). */
function paths(o: Record<string, unknown>): string[][] {
  const out: string[][] = [];
  for (const [k, v] of Object.entries(o)) {
    out.push([k]);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) for (const k2 of Object.keys(v)) out.push([k, k2]);
  }
  return out;
}

function mutate(base: Record<string, unknown>, r: RandomSource): unknown {
  const o = structuredClone(base);
  const p = pick(r, paths(o));
  const parent = (p.length === 1 ? o : o[p[0]!]) as Record<string, unknown>;
  const key = p[p.length - 1]!;
  switch (Math.floor(uniform(r, 0, 6))) {
    case 0:
      delete parent[key];
      break;
    case 1:
      parent[key] = pick(r, ODD);
      break;
    case 2:
      parent[pick(r, ['extra', 'car', 'bus', 'ts', 'values', 'x'.repeat(65), 'online'])] = pick(r, [1, 'a', null, {}]);
      break;
    case 3:
      return pick(r, [null, [], 'text', 42, [o]]);
    case 4: {
      // Many keys: the IoT record allows 64.
      const target = (typeof o.values === 'object' && o.values !== null ? o.values : o) as Record<string, unknown>;
      const count = Math.floor(uniform(r, 60, 70));
      for (let k = 0; k < count; k++) target[`k${k}`] = k;
      break;
    }
    default:
      parent[key] = typeof parent[key] === 'number' ? (parent[key] as number) * -1 : 1;
  }
  return o;
}

/** JSON text with an overflowing number (1e999 parses to Infinity), which JSON.stringify cannot write. */
function withInfinity(base: Record<string, unknown>, r: RandomSource): unknown {
  const text = JSON.stringify(base);
  const keys = [...text.matchAll(/"(\w+)":(-?[\d.]+)/g)];
  if (keys.length === 0) return JSON.parse(text);
  const m = pick(r, keys);
  return JSON.parse(text.replace(m[0], `"${m[1]}":1e999`));
}

function agreesWithZod(type: DeviceType, json: unknown): 'fast' | 'zod' {
  const fast = quickTelemetry(type, json);
  const z = TELEMETRY_SCHEMAS[type].safeParse(json);
  if (fast === null) return 'zod';
  expect(z.success, `fast path took what zod refuses: ${type} ${JSON.stringify(json)}`).toBe(true);
  if (z.success) {
    expect(fast.ts).toBe(z.data.ts);
    expect(fast.values).toEqual(toValues(type, z.data));
    expect(Object.keys(fast.values)).toEqual(Object.keys(toValues(type, z.data)));
  }
  return 'fast';
}

describe('validation fast path', () => {
  it('takes every well-formed reading of every type, with the values zod + toValues give', () => {
    const r = createRandom(7);
    for (const type of DEVICE_TYPES) for (let k = 0; k < 200; k++) expect(agreesWithZod(type, valid(type, r))).toBe('fast');
  });

  it('never takes what zod refuses, and gives the same values where both take it (20,000 mutated payloads)', () => {
    const r = createRandom(11);
    const taken = { fast: 0, zod: 0 };
    for (let k = 0; k < 20_000; k++) {
      const type = pick(r, DEVICE_TYPES);
      const base = valid(type, r);
      const json = k % 10 === 0 ? withInfinity(base, r) : mutate(base, r);
      taken[agreesWithZod(type, json)]++;
    }
    // Both branches ran: the fuzz reaches the fast path and the fallback.
    expect(taken.fast).toBeGreaterThan(1000);
    expect(taken.zod).toBeGreaterThan(1000);
  });

  it('leaves ISO timestamps, fractional or negative ts and `__proto__` keys to zod', () => {
    expect(quickTelemetry('hydro', { ts: '2026-11-22T09:00:00+07:00', waterLevel: 1 })).toBeNull();
    expect(quickTelemetry('hydro', { ts: TS + 0.5, waterLevel: 1 })).toBeNull();
    expect(quickTelemetry('hydro', { ts: -1, waterLevel: 1 })).toBeNull();
    expect(quickTelemetry('iot', JSON.parse(`{"ts":${TS},"values":{"__proto__":1}}`))).toBeNull();
  });

  it('status: agrees with zod on valid and mutated payloads', () => {
    const r = createRandom(3);
    let fast = 0;
    for (let k = 0; k < 5000; k++) {
      const base: Record<string, unknown> = { ts: TS, online: r.next() < 0.5, battery: Math.round(uniform(r, 0, 100)), rssi: -70, firmware: '2.4.0' };
      const json = k % 4 === 0 ? base : mutate(base, r);
      const q = quickStatus(json);
      const z = statusSchema.safeParse(json);
      if (q === null) continue;
      fast++;
      expect(z.success, JSON.stringify(json)).toBe(true);
      if (z.success) expect(q).toBe(z.data.online);
    }
    expect(fast).toBeGreaterThan(1250);
  });
});
