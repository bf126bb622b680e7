/**
 * Seeded, time-driven signal models for every device kind. Given a device, its random source
 * (createRandom(hashSeed(device.id, seed))) and a clock value t, a model returns payloads of the MQTT
 * contract: the same seed and the same sequence of t give the same payloads, byte for byte.
 * No Date.now, no Math.random: the caller owns the clock.
 *
 * The random source draws each device's parameters once, then is reseeded from (seed, t) before every
 * report: a report depends on its time, not on how many reports came before, so a device that skipped
 * reports (offline, a stalled process, a backfill of another length) still says the same thing at t.
 */
import type { Device, DeviceKind } from '../../shared/devices';
import type { CameraEventInput, DeviceType, ReservoirEventInput, StatusInput, TelemetryInput } from '../../shared/mqtt';
import { createRandom, gaussian, hashSeed, pick, uniform, type RandomSource } from '../../shared/random';
import type { ModelEffects, RoadIncident } from './effects';
import { createAirModel, createHydroModel, createRainModel, createWaterModel } from './environment';
import { naturalIncidents, type RoadExtent } from './incidents';
import type { RiverNetwork } from './river';
import { createEnergyMeterModel, createStreetLightModel } from './iot';
import { createRainForecastModel, type SimRainForecast } from './rainForecast';
import { createReservoirModel } from './reservoir';
import { clamp, hash01, vnHour } from './noise';
import { createCameraModel, type IncidentsAt } from './traffic';

export interface SignalContext {
  /** The fleet seed. Also keys the province-wide weather, so nearby stations agree. */
  seed: number;
  /** The province's licence-plate codes (shared/provinces.ts `plateCodes`). */
  plateCodes: readonly string[];
  /** The rivers' catchments and upstream links (river.ts); without, a river reads its own place's rain. */
  rivers?: RiverNetwork;
  /** Chainage range of each road, for natural incidents; a road not listed has none. */
  roads?: ReadonlyMap<string, RoadExtent>;
  /** A scenario's changes to the models. */
  effects?: ModelEffects;
}

/** A random source whose stream can be restarted from a key (see the module comment). */
export interface ReseedableRandom extends RandomSource {
  reseed(key: number): void;
}

export function createReseedable(seed: number): ReseedableRandom {
  let inner = createRandom(seed);
  return {
    next: () => inner.next(),
    reseed(key) {
      inner = createRandom(Math.floor(hash01(seed, Math.round(key)) * 4294967296) >>> 0);
    },
  };
}

export type Telemetry = TelemetryInput[DeviceType];

export interface Report {
  telemetry: Telemetry;
  /** Camera violations detected during the report window, a reservoir's release notices (empty for other kinds). */
  events: (CameraEventInput | ReservoirEventInput)[];
  /** A rain gauge's point rain forecast, in the report after each hour (rainForecast.ts). */
  forecast?: SimRainForecast;
}

export interface DeviceSignals {
  readonly device: Device;
  /** The report due at t. Call with increasing t: a rain gauge reports the rain since its previous call. */
  report(t: number): Report;
  /** The retained online status a device publishes when it (re)connects. */
  status(t: number): StatusInput & { online: true };
}

/** The topic type each kind publishes under. */
export const KIND_TYPE: Record<DeviceKind, DeviceType> = {
  'air-station': 'air',
  'wastewater-station': 'water',
  'river-gauge': 'hydro',
  'rain-gauge': 'rain',
  'traffic-camera': 'camera',
  'street-light': 'iot',
  'energy-meter': 'iot',
  reservoir: 'reservoir',
};

const FIRMWARE: Record<DeviceKind, readonly string[]> = {
  'air-station': ['aqms-3.2.1', 'aqms-3.3.0'],
  'wastewater-station': ['wqms-2.8.4', 'wqms-2.9.0'],
  'river-gauge': ['hydro-1.6.2', 'hydro-1.7.0'],
  'rain-gauge': ['rg-1.4.0', 'rg-1.4.2'],
  'traffic-camera': ['aicam-5.1.0', 'aicam-5.2.3'],
  'street-light': ['slc-2.0.7', 'slc-2.1.0'],
  'energy-meter': ['em-4.0.1', 'em-4.0.3'],
  reservoir: ['scada-7.4.2'],
};

/** Field gauges run on solar panels and batteries; stations, cameras and lights are on mains power. */
const BATTERY_KINDS: ReadonlySet<DeviceKind> = new Set(['river-gauge', 'rain-gauge']);

function assertNever(x: never): never {
  throw new Error(`unhandled device kind: ${String(x)}`);
}

