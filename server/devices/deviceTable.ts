/**
 * Live state of every registered device, kept as struct-of-arrays so a reading costs no
 * allocation beyond its values, and a tick can walk only what changed (the dirty list).
 * Pure: the caller passes `now`; no timers, no I/O.
 */
import type { Device } from '../../shared/devices';
import { DEVICE_TYPES, type DeviceType } from '../../shared/mqtt';
import type { TypeCounts } from '../../shared/events';
import { DEFAULT_ALARM_TIMINGS } from '../alarms/timings';

/** A device that misses this many of its expected reports is offline (a province may set its own: timings.ts). */
export const MISSED_REPORTS_OFFLINE = DEFAULT_ALARM_TIMINGS.offline.missedReports;

export interface DeviceTableOptions {
  missedReports?: number;
}

export class DeviceTable {
  readonly devices: readonly Device[];
  readonly size: number;
  private readonly byId = new Map<string, number>();
  private readonly typeOf: DeviceType[];
  private readonly timeoutMs: Float64Array;
  /** 1 online, 0 offline. */
  readonly online: Uint8Array;
  /** Epoch ms of the newest live reading (0: never). */
  readonly lastSeen: Float64Array;
  /** Epoch ms at which the device went offline (0: never seen, or online). */
  readonly offlineSince: Float64Array;
  readonly values: (Record<string, number> | undefined)[];
  private readonly seen: Uint8Array;
  private readonly onlineByType = new Map<DeviceType, number>();
  private readonly totalByType = new Map<DeviceType, number>();
  // Dirty tracking, bounded by construction: each device is listed at most once per tick.
  private readonly dirtyFlag: Uint8Array;
  private readonly dirtyList: Int32Array;
  private dirtyCount = 0;
  /** Of the dirty devices, those whose online state changed (a bulk device's only news for the wall). */
  private readonly flipFlag: Uint8Array;
  /**
   * Told of every online ↔ offline change after the device was first seen (a device never heard
   * from is not "lost"). Set by the app to feed the offline alarms.
   */
  onTransition: ((i: number, online: boolean, at: number) => void) | undefined;

  constructor(devices: readonly Device[], opts: DeviceTableOptions = {}) {
    const missed = opts.missedReports ?? MISSED_REPORTS_OFFLINE;
    this.devices = devices;
    this.size = devices.length;
    this.typeOf = devices.map((d) => d.type);
    this.timeoutMs = Float64Array.from(devices, (d) => d.reportIntervalSec * 1000 * missed);
    this.online = new Uint8Array(this.size);
    this.lastSeen = new Float64Array(this.size);
    this.offlineSince = new Float64Array(this.size);
    this.seen = new Uint8Array(this.size);
    this.values = new Array<Record<string, number> | undefined>(this.size).fill(undefined);
    this.dirtyFlag = new Uint8Array(this.size);
    this.dirtyList = new Int32Array(this.size);
    this.flipFlag = new Uint8Array(this.size);
    for (const t of DEVICE_TYPES) {
      this.onlineByType.set(t, 0);
      this.totalByType.set(t, 0);
    }
    devices.forEach((d, i) => {
      if (this.byId.has(d.id)) throw new Error(`duplicate device id in registry: ${d.id}`);
      this.byId.set(d.id, i);
      this.totalByType.set(d.type, (this.totalByType.get(d.type) ?? 0) + 1);
    });
  }

  indexOf(id: string): number | undefined {
    return this.byId.get(id);
  }

  typeAt(i: number): DeviceType {
    return this.typeOf[i]!;
  }

  /** Whether a reading taken at `ts` still says the device is alive at `now`. */
  isLive(i: number, ts: number, now: number): boolean {
    return now - ts < this.timeoutMs[i]!;
  }

