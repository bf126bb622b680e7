/**
 * The flood rehearsed into a server on the scenario's clock, with the fleet's learning period (issue 17: "shows
 * forecast alarms on the wall hours before the river crosses BĐ II and BĐ III"). A rehearsal's server has no
 * warm start (its clock is not known at start): its river models learn once the fleet's 14 days of the basins'
 * history are in its store (the clock's `backfilling` turns false, server/store/readings/warmRivers.ts
 * `relearnRivers`). Without that they would still be learning when the upper rivers cross.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../server/app';
import type { WallDelta } from '../../shared/events';
import { startFleet, type Fleet } from '../../simulators/fleet/fleet';
import { connectSocket, startTestApp, subscribe, waitFor, type TestSocket } from '../support/harness';

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
const STAGE = { I: 1, II: 2, III: 3 } as const;

describe('a flood rehearsal with its learning period', () => {
  it('learns the river models from the 14 days before the story and warns of BĐ II and III hours before the rivers cross them', async () => {
    app = await startTestApp({ clock: 'scenario' });
    const basins = app.province.basins;
    const inputs = new Set(basins.flatMap((b) => [b.gaugeId, ...b.upstream.map((u) => u.id), ...b.rainGauges]));
    sock = connectSocket(app.url);
    const { deltas } = await subscribe(sock, 'wall');
    const lines: string[] = [];
    fleet = await startFleet({
      mqttUrl: app.mqttUrl,
      credentials: app.gateway,
      registry: app.province.registry,
      scenario: 'flood',
      speed: 300,
      seed: 2025,
      rehearsal: true,
      include: (d) => inputs.has(d.id),
      learningRate: 20_000,
      log: (l) => lines.push(l),
    });
    expect(fleet.engine.learnDays).toBe(14);
    const simStart = fleet.engine.simStart;

    // Every forecast alarm as it is first seen at each level, in simulated time.
    const warned = new Map<string, number>();
    const poll = setInterval(() => {
      const t = fleet!.engine.simAt(Date.now());
      for (const a of app!.alarms.snapshot().open) {
        if (a.ruleId !== 'river-forecast-stage') continue;
        for (let s = 1; s <= a.level + 1; s++) if (!warned.has(`${a.source}:${s}`)) warned.set(`${a.source}:${s}`, t);
      }
    }, 100);
    try {
      await fleet.learnt();
      // Learnt: the wall's forecasts are out of their learning, each lead with its band.
      const trained = await waitFor(
        'forecasts learnt from the learning period',
        () => (deltas as WallDelta[]).flatMap((d) => d.forecasts ?? []).find((f) => f.leads.every((l) => !l.warmingUp && l.low !== undefined)),
        20_000,
      );
      // Well before the first BĐ II crossing (2 h 40 min); at 300× beside this test's fleet the learning period
      // arrives later in simulated time than at 60× (31 min), and later still on a loaded machine.
      expect(trained.issuedAt - simStart).toBeLessThan(2 * HOUR);
      await waitFor('the upper rivers past BĐ III', () => fleet!.stats().simNow >= simStart + 3.7 * HOUR, 60_000);
    } finally {
      clearInterval(poll);
    }

    // The fleet's own account of each crossing: "Trạm thủy văn Sơn Hà (Rin) crossed BĐ II: 47.04 m at sim +2 h 40 min".
    const byName = new Map(app.province.registry.devices.map((d) => [d.name, d.id]));
    const crossings = lines.flatMap((l) => {
      const m = /^(.+) \(.*\) crossed BĐ (I{1,3}): .* at sim \+(\d+) h (\d+) min$/.exec(l);
      return m ? [{ id: byName.get(m[1]!)!, stage: STAGE[m[2] as keyof typeof STAGE], at: simStart + Number(m[3]) * HOUR + Number(m[4]) * 60_000 }] : [];
    });
    const serious = crossings.filter((c) => c.stage >= 2);
    // By 3.7 h the four upper gauges have crossed BĐ II and two of them BĐ III (seed 2025; measured leads 1.85–2.82 h).
    expect(serious.length).toBeGreaterThanOrEqual(6);
    for (const c of serious) {
      const at = warned.get(`${c.id}:${c.stage}`);
      expect(at, `${c.id} BĐ ${c.stage}`).toBeDefined();
      // The rehearsal at 60× (README) warned 2 h 09 min or more ahead; at 300× beside this test's fleet the
      // learning period arrives later in simulated time, the more so the more loaded the machine (1.48 h seen in
      // a fresh-clone CI run of the whole suite), so here at least an hour.
      expect(c.at - at!, `${c.id} BĐ ${c.stage}`).toBeGreaterThanOrEqual(1 * HOUR);
    }
  }, 120_000);
});
