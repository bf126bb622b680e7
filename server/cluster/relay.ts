/**
 * Shared state across instances (DESIGN.md "Scale path", "State across instances"): the broker's shared
 * subscription hands each MQTT message to one instance, which validates it, stores it, and at its next tick
 * relays what it accepted to the other instances in one compact batch. Each instance applies the others'
 * batches to its own device table, environment and traffic state (no validation again, no store write), so
 * every instance's state is the province's, whichever instance took a reading: offline sweeps, station
 * indices, traffic and the frames all come out the same, and each instance builds its own clients' frames.
 *
 * Records are positional arrays (small on the wire, cheap to build): the device's registry index, which the
 * instances share because they run the same registry version (a batch from another version is ignored, counted).
 */
import type { CameraEvent, RainForecast, ReservoirEvent } from '../../shared/mqtt';

export type RelayRecord =
  /** A telemetry reading: index, ts, values. */
  | [0, number, number, Record<string, number>]
  /** A status message: index, online (1/0), when it was taken. */
  | [1, number, 0 | 1, number]
  /** A camera event (a violation): index, the event as validated. */
  | [2, number, CameraEvent]
  /** A reservoir's release notice: index, the notice as validated. */
  | [3, number, ReservoirEvent]
  /** A rain gauge's point rain forecast: index, the forecast as validated. */
  | [4, number, RainForecast];

export interface RelayBatch {
  /** The registry version of the sender: indices mean the same devices only under the same version. */
  v: string;
  r: RelayRecord[];
}

export const RELAY_CHANNEL = 'relay';
/** Records kept between two ticks for the relay; beyond, dropped and counted (the store still has them). */
export const RELAY_BUFFER_CAP = 50_000;

export class RelayBuffer {
  private buf: RelayRecord[] = [];
  dropped = 0;

  constructor(readonly cap = RELAY_BUFFER_CAP) {}

  push(r: RelayRecord): void {
    if (this.buf.length >= this.cap) {
      this.dropped++;
      return;
    }
    this.buf.push(r);
  }

  take(): RelayRecord[] {
    const out = this.buf;
    this.buf = [];
    return out;
  }

  get size(): number {
    return this.buf.length;
  }
}

/** Whether a received value has a record's shape as the receiving side needs it (checked cheaply). */
export function relayRecordOk(r: unknown, devices: number): r is RelayRecord {
  if (!Array.isArray(r) || typeof r[1] !== 'number' || !Number.isInteger(r[1]) || r[1] < 0 || r[1] >= devices) return false;
  switch (r[0]) {
    case 0:
      return r.length === 4 && typeof r[2] === 'number' && typeof r[3] === 'object' && r[3] !== null;
    case 1:
      return r.length === 4 && (r[2] === 0 || r[2] === 1) && typeof r[3] === 'number';
    case 2:
    case 3:
    case 4:
      return r.length === 3 && typeof r[2] === 'object' && r[2] !== null;
    default:
      return false;
  }
}