  /** A live reading: newest values win; an older reading never overwrites a newer one. */
  applyReading(i: number, ts: number, values: Record<string, number>): void {
    if (ts < this.lastSeen[i]!) return;
    this.lastSeen[i] = ts;
    this.values[i] = values;
    this.setOnline(i, true, ts);
    this.markDirty(i);
  }

  /**
   * A device's last reading from the store, at start (the warm start): its values and time, as the wall showed
   * them before the restart; online only while that reading is still live, so a restart shows no device
   * "never seen" that reported a minute ago, and raises nothing for one that was offline already.
   */
  restore(i: number, ts: number, values: Record<string, number>, now: number): void {
    if (ts < this.lastSeen[i]!) return;
    this.lastSeen[i] = ts;
    this.values[i] = values;
    if (this.isLive(i, ts, now)) this.setOnline(i, true, ts);
    else if (this.online[i] === 0) {
      // Offline since its reports stopped, and seen: its return is news (it clears the offline alarm kept in
      // the alarm store across the restart).
      this.seen[i] = 1;
      this.offlineSince[i] = ts + this.timeoutMs[i]!;
    }
    this.markDirty(i);
  }

  /** Status channel: `online: false` (often the MQTT last will) takes the device offline at once. */
  applyStatus(i: number, online: boolean, now: number): void {
    if (online) {
      if (now > this.lastSeen[i]!) this.lastSeen[i] = now;
      this.setOnline(i, true, now);
    } else {
      this.setOnline(i, false, now);
    }
    this.markDirty(i);
  }

  /** Marks offline every device whose last report is older than three report intervals. */
  sweep(now: number): number {
    let changed = 0;
    for (let i = 0; i < this.size; i++) {
      if (this.online[i] === 1 && now - this.lastSeen[i]! >= this.timeoutMs[i]!) {
        this.setOnline(i, false, this.lastSeen[i]! + this.timeoutMs[i]!);
        this.markDirty(i);
        changed++;
      }
    }
    return changed;
  }

  counts(): TypeCounts {
    const out = {} as TypeCounts;
    for (const t of DEVICE_TYPES) out[t] = { total: this.totalByType.get(t) ?? 0, online: this.onlineByType.get(t) ?? 0 };
    return out;
  }

  onlineTotal(): number {
    let n = 0;
    for (const v of this.onlineByType.values()) n += v;
    return n;
  }

  /**
   * Hands the devices changed since the last call to `fn`, then clears the list. `flipped`: the device went
   * online or offline since the last call (and may have come back: it is news either way).
   */
  drainDirty(fn: (i: number, flipped: boolean) => void): number {
    const n = this.dirtyCount;
    for (let k = 0; k < n; k++) {
      const i = this.dirtyList[k]!;
      this.dirtyFlag[i] = 0;
      const flipped = this.flipFlag[i] === 1;
      this.flipFlag[i] = 0;
      fn(i, flipped);
    }
    this.dirtyCount = 0;
    return n;
  }

  /** Something derived from the device changed (its index, its stage…): send it next tick. */
  touch(i: number): void {
    this.markDirty(i);
  }

  get pendingDirty(): number {
    return this.dirtyCount;
  }

  private markDirty(i: number): void {
    if (this.dirtyFlag[i] === 1) return;
    this.dirtyFlag[i] = 1;
    this.dirtyList[this.dirtyCount++] = i;
  }

  private setOnline(i: number, on: boolean, at: number): void {
    const was = this.online[i] === 1;
    if (was === on) return;
    this.online[i] = on ? 1 : 0;
    this.offlineSince[i] = on ? 0 : at;
    // Every caller marks the device dirty after this: the flag is drained with it.
    this.flipFlag[i] = 1;
    // The first report of a device is not news; losing it afterwards, and its return, are.
    if (this.seen[i] === 1) this.onTransition?.(i, on, at);
    if (on) this.seen[i] = 1;
    const t = this.typeOf[i]!;
    this.onlineByType.set(t, (this.onlineByType.get(t) ?? 0) + (on ? 1 : -1));
  }
}