export function createDeviceSignals(device: Device, r: RandomSource | ReseedableRandom, ctx: SignalContext): DeviceSignals {
  if (KIND_TYPE[device.kind] !== device.type) {
    throw new Error(`device ${device.id}: kind ${device.kind} does not publish as type ${device.type}`);
  }
  // Status parameters first, so adding a signal parameter later does not change every status.
  const firmware = pick(r, FIRMWARE[device.kind]);
  const rssi0 = uniform(r, -100, -62);
  const battery0 = uniform(r, -12, 5);
  const reporter = createReporter(device, r, ctx);
  // Statuses come when a connection opens, at times the network decides: their noise has its own stream,
  // so a reconnect does not change the readings.
  const statusNoise = createReseedable(hashSeed(device.id, ctx.seed ^ 0x57a7));
  const reseed = 'reseed' in r ? (t: number) => r.reseed(t) : () => {};
  const report = (t: number): Report => {
    reseed(t);
    return reporter(t);
  };

  function status(t: number): StatusInput & { online: true } {
    statusNoise.reseed(t);
    const s: StatusInput & { online: true } = {
      online: true,
      ts: t,
      rssi: Math.round(rssi0 + 2 * gaussian(statusNoise)),
      firmware,
    };
    if (BATTERY_KINDS.has(device.kind)) {
      // Charged by the afternoon sun, drained overnight.
      const charge = 72 + 20 * Math.cos((2 * Math.PI * (vnHour(t) - 16)) / 24);
      s.battery = Math.round(clamp(charge + battery0, 0, 100));
    }
    return s;
  }

  return { device, report, status };
}

/** Natural incidents on the province's roads, plus the scenario's. */
function incidentsFor(ctx: SignalContext): IncidentsAt | undefined {
  const { roads, effects } = ctx;
  if (!roads && !effects?.incidents) return undefined;
  return (road, t) => {
    const extent = roads?.get(road);
    const natural: readonly RoadIncident[] = extent ? naturalIncidents(ctx.seed, road, extent, t) : [];
    const scripted = effects?.incidents?.(road, t) ?? [];
    return scripted.length === 0 ? natural : [...natural, ...scripted];
  };
}

function createReporter(device: Device, r: RandomSource, ctx: SignalContext): (t: number) => Report {
  const only = (f: (t: number) => Telemetry) => (t: number) => ({ telemetry: f(t), events: [] });
  const kind = device.kind;
  switch (kind) {
    case 'air-station':
      return only(createAirModel(device, r, ctx.seed, ctx.effects));
    case 'wastewater-station':
      return only(createWaterModel(device, r, ctx.effects));
    case 'river-gauge':
      return only(createHydroModel(device, r, ctx.seed, ctx.rivers, ctx.effects));
    case 'rain-gauge': {
      const gauge = createRainModel(device, ctx.seed, ctx.effects);
      const qpf = createRainForecastModel(device, ctx.seed, ctx.effects);
      return (t) => {
        const telemetry = gauge(t);
        // The report covers the interval it says (in whole milliseconds): a forecast issued in it goes with it.
        const forecast = qpf.issuedIn(Math.round(t - telemetry.intervalSec * 1000), t);
        return { telemetry, events: [], ...(forecast ? { forecast } : {}) };
      };
    }
    case 'traffic-camera': {
      const camera = createCameraModel(device, r, ctx.plateCodes, incidentsFor(ctx));
      return (t) => camera.report(t, device.reportIntervalSec);
    }
    case 'street-light':
      return only(createStreetLightModel(device, r));
    case 'energy-meter':
      return only(createEnergyMeterModel(device, r));
    case 'reservoir': {
      const lake = createReservoirModel(device, r, ctx.effects);
      return (t) => lake(t, device.reportIntervalSec * 1000);
    }
    default:
      return assertNever(kind);
  }
}

/** The device's signals with its own random source, reseeded per report, as the fleet builds them. */
export function signalsFor(device: Device, ctx: SignalContext): DeviceSignals {
  return createDeviceSignals(device, createReseedable(hashSeed(device.id, ctx.seed)), ctx);
}

/** Chainage range of each road, from the cameras' `km`: where natural incidents may happen. */
export function roadExtents(devices: readonly Device[]): Map<string, RoadExtent> {
  const out = new Map<string, RoadExtent>();
  for (const d of devices) {
    const road = d.props?.road;
    const km = d.props?.km;
    if (d.kind !== 'traffic-camera' || typeof road !== 'string' || typeof km !== 'number') continue;
    const e = out.get(road);
    if (e) {
      e.minKm = Math.min(e.minKm, km);
      e.maxKm = Math.max(e.maxKm, km);
    } else out.set(road, { minKm: km, maxKm: km });
  }
  return out;
}
