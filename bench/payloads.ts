/**
 * The load: contract payloads for a device fleet, in the mixture a province sends. Each device
 * reports telemetry at its registry interval; cameras also send violations and every device an
 * occasional (retained) status. A weighted, seeded schedule of message specs drives the
 * publisher; `ts` is left as a placeholder the publisher fills with the send time.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { registrySchema, type Device, type DeviceKind } from '../shared/devices';
import { VEHICLE_CLASSES, VIOLATION_TYPES, topicFor, type Channel, type DeviceType } from '../shared/mqtt';
import { DEFAULT_PROVINCE, type ProvinceSlug } from '../shared/provinces';
import { createRandom, pick, uniform, type RandomSource } from '../shared/random';
import { TS_PLACEHOLDER } from './mqttWire';

export interface BenchDevice {
  id: string;
  type: DeviceType;
  kind: DeviceKind;
  reportIntervalSec: number;
}

export interface MessageSpec {
  /** Index into the device list (= registry index for the real registry). */
  device: number;
  channel: Channel;
  topic: string;
  /** JSON with TS_PLACEHOLDER where `ts` goes. */
  payload: string;
  retain: boolean;
}

/** Violations per camera per second, and statuses per device per second (the demo fleet's order). */
const EVENTS_PER_CAMERA_SEC = 1 / 60;
const STATUS_PER_DEVICE_SEC = 1 / 300;
/** Payload variants per device and channel: values differ, sizes stay realistic. */
const VARIANTS = 3;

export function realDevices(province: ProvinceSlug = DEFAULT_PROVINCE): BenchDevice[] {
  const file = fileURLToPath(new URL(`../shared/provinces/${province}/devices.json`, import.meta.url));
  const reg = registrySchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  return reg.devices.map((d: Device) => ({ id: d.id, type: d.type, kind: d.kind, reportIntervalSec: d.reportIntervalSec }));
}

/** The real registry's proportions, scaled to `n` devices (ids the server does not know). */
const SYNTHETIC_MIX: [DeviceKind, DeviceType, number, number][] = [
  ['street-light', 'iot', 1400, 60],
  ['energy-meter', 'iot', 600, 60],
  ['traffic-camera', 'camera', 150, 30],
  ['rain-gauge', 'rain', 60, 60],
  ['air-station', 'air', 48, 60],
  ['wastewater-station', 'water', 15, 60],
  ['river-gauge', 'hydro', 13, 60],
];

export function syntheticDevices(n: number): BenchDevice[] {
  const total = SYNTHETIC_MIX.reduce((s, [, , c]) => s + c, 0);
  const out: BenchDevice[] = [];
  for (const [kind, type, count, interval] of SYNTHETIC_MIX) {
    const k = Math.max(1, Math.round((count / total) * n));
    for (let j = 0; j < k && out.length < n; j++) out.push({ id: `bench-${kind}-${j + 1}`, type, kind, reportIntervalSec: interval });
  }
  return out;
}

const r1 = (x: number) => Math.round(x * 10) / 10;

function telemetry(d: BenchDevice, r: RandomSource): Record<string, unknown> {
  switch (d.type) {
    case 'air':
      return {
        pm25: r1(uniform(r, 5, 150)),
        pm10: r1(uniform(r, 10, 250)),
        o3: r1(uniform(r, 10, 180)),
        co: r1(uniform(r, 300, 4000)),
        so2: r1(uniform(r, 2, 80)),
        no2: r1(uniform(r, 5, 120)),
        temperature: r1(uniform(r, 20, 36)),
        relativeHumidity: r1(uniform(r, 45, 95)),
      };
    case 'water':
      return {
        flow: r1(uniform(r, 10, 600)),
        temperature: r1(uniform(r, 24, 34)),
        pH: r1(uniform(r, 5.8, 8.8)),
        cod: r1(uniform(r, 20, 160)),
        tss: r1(uniform(r, 10, 120)),
        nh4: r1(uniform(r, 0.5, 14)),
        ...(r.next() < 0.5 ? { bod5: r1(uniform(r, 10, 60)), color: r1(uniform(r, 20, 90)) } : {}),
      };
    case 'hydro':
      return { waterLevel: Math.round(uniform(r, 0.4, 4.2) * 100) / 100 };
    case 'rain':
      return { precipitation: r.next() < 0.6 ? 0 : r1(uniform(r, 0.1, 6)), intervalSec: d.reportIntervalSec };
    case 'camera':
      return {
        windowSec: d.reportIntervalSec,
        intensity: { car: Math.round(uniform(r, 50, 900)), motorbike: Math.round(uniform(r, 300, 4000)), truck: Math.round(uniform(r, 10, 300)), bus: Math.round(uniform(r, 0, 60)) },
        averageVehicleSpeed: r1(uniform(r, 15, 75)),
        occupancy: Math.round(uniform(r, 0.02, 0.6) * 100) / 100,
      };
    case 'iot':
      return d.kind === 'energy-meter'
        ? { values: { power: Math.round(uniform(r, 3, 60) * 100) / 100, energy: Math.round(uniform(r, 1000, 90000) * 100) / 100 } }
        : { values: { power: r1(uniform(r, 0.4, 200)), dim: pick(r, [0, 60, 100]) } };
    case 'reservoir':
      return { waterLevel: Math.round(uniform(r, 190, 215) * 100) / 100, inflow: r1(uniform(r, 800, 9000)), outflow: r1(uniform(r, 800, 6000)), spillwayGatesOpen: pick(r, [0, 0, 0, 1, 2]) };
  }
}

