/**
 * The data the store part fills its stores with: the fleets (the Quảng Ngãi registry at densities that fill
 * in seconds, and clones of its IoT devices up to 100,000), and their readings in time order, in batches.
 * Values are deterministic; metric names are the ones ingest stores (FIWARE), so the snapshot builder's
 * environment service derives what it would from real data.
 */
import type { Device } from '../../shared/devices';
import type { DeviceType } from '../../shared/mqtt';
import type { Reading } from '../../server/store/readings/port';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

export const METRICS: Record<DeviceType, readonly string[]> = {
  air: ['pm25', 'pm10', 'o3', 'co', 'so2', 'no2', 'temperature', 'relativeHumidity'],
  water: ['flow', 'temperature', 'pH', 'cod', 'tss', 'nh4'],
  hydro: ['waterLevel'],
  rain: ['precipitation', 'intervalSec'],
  camera: ['intensityCar', 'intensityMotorbike', 'averageVehicleSpeed', 'occupancy', 'windowSec'],
  iot: ['power', 'energy'],
  reservoir: ['waterLevel', 'inflow', 'outflow', 'spillwayGatesOpen'],
};

/** Report interval of each type in the filled 24 h, s: stations as the registry, the rest sparser (fill time). */
export const FILL_INTERVAL_SEC: Record<DeviceType, number> = { air: 60, water: 60, hydro: 60, rain: 60, camera: 300, iot: 900, reservoir: 60 };
/** The clones that make up 100,000 devices: one reading an hour, one metric. */
export const CLONE_INTERVAL_SEC = 3600;
export const CLONE_METRICS: readonly string[] = ['power'];

/** The registry with each device's interval as filled, so the snapshot's look-back (3 × the longest) matches. */
export function asFilled(devices: readonly Device[]): Device[] {
  return devices.map((d) => ({ ...d, reportIntervalSec: FILL_INTERVAL_SEC[d.type] }));
}

/** `n` IoT devices cloned from the registry's (position, commune), ids `clone-000000…`. */
export function iotClones(devices: readonly Device[], n: number): Device[] {
  const iot = devices.filter((d) => d.type === 'iot');
  if (iot.length === 0) throw new Error('the registry has no IoT device to clone');
  return Array.from({ length: n }, (_, k) => ({ ...iot[k % iot.length]!, id: `clone-${String(k).padStart(6, '0')}`, reportIntervalSec: CLONE_INTERVAL_SEC }));
}

/**
 * Plausible ranges where the metric's range decides what the env derives: wastewater against QCVN 40 column B
 * (pH 6–9, COD 150, TSS 100, NH4+ 10 mg/L). Each value ramps through its range over about five hours, so NH4+
 * exceeds for about an hour in five, as a real discharge might; the rest stays within. Other metrics take 0–100.
 */
const VALUE_RANGE: Partial<Record<DeviceType, Record<string, readonly [number, number]>>> = {
  water: { flow: [5, 100], temperature: [22, 34], pH: [6.6, 8.4], cod: [20, 120], tss: [15, 80], nh4: [1, 12] },
};

export interface FillDevice {
  id: string;
  type: DeviceType;
  intervalMs: number;
  metrics: readonly string[];
}

export const fillDevice = (d: Device, metrics: readonly string[] = METRICS[d.type]): FillDevice => ({
  id: d.id,
  type: d.type,
  intervalMs: d.reportIntervalSec * 1000,
  metrics,
});

/**
 * Readings of `devs` in [from, to) in time order (to the step), in batches of about `txRows` value rows. Each
 * device reports every `intervalMs` from an offset of its own, so an interval's readings are spread over it.
 */
export function* readings(devs: readonly FillDevice[], from: number, to: number, txRows: number, stepMs = 60_000): Generator<Reading[]> {
  let batch: Reading[] = [];
  let rows = 0;
  // The golden ratio spreads the offsets evenly whatever the count; a few ms more so no two devices share a ts.
  const next = devs.map((d, i) => from + Math.floor(((i * 0.618_034) % 1) * d.intervalMs) + (i % 997));
  for (let t = from + stepMs; t < to + stepMs; t += stepMs) {
    const end = Math.min(t, to);
    for (let i = 0; i < devs.length; i++) {
      const d = devs[i]!;
      for (let ts = next[i]!; ts < end; ts = next[i]!) {
        next[i] = ts + d.intervalMs;
        const values: Record<string, number> = {};
        const k = Math.floor(ts / MIN);
        const ranges = VALUE_RANGE[d.type];
        for (let m = 0; m < d.metrics.length; m++) {
          const name = d.metrics[m]!;
          const u = ((i * 7919 + m * 104_729 + k * 31) % 10_000) / 10_000;
          const r = ranges?.[name];
          values[name] = r ? Math.round((r[0] + u * (r[1] - r[0])) * 100) / 100 : u * 100;
        }
        batch.push({ deviceId: d.id, type: d.type, ts, values });
        rows += d.metrics.length;
        if (rows >= txRows) {
          yield batch;
          batch = [];
          rows = 0;
        }
      }
    }
  }
  if (batch.length > 0) yield batch;
}
