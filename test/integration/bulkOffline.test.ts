/**
 * Issue 18 point 1: a storm of bulk IoT devices costs what it means. Quảng Ngãi's 2,000 street lights and
 * energy meters flap while the wall listens through a real socket: each (commune, kind) is one alarm whose
 * count follows the devices, and the alarm part of every wall delta stays small.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../server/app';
import type { WallDelta, WallSnapshot } from '../../shared/events';
import { createRandom } from '../../shared/random';
import { AlarmStore } from '../../client/alarms/alarmStore';
import { ROUTINE_EVERY_TICKS } from '../../server/alarms/service';
import { connectSocket, startTestApp, subscribe, waitFor, type TestSocket } from '../support/harness';

let app: App | undefined;
const sockets: TestSocket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await app?.close();
  app = undefined;
});

/** The budget of issue 18: the alarm part of one wall delta. */
const ALARM_BYTES_PER_DELTA = 10_000;
const FLAPPING_TICKS = 12;
/** 2 % of the bulk devices change state each tick (the bench flips 1 % of 100,000). */
const FLIPS_PER_TICK = 40;

describe('bulk IoT devices offline', () => {
  it('2,000 flapping street lights and meters: one alarm per (commune, kind) with the right count on the wall; under 10 KB of alarms per delta', async () => {
    let clock = Date.UTC(2026, 11, 4, 2, 0, 0);
    app = await startTestApp({ tickMs: 600_000 }, { now: () => clock });
    const { table } = app;
    const devices = app.province.registry.devices;
    const bulk = devices.map((d, i) => ({ d, i })).filter((x) => x.d.type === 'iot');
    expect(bulk.length).toBeGreaterThanOrEqual(2000);

    // Every device reports once (a first report is not news), then one in five goes dark for good.
    for (const { i } of bulk) table.applyReading(i, clock, { power: 80 });
    app.tick();
    const s = connectSocket(app.url);
    sockets.push(s);
    const wall = await subscribe(s, 'wall');
    const store = new AlarmStore({ schedule: (cb) => cb() });
    store.applySnapshot((wall.snapshot as WallSnapshot).alarms!);

    const seen = () => wall.deltas.length;
    const tickAndWait = async () => {
      const before = seen();
      clock += 250;
      app!.tick();
      await waitFor('the delta', () => seen() > before || undefined);
    };
    const dark = bulk.filter((_, k) => k % 5 === 0);
    const flapping = bulk.filter((_, k) => k % 5 !== 0);
    for (const { i } of dark) table.applyStatus(i, false, clock);
    await tickAndWait();

    const r = createRandom(18);
    const from = seen();
    for (let t = 0; t < FLAPPING_TICKS; t++) {
      for (let k = 0; k < FLIPS_PER_TICK; k++) {
        const { i } = flapping[Math.floor(r.next() * flapping.length)]!;
        table.applyStatus(i, table.online[i] !== 1, clock);
      }
      await tickAndWait();
    }
    const to = seen();
    // Counts and members move the alarms once a second, each in its slot: a second more, and all are told.
    for (let k = 0; k < ROUTINE_EVERY_TICKS; k++) await tickAndWait();
    for (const d of wall.deltas) expect(store.applyDelta((d as WallDelta).alarms!)).toBe('applied');

    const bytes = wall.deltas.slice(from, to).map((d) => JSON.stringify((d as WallDelta).alarms).length);
    const mean = Math.round(bytes.reduce((a, b) => a + b, 0) / bytes.length);
    expect(Math.max(...bytes), `alarm bytes per delta while flapping: ${bytes.join(', ')} (mean ${mean})`).toBeLessThan(ALARM_BYTES_PER_DELTA);

    // What the table says is offline, per (commune, kind), is what the wall shows: one alarm each.
    const offline = new Map<string, number>();
    for (const { d, i } of bulk) {
      if (table.online[i] === 1) continue;
      const key = `${d.commune}|${d.kind}`;
      offline.set(key, (offline.get(key) ?? 0) + 1);
    }
    const onWall = new Map<string, number>();
    for (const a of store.list()) {
      if (a.domain !== 'device') continue;
      expect(a.kind, `${a.title} ${a.source}`).toBe('group');
      const key = `${a.commune}|${a.ruleId === 'energy-meter-offline' ? 'energy-meter' : 'street-light'}`;
      expect(onWall.has(key), `a second alarm for ${key}`).toBe(false);
      // A group whose devices all came back stays on the wall, cleared, until someone acknowledges it.
      if (a.members!.active === 0) expect(a).toMatchObject({ state: 'cleared', conditionActive: false });
      else onWall.set(key, a.members!.active);
    }
    expect(onWall).toEqual(offline);
    expect(store.totals?.open).toBe(store.list().length);
  });
});
