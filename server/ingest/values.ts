/** Flattens a validated telemetry payload into the name → number map the table and views keep. */
import type { DeviceType } from '../../shared/mqtt';
import type {
  ReservoirTelemetry,
  AirTelemetry,
  CameraTelemetry,
  HydroTelemetry,
  IotTelemetry,
  RainTelemetry,
  WaterTelemetry,
} from '../../shared/mqtt';
import { assertNever } from '../../shared/protocol';

type Telemetry = ReservoirTelemetry | AirTelemetry | WaterTelemetry | HydroTelemetry | RainTelemetry | CameraTelemetry | IotTelemetry;

export function toValues(type: DeviceType, data: Telemetry): Record<string, number> {
  switch (type) {
    case 'air':
    case 'water':
    case 'hydro':
    case 'rain':
    case 'reservoir': {
      const out: Record<string, number> = {};
      for (const k in data) {
        if (k === 'ts') continue;
        const v = (data as unknown as Record<string, unknown>)[k];
        if (typeof v === 'number') out[k] = v;
      }
      return out;
    }
    case 'camera': {
      const d = data as CameraTelemetry;
      const out: Record<string, number> = {
        windowSec: d.windowSec,
        averageVehicleSpeed: d.averageVehicleSpeed,
        occupancy: d.occupancy,
      };
      let total = 0;
      for (const [k, v] of Object.entries(d.intensity)) {
        if (typeof v !== 'number') continue;
        out[`intensity.${k}`] = v;
        total += v;
      }
      out.intensity = total;
      return out;
    }
    case 'iot':
      return (data as IotTelemetry).values;
    default:
      return assertNever(type, 'device type');
  }
}
