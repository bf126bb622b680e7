import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Device } from '../../shared/devices';
import { EnvironmentService } from '../domain/env/environment';
import { loadRegistry } from '../provinces/load';
import { AlarmStore } from '../store/alarmStore';
import { alarmStoreRecords } from '../store/alarmStoreRecords';
import type { Reading, ReadingStore } from '../store/readings/port';
import { openSqliteReadingStore } from '../store/readings/sqliteEngine';
import { snapshotAt } from './snapshotAt';

const MIN = 60_000;
const HOUR = 60 * MIN;
const AT = Date.UTC(2026, 10, 20, 12, 37, 30);

let store: ReadingStore;
let alarms: AlarmStore;
beforeEach(async () => {
  store = await openSqliteReadingStore({ file: ':memory:' });
  alarms = new AlarmStore(':memory:');
});
afterEach(async () => {
  alarms.close();
  await store.close();
});

function pick(): Device[] {
  const all = loadRegistry('quang-ngai').registry.devices;
  const of = (t: Device['type'], n: number) => all.filter((d) => d.type === t).slice(0, n);
  return [...of('air', 3), ...of('hydro', 1), ...of('water', 1), ...of('rain', 2), ...of('iot', 1)];
}

describe('snapshotAt', () => {
  it('derives each station as a fresh env fed every raw reading of the 26 h would (air from hourly rollups)', async () => {
    const devices = pick();
    const batch: Reading[] = [];
    for (let ts = AT - 27 * HOUR; ts <= AT + 10 * MIN; ts += MIN) {
      devices.forEach((d, i) => {
        // The third air station falls silent 2 h before `at`: its latest reading comes from its last hour.
        if (i === 2 && ts > AT - 2 * HOUR - 17 * MIN) return;
        // The second rain gauge falls silent 5 h before: its 24 h total still counts, from the hourly rollups.
        if (i === 6 && ts > AT - 5 * HOUR - 17 * MIN) return;
        const w = Math.sin(ts / HOUR + i) * 40 + 60 + (ts % 7);
        const values: Record<string, number> =
          d.type === 'air' ? { pm25: w, pm10: w * 1.5, o3: w * 2, co: w * 50, no2: w / 2, so2: w / 3 }
          : d.type === 'hydro' ? { waterLevel: w / 20 }
          : d.type === 'rain' ? { precipitation: Math.floor(ts / MIN) % 5 === 0 ? w / 40 : 0 }
          : d.type === 'water' ? { pH: 7 + w / 100, cod: w * 2, tss: w }
          : { power: w };
        batch.push({ deviceId: d.id, type: d.type, ts: ts + i * 1000, values });
      });
    }
    await store.append(batch);

    // The reference: every raw reading of the 26 h up to `at` (none after), as the warm start feeds them.
    const ref = new EnvironmentService(devices);
    for (let i = 0; i < devices.length; i++) {
      for (const p of await store.range(devices[i]!.id, AT - 26 * HOUR, AT + 1)) ref.onTelemetry(i, p.ts, p.values, AT);
    }
    ref.flush(AT, () => {});

    const snap = await snapshotAt({ readings: store, devices, alarms: alarmStoreRecords(alarms), registryVersion: 'v' }, AT);
    for (let i = 0; i < devices.length - 1; i++) {
      const x = snap.devices[i]!.x;
      expect(x, devices[i]!.id).toBeDefined();
      expect(JSON.parse(JSON.stringify(x))).toEqual(JSON.parse(JSON.stringify(ref.derived(i))));
    }
    expect(snap.devices[0]!.x).toMatchObject({ kind: 'air' });
    expect((snap.devices[0]!.x as { aqi: number | null }).aqi).not.toBeNull();
    // Latest readings: at or before `at`, never after; the silent station's from its last hour.
    expect(snap.devices[0]).toMatchObject({ on: 1, ts: AT });
    expect(snap.devices[2]).toMatchObject({ on: 0, ts: AT - 2 * HOUR - 17 * MIN + 2000 });
    expect(snap.devices[2]!.v?.pm25).toBeTypeOf('number');
    expect(snap.devices[6]).toMatchObject({ on: 0, ts: AT - 5 * HOUR - 17 * MIN + 6000 });
    expect((snap.devices[6]!.x as { h24: number }).h24).toBeGreaterThan(0);
    expect(snap.communes!.length).toBeGreaterThan(0);
  });
  it('gives wastewater exceedances their whole run: a long one from the 26 h, short ones and old parameters exactly', async () => {
    const water = loadRegistry('quang-ngai').registry.devices.filter((d) => d.type === 'water').slice(0, 4);
    const batch: Reading[] = [];
    for (let ts = AT - 27 * HOUR; ts <= AT + 10 * MIN; ts += MIN) {
      const v = (cod: number, extra: Record<string, number> = {}) => ({ pH: 7.2, cod, tss: 30, ...extra });
      // 0: COD above any limit for the last 5 h (a run older than the window); 1: for the last 30 min only;
      // 2: BOD5 reported until 4 h before, not since (its old value is still the latest); 3: a gap of an hour
      // inside a long run restarts it 40 min before `at`.
      batch.push({ deviceId: water[0]!.id, type: 'water', ts, values: v(ts > AT - 5 * HOUR ? 900 : 40) });
      batch.push({ deviceId: water[1]!.id, type: 'water', ts: ts + 1000, values: v(ts > AT - 30 * MIN ? 900 : 40) });
      batch.push({ deviceId: water[2]!.id, type: 'water', ts: ts + 2000, values: v(40, ts < AT - 4 * HOUR ? { bod5: 900 } : {}) });
      if (ts < AT - 100 * MIN || ts > AT - 40 * MIN) batch.push({ deviceId: water[3]!.id, type: 'water', ts: ts + 3000, values: v(ts > AT - 8 * HOUR ? 900 : 40) });
    }
    await store.append(batch);
    const ref = new EnvironmentService(water);
    for (let i = 0; i < water.length; i++) {
      for (const p of await store.range(water[i]!.id, AT - 26 * HOUR, AT + 1)) ref.onTelemetry(i, p.ts, p.values, AT);
    }
    ref.flush(AT, () => {});

    const snap = await snapshotAt({ readings: store, devices: water, alarms: alarmStoreRecords(alarms), registryVersion: 'v' }, AT);
    for (let i = 0; i < water.length; i++) expect(JSON.parse(JSON.stringify(snap.devices[i]!.x)), water[i]!.id).toEqual(JSON.parse(JSON.stringify(ref.derived(i))));
    const cod = (i: number) => (snap.devices[i]!.x as { params: Record<string, { exceedingSince: number | null }> }).params.cod!.exceedingSince;
    // The first reading after AT − 5 h (the readings fall on whole minutes from AT − 27 h).
    expect(cod(0)).toBe(AT - 5 * HOUR + MIN);
    expect(cod(1)).toBeGreaterThan(AT - 31 * MIN);
    expect((snap.devices[2]!.x as { params: Record<string, { value: number }> }).params.bod5?.value).toBe(900);
    expect(cod(3)).toBeGreaterThan(AT - 41 * MIN);
  });
});
