/**
 * The flash-flood scenario in Sơn La, rehearsed at 600× into a server on the scenario's clock: after two days
 * of rain (sent as history), storm cells break over the mountain communes an hour apart, and the communes'
 * disaster risk levels (QĐ 18/2021, Điều 46) step up on the wall in the cells' order, each commune at level 2
 * or more raising an alarm.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../server/app';
import type { WallDelta, WallSnapshot } from '../../shared/events';
import type { Device } from '../../shared/devices';
import type { ReservoirDerived } from '../../shared/environment';
import { distanceKm } from '../../simulators/fleet/catchment';
import { startFleet, type Fleet } from '../../simulators/fleet/fleet';
import { PROVINCES } from '../../simulators/registry/catalog';
import { connectSocket, startTestApp, subscribe, waitFor, type TestSocket } from '../support/harness';
import { testSimStart } from '../support/simStart';

let app: App | undefined;
let fleet: Fleet | undefined;
let sock: TestSocket | undefined;

afterEach(async () => {
  sock?.disconnect();
  await fleet?.close();
  await app?.close();
  app = fleet = sock = undefined;
});

const HOUR = 3_600_000;
const cells = PROVINCES['son-la']!.scenarios.storm;
/** The rain gauges under the first two cells (within 25 km of their centres), and which cell each is under. */
const cellOf = (d: Device) => cells.slice(0, 2).findIndex((c) => distanceKm(d, c) <= 25);
const underCells = (d: Device) => d.kind === 'rain-gauge' && cellOf(d) >= 0;
/** The Sơn La dam, whose release the scenario announces at 3 h and opens at 5 h. */
const isDam = (d: Device) => d.kind === 'reservoir' && d.name === 'Hồ thủy điện Sơn La';

describe('the flash-flood scenario rehearsed in Sơn La', () => {
  it('steps commune risk levels up cell by cell after the days of rain, raises an alarm at level 2+, and passes the dam release on', async () => {
    app = await startTestApp({ clock: 'scenario', province: 'son-la' });
    const devices = app.province.registry.devices;
    const gauges = devices.filter(underCells);
    expect(gauges.length).toBeGreaterThanOrEqual(6);
    sock = connectSocket(app.url);
    const { snapshot, deltas } = await subscribe(sock, 'wall');
    expect((snapshot as WallSnapshot).risk?.communes).toHaveLength(75);
    expect((snapshot as WallSnapshot).risk?.provisional).toBe(true);

    fleet = await startFleet({
      mqttUrl: app.mqttUrl,
      credentials: app.gateway,
      registry: app.province.registry,
      scenario: 'flash-flood',
      speed: 600,
      seed: 5,
      simStart: testSimStart(),
      // Two hours in: the first cell pours; the levels step up over the next four simulated hours.
      storyOffsetMs: 2 * HOUR,
      rehearsal: true,
      include: (d) => underCells(d) || isDam(d),
    });
    const simStart = fleet.engine.simStart;
    expect(fleet.engine.backfillHours).toBe(47);
    await waitFor('eight simulated hours into the storm', () => fleet!.stats().simNow >= simStart + 6 * HOUR, 90_000);
    // One more risk recomputation after the last reading.
    await new Promise((r) => setTimeout(r, 1500));

    // Each commune's levels in delta order, and the simulated time it first reached 2.
    const levels = new Map<string, number[]>();
    const reached2 = new Map<string, number>();
    for (const d of deltas as WallDelta[]) {
      for (const r of d.risk ?? []) {
        const seq = levels.get(r.code) ?? [];
        if (seq.at(-1) !== r.level) seq.push(r.level);
        levels.set(r.code, seq);
        if (r.level >= 2 && !reached2.has(r.code)) reached2.set(r.code, d.at);
      }
    }
    // Levels only rise while the storm pours (none falls back before its rain leaves the 24 h window).
    for (const [code, seq] of levels) expect(seq, code).toEqual([...seq].sort((a, b) => a - b));
    const atLeast2 = [...reached2.keys()];
    expect(atLeast2.length).toBeGreaterThanOrEqual(3);
    expect([...levels.values()].some((seq) => seq.includes(3))).toBe(true);
    // Every level came with the days of rain before it: Điều 46 gives nothing without them.
    const final = app.risk!.all();
    for (const r of final.filter((x) => x.level > 0)) expect(r.antecedentRainDays, r.code).toBeGreaterThanOrEqual(1);

    // In the cells' order: the communes under the first cell reach level 2 before those only under the second.
    const cellOfCommune = (code: string) => Math.min(...gauges.filter((g) => g.commune === code).map(cellOf));
    const first = atLeast2.filter((c) => cellOfCommune(c) === 0).map((c) => reached2.get(c)!);
    const second = atLeast2.filter((c) => cellOfCommune(c) === 1).map((c) => reached2.get(c)!);
    expect(first.length).toBeGreaterThan(0);
    expect(second.length).toBeGreaterThan(0);
    expect(Math.min(...first)).toBeLessThan(Math.min(...second));

    // An alarm for each commune at level 2 or more, critical at 3.
    const open = app.alarms.snapshot().open.filter((a) => a.ruleId === 'disaster-risk');
    const byCommune = new Map(open.map((a) => [a.commune, a]));
    for (const r of final.filter((x) => x.level >= 2)) {
      expect(byCommune.get(r.code)?.severity, r.code).toBe(r.level >= 3 ? 'critical' : 'major');
    }

    // The dam announced its release at 3 h and opened its gates at 5 h: every commune below it has a critical alarm.
    const dam = devices.find(isDam)!;
    const below = String(dam.props!.downstream).split(',');
    const releases = app.alarms.snapshot().open.filter((a) => a.ruleId === 'flood-release');
    expect(new Set(releases.map((a) => a.commune))).toEqual(new Set(below));
    for (const a of releases) expect(a.severity, a.commune!).toBe('critical');
    const damIndex = devices.indexOf(dam);
    const damStates = (deltas as WallDelta[]).flatMap((d) => d.devices.filter((p) => p.i === damIndex && p.x).map((p) => p.x as ReservoirDerived));
    expect(damStates.map((x) => x.release).filter((r, k, all) => r !== all[k - 1])).toEqual([null, 'announced', 'releasing']);
  }, 150_000);
});