function violation(r: RandomSource): Record<string, unknown> {
  const kind = pick(r, VIOLATION_TYPES);
  const plate = `76${pick(r, ['A', 'B', 'C', 'D', 'H'])}-${Math.floor(uniform(r, 100, 999))}.${Math.floor(uniform(r, 10, 99))}`;
  const out: Record<string, unknown> = { violation: kind, plate, vehicleType: pick(r, VEHICLE_CLASSES) };
  if (kind === 'speeding') {
    out.speed = Math.round(uniform(r, 85, 130));
    out.speedLimit = 80;
  }
  return out;
}

function status(r: RandomSource): Record<string, unknown> {
  return { online: true, battery: Math.round(uniform(r, 40, 100)), rssi: Math.round(uniform(r, -95, -55)), firmware: pick(r, ['2.3.1', '2.4.0', '3.0.2']) };
}

/** Keys whose value is a setting, not a measurement: the same in every reading of a device. */
const FIXED_KEYS = new Set(['windowSec', 'intervalSec', 'dim']);

/**
 * Another reading of the same device: every measurement within ±3 % of the first, so a station
 * stays in its band (real values drift slowly; values jumping across alarm thresholds at every
 * reading would make the benchmark an alarm-churn test).
 */
function nearby(body: Record<string, unknown>, r: RandomSource): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === 'number' && !FIXED_KEYS.has(k) && v !== 0) {
      const x = v * (1 + (r.next() - 0.5) * 0.06);
      out[k] = Number.isInteger(v) ? Math.round(x) : Math.round(x * 100) / 100;
    } else if (v !== null && typeof v === 'object') {
      out[k] = nearby(v as Record<string, unknown>, r);
    } else {
      out[k] = v;
    }
  }
  return out;
}

/** `ts` first, as 13 placeholder digits the publisher overwrites. */
function withTs(body: Record<string, unknown>): string {
  const rest = JSON.stringify(body).slice(1);
  return `{"ts":${TS_PLACEHOLDER}${rest === '}' ? '' : ','}${rest}`;
}

export interface LoadMix {
  specs: MessageSpec[];
  /** Spec indices in a seeded order with each spec's share of the traffic; cycled by the publisher. */
  schedule: Uint32Array;
}

/**
 * The message mixture of a fleet. A spec's weight is its device's report rate (telemetry),
 * the violation rate (camera events) or the status rate.
 */
export function buildMix(devices: readonly BenchDevice[], seed = 1, scheduleLength = 1 << 16): LoadMix {
  const r = createRandom(seed);
  const specs: MessageSpec[] = [];
  const weights: number[] = [];
  const add = (device: number, channel: Channel, body: Record<string, unknown>, weight: number, retain = false) => {
    const d = devices[device]!;
    specs.push({ device, channel, topic: topicFor(d.type, d.id, channel), payload: withTs(body), retain });
    weights.push(weight);
  };
  devices.forEach((d, i) => {
    const first = telemetry(d, r);
    for (let v = 0; v < VARIANTS; v++) add(i, 'telemetry', v === 0 ? first : nearby(first, r), 1 / d.reportIntervalSec / VARIANTS);
    if (d.type === 'camera') add(i, 'event', violation(r), EVENTS_PER_CAMERA_SEC);
    add(i, 'status', status(r), STATUS_PER_DEVICE_SEC, true);
  });
  // Systematic sampling over the cumulative weights, then a seeded shuffle: exact shares, no bursts.
  const cum: number[] = [];
  let total = 0;
  for (const w of weights) cum.push((total += w));
  const schedule = new Uint32Array(scheduleLength);
  let k = 0;
  for (let j = 0; j < scheduleLength; j++) {
    const u = ((j + 0.5) / scheduleLength) * total;
    while (cum[k]! < u) k++;
    schedule[j] = k;
  }
  for (let j = scheduleLength - 1; j > 0; j--) {
    const m = Math.floor(r.next() * (j + 1));
    const t = schedule[j]!;
    schedule[j] = schedule[m]!;
    schedule[m] = t;
  }
  return { specs, schedule };
}

/** Messages per second the fleet sends at its registry intervals (the demo load). */
export function fleetRate(devices: readonly BenchDevice[]): number {
  let rate = 0;
  for (const d of devices) {
    rate += 1 / d.reportIntervalSec + STATUS_PER_DEVICE_SEC;
    if (d.type === 'camera') rate += EVENTS_PER_CAMERA_SEC;
  }
  return rate;
}
