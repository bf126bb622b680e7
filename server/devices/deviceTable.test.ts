import { describe, expect, it } from 'vitest';
import { DeviceTable, MISSED_REPORTS_OFFLINE } from './deviceTable';
import { makeRegistry } from '../../test/support/factories';

const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);

function table() {
  return new DeviceTable(makeRegistry({ air: 2, iot: 3 }).devices);
}

describe('DeviceTable', () => {
  it('starts with every device offline and counts totals per type', () => {
    const t = table();
    expect(t.counts().air).toEqual({ total: 2, online: 0 });
    expect(t.counts().iot).toEqual({ total: 3, online: 0 });
    expect(t.counts().camera).toEqual({ total: 0, online: 0 });
  });

  it('a live reading makes a device online, and three missed reports make it offline', () => {
    const t = table();
    const i = t.indexOf('t-air-0001')!;
    t.applyReading(i, T0, { pm25: 10 });
    expect(t.online[i]).toBe(1);
    expect(t.counts().air.online).toBe(1);
    const timeout = 60_000 * MISSED_REPORTS_OFFLINE;
    expect(t.sweep(T0 + timeout - 1)).toBe(0);
    expect(t.online[i]).toBe(1);
    expect(t.sweep(T0 + timeout)).toBe(1);
    expect(t.online[i]).toBe(0);
    expect(t.offlineSince[i]).toBe(T0 + timeout);
    expect(t.counts().air.online).toBe(0);
  });

  it("restores a station's last stored reading at start: online only while it is still live, announcing nothing", () => {
    const t = table();
    const transitions: [number, boolean][] = [];
    t.onTransition = (i, online) => transitions.push([i, online]);
    const [a, b] = [t.indexOf('t-air-0001')!, t.indexOf('t-air-0002')!];
    const timeout = 60_000 * MISSED_REPORTS_OFFLINE;
    t.restore(a, T0 - 60_000, { pm25: 12 }, T0);
    t.restore(b, T0 - timeout, { pm25: 30 }, T0);
    expect([t.online[a], t.lastSeen[a], t.values[a]]).toEqual([1, T0 - 60_000, { pm25: 12 }]);
    // Reported too long ago: its last values and time, still offline.
    expect([t.online[b], t.lastSeen[b], t.values[b]]).toEqual([0, T0 - timeout, { pm25: 30 }]);
    // A first sight is no transition: no "back online" (nor offline) alarm signal from a restart.
    expect(transitions).toEqual([]);
    expect(t.offlineSince[b]).toBe(T0);
    // But the offline one's return is: it clears the offline alarm the store kept across the restart.
    t.applyReading(b, T0 + 1000, { pm25: 31 });
    expect(transitions).toEqual([[b, true]]);
    // A newer reading already taken is never overwritten.
    t.applyReading(a, T0, { pm25: 14 });
    t.restore(a, T0 - 30_000, { pm25: 1 }, T0);
    expect(t.values[a]).toEqual({ pm25: 14 });
  });

  it('a province may set its own number of missed reports (alarms.json offline.missedReports)', () => {
    const t = new DeviceTable(makeRegistry({ air: 1 }).devices, { missedReports: 5 });
    const i = t.indexOf('t-air-0001')!;
    t.applyReading(i, T0, { pm25: 10 });
    expect(t.sweep(T0 + 60_000 * 5 - 1)).toBe(0);
    expect(t.sweep(T0 + 60_000 * 5)).toBe(1);
    expect(t.offlineSince[i]).toBe(T0 + 300_000);
  });

  it('a last will (online: false) takes the device offline at once, a later reading brings it back', () => {
    const t = table();
    const i = t.indexOf('t-air-0002')!;
    t.applyReading(i, T0, { pm25: 10 });
    t.applyStatus(i, false, T0 + 1000);
    expect(t.online[i]).toBe(0);
    t.applyReading(i, T0 + 2000, { pm25: 11 });
    expect(t.online[i]).toBe(1);
    expect(t.values[i]).toEqual({ pm25: 11 });
  });

  it('an older reading never overwrites a newer one', () => {
    const t = table();
    const i = t.indexOf('t-air-0001')!;
    t.applyReading(i, T0 + 5000, { pm25: 50 });
    t.applyReading(i, T0, { pm25: 1 });
    expect(t.values[i]).toEqual({ pm25: 50 });
    expect(t.lastSeen[i]).toBe(T0 + 5000);
  });

  it('lists each changed device once per drain, and the dirty list is bounded by the device count', () => {
    const t = table();
    for (let k = 0; k < 1000; k++) t.applyReading(0, T0 + k, { pm25: k });
    t.applyReading(1, T0, { pm25: 1 });
    expect(t.pendingDirty).toBe(2);
    const seen: number[] = [];
    t.drainDirty((i) => seen.push(i));
    expect(seen).toEqual([0, 1]);
    expect(t.pendingDirty).toBe(0);
    for (let i = 0; i < t.size; i++) for (let k = 0; k < 10; k++) t.applyReading(i, T0 + 10_000 + k, { x: k });
    expect(t.pendingDirty).toBe(t.size);
  });

  it('says which drained devices went online or offline since the last drain, and only those', () => {
    const t = table();
    t.applyReading(0, T0, { pm25: 1 });
    t.applyReading(1, T0, { pm25: 1 });
    const drain = () => {
      const out: [number, boolean][] = [];
      t.drainDirty((i, flipped) => out.push([i, flipped]));
      return out;
    };
    expect(drain()).toEqual([
      [0, true],
      [1, true],
    ]);
    // A reading of a device already online is a change, not a flip; a status going offline is one.
    t.applyReading(0, T0 + 1000, { pm25: 2 });
    t.applyStatus(1, false, T0 + 1000);
    expect(drain()).toEqual([
      [0, false],
      [1, true],
    ]);
    // Off and back within one drain: still news (the wall may have drawn neither).
    t.applyStatus(0, false, T0 + 2000);
    t.applyReading(0, T0 + 2000, { pm25: 3 });
    expect(drain()).toEqual([[0, true]]);
    expect(drain()).toEqual([]);
  });

  it('reports online/offline transitions, but not the first report of a device', () => {
    const t = table();
    const seen: [number, boolean, number][] = [];
    t.onTransition = (i, on, at) => seen.push([i, on, at]);
    t.applyReading(0, T0, { pm25: 1 });
    expect(seen).toEqual([]);
    t.sweep(T0 + 180_000);
    t.applyReading(0, T0 + 200_000, { pm25: 2 });
    t.applyStatus(0, false, T0 + 210_000);
    expect(seen).toEqual([
      [0, false, T0 + 180_000],
      [0, true, T0 + 200_000],
      [0, false, T0 + 210_000],
    ]);
  });

  it('rejects a registry with duplicate ids', () => {
    const reg = makeRegistry({ air: 1 });
    expect(() => new DeviceTable([...reg.devices, ...reg.devices])).toThrow(/duplicate/);
  });
});
