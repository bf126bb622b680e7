/**
 * The hot path of validation. Nearly every message is a well-formed reading with an epoch-ms
 * `ts`; for those, zod's general machinery (a copy of every object, a union for `ts`, a record
 * walk with a key schema) was a third of the server's work per message (bench profile, issue 7).
 *
 * `quickTelemetry` and `quickStatus` accept only what the zod schemas of shared/mqtt.ts accept,
 * and return what toValues would make of zod's output. Anything they are not sure of (an ISO
 * `ts`, a wrong type, a value out of range, an odd key) returns null, and the caller asks zod,
 * which stays the authority and writes the reject message. fastPath.test.ts holds the two to
 * that, on the fleet's own payloads and on mutated ones.
 */
import type { DeviceType } from '../../shared/mqtt';

export interface QuickReading {
  ts: number;
  values: Record<string, number>;
}

/** A number check of the contract's schemas. */
type Check = (v: unknown) => v is number;

const finite: Check = (v): v is number => typeof v === 'number' && Number.isFinite(v);
const conc: Check = (v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const positive: Check = (v): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
const range =
  (lo: number, hi: number): Check =>
  (v): v is number =>
    typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi;

const gates: Check = (v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 64;

/** Fields in the schema's order (zod's output order, which toValues keeps). */
type Fields = readonly (readonly [name: string, check: Check, required: boolean])[];

const FLAT: Partial<Record<DeviceType, Fields>> = {
  air: [
    ['pm25', conc, false],
    ['pm10', conc, false],
    ['o3', conc, false],
    ['co', conc, false],
    ['so2', conc, false],
    ['no2', conc, false],
    ['temperature', finite, false],
    ['relativeHumidity', range(0, 100), false],
  ],
  water: [
    ['flow', conc, false],
    ['temperature', finite, false],
    ['pH', range(0, 14), false],
    ['cod', conc, false],
    ['tss', conc, false],
    ['nh4', conc, false],
    ['bod5', conc, false],
    ['color', conc, false],
  ],
  hydro: [['waterLevel', finite, true]],
  rain: [
    ['precipitation', conc, true],
    ['intervalSec', positive, true],
  ],
  reservoir: [
    ['waterLevel', finite, true],
    ['inflow', conc, false],
    ['outflow', conc, false],
    ['spillwayGatesOpen', gates, false],
  ],
};

const INTENSITY_KEYS = ['car', 'motorbike', 'truck', 'bus'] as const;
const MAX_IOT_VALUES = 64;
const MAX_IOT_KEY = 64;

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function epochTs(x: Record<string, unknown>): number | null {
  const ts = x.ts;
  return typeof ts === 'number' && Number.isSafeInteger(ts) && ts >= 0 ? ts : null;
}

/** The reading when the payload is certainly valid telemetry of `type`; null to ask zod. */
export function quickTelemetry(type: DeviceType, json: unknown): QuickReading | null {
  if (!isPlainObject(json)) return null;
  const ts = epochTs(json);
  if (ts === null) return null;
  const flat = FLAT[type];
  if (flat) {
    const values: Record<string, number> = {};
    for (const [name, check, required] of flat) {
      const v = json[name];
      if (v === undefined) {
        if (required || name in json) return null;
        continue;
      }
      if (!check(v)) return null;
      values[name] = v;
    }
    return { ts, values };
  }
  if (type === 'camera') return quickCamera(json, ts);
  if (type === 'iot') return quickIot(json, ts);
  return null;
}

function quickCamera(json: Record<string, unknown>, ts: number): QuickReading | null {
  const { windowSec, averageVehicleSpeed, occupancy, intensity } = json;
  if (!positive(windowSec) || !conc(averageVehicleSpeed) || !range(0, 1)(occupancy) || !isPlainObject(intensity)) return null;
  const values: Record<string, number> = { windowSec, averageVehicleSpeed, occupancy };
  let total = 0;
  for (const k of INTENSITY_KEYS) {
    const v = intensity[k];
    if (v === undefined) {
      if (k in intensity) return null;
      continue;
    }
    if (!conc(v)) return null;
    values[`intensity.${k}`] = v;
    total += v;
  }
  values.intensity = total;
  return { ts, values };
}

function quickIot(json: Record<string, unknown>, ts: number): QuickReading | null {
  const raw = json.values;
  if (!isPlainObject(raw)) return null;
  let n = 0;
  for (const k in raw) {
    // `__proto__` is an own key after JSON.parse but not a key zod's output can hold.
    if (++n > MAX_IOT_VALUES || k.length > MAX_IOT_KEY || k === '__proto__' || !finite(raw[k])) return null;
  }
  // Every value checked: the object JSON.parse made is the values map (nobody else holds it).
  return { ts, values: raw as Record<string, number> };
}

/** `online` when the payload is certainly a valid status; null to ask zod. */
export function quickStatus(json: unknown): boolean | null {
  if (!isPlainObject(json)) return null;
  const { online, ts, battery, rssi, firmware } = json;
  if (typeof online !== 'boolean') return null;
  if (ts !== undefined && epochTs(json) === null) return null;
  if (battery !== undefined && !range(0, 100)(battery)) return null;
  if (rssi !== undefined && !finite(rssi)) return null;
  if (firmware !== undefined && !(typeof firmware === 'string' && firmware.length <= 64)) return null;
  return online;
}
