/**
 * Seeded, time-driven signal models for every device kind. Given a device, its random source
 * (createRandom(hashSeed(device.id, seed))) and a clock value t, a model returns payloads of the MQTT
 * contract: the same seed and the same sequence of t give the same payloads, byte for byte.
 * No Date.now, no Math.random: the caller owns the clock.
 */
import type { Device, DeviceKind } from '../../shared/devices';
import type { CameraEventInput, DeviceType, StatusInput, TelemetryInput } from '../../shared/mqtt';
import { createRandom, gaussian, hashSeed, pick, uniform, type RandomSource } from '../../shared/random';
import { createAirModel, createHydroModel, createRainModel, createWaterModel } from './environment';
import { createEnergyMeterModel, createStreetLightModel } from './iot';
import { clamp, vnHour } from './noise';
import { createCameraModel } from './traffic';

export interface SignalContext {
  /** The fleet seed. Also keys the province-wide weather, so nearby stations agree. */
  seed: number;
  /** The province's licence-plate codes (shared/provinces.ts `plateCodes`). */
  plateCodes: readonly string[];
}

export type Telemetry = TelemetryInput[DeviceType];

export interface Report {
  telemetry: Telemetry;
  /** Camera violations detected during the report window (empty for other kinds). */
  events: CameraEventInput[];
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
};

const FIRMWARE: Record<DeviceKind, readonly string[]> = {
  'air-station': ['aqms-3.2.1', 'aqms-3.3.0'],
  'wastewater-station': ['wqms-2.8.4', 'wqms-2.9.0'],
  'river-gauge': ['hydro-1.6.2', 'hydro-1.7.0'],
  'rain-gauge': ['rg-1.4.0', 'rg-1.4.2'],
  'traffic-camera': ['aicam-5.1.0', 'aicam-5.2.3'],
  'street-light': ['slc-2.0.7', 'slc-2.1.0'],
  'energy-meter': ['em-4.0.1', 'em-4.0.3'],
};

/** Field gauges run on solar panels and batteries; stations, cameras and lights are on mains power. */
const BATTERY_KINDS: ReadonlySet<DeviceKind> = new Set(['river-gauge', 'rain-gauge']);

function assertNever(x: never): never {
  throw new Error(`unhandled device kind: ${String(x)}`);
}

export function createDeviceSignals(device: Device, r: RandomSource, ctx: SignalContext): DeviceSignals {
  if (KIND_TYPE[device.kind] !== device.type) {
    throw new Error(`device ${device.id}: kind ${device.kind} does not publish as type ${device.type}`);
  }
  // Status parameters first, so adding a signal parameter later does not change every status.
  const firmware = pick(r, FIRMWARE[device.kind]);
  const rssi0 = uniform(r, -100, -62);
  const battery0 = uniform(r, -12, 5);
  const report = createReporter(device, r, ctx);

  function status(t: number): StatusInput & { online: true } {
    const s: StatusInput & { online: true } = {
      online: true,
      ts: t,
      rssi: Math.round(rssi0 + 2 * gaussian(r)),
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

function createReporter(device: Device, r: RandomSource, ctx: SignalContext): (t: number) => Report {
  const only = (f: (t: number) => Telemetry) => (t: number) => ({ telemetry: f(t), events: [] });
  const kind = device.kind;
  switch (kind) {
    case 'air-station':
      return only(createAirModel(device, r, ctx.seed));
    case 'wastewater-station':
      return only(createWaterModel(device, r));
    case 'river-gauge':
      return only(createHydroModel(device, r, ctx.seed));
    case 'rain-gauge':
      return only(createRainModel(device, r, ctx.seed));
    case 'traffic-camera': {
      const camera = createCameraModel(device, r, ctx.plateCodes);
      return (t) => camera.report(t, device.reportIntervalSec);
    }
    case 'street-light':
      return only(createStreetLightModel(device, r));
    case 'energy-meter':
      return only(createEnergyMeterModel(device, r));
    default:
      return assertNever(kind);
  }
}

/** The device's signals with its own random source, as the fleet builds them. */
export function signalsFor(device: Device, ctx: SignalContext): DeviceSignals {
  return createDeviceSignals(device, createRandom(hashSeed(device.id, ctx.seed)), ctx);
}
