/** A reservoir in the environment service: its state from reports and notices, and the signals it gives the alarms. */
import { describe, expect, it } from 'vitest';
import type { ReservoirDerived } from '../../../shared/environment';
import { makeDevice } from '../../../test/support/factories';
import { stationSignals } from '../../alarms/signals';
import { EnvironmentService } from './environment';

const HOUR = 3_600_000;
/** 14 June 2026, 23:00 Vietnam time: an hour before the flood season. */
const T = Date.UTC(2026, 5, 14, 16);
const dam = makeDevice({ type: 'reservoir', id: 'sla-res-0001', commune: '03808' });

function service() {
  const env = new EnvironmentService([dam]);
  const derived = (now: number) => {
    env.flush(now, () => {});
    return env.derived(0) as ReservoirDerived;
  };
  return { env, derived };
}

describe('a reservoir in the environment service', () => {
  it('derives its level against the limit of the day, and the season turns at midnight on the clock alone', () => {
    const { env, derived } = service();
    env.onTelemetry(0, T - 60_000, { waterLevel: 200, inflow: 5200, outflow: 3500, spillwayGatesOpen: 0 }, T);
    const before = derived(T);
    expect(before).toMatchObject({ level: 200, limitNow: 215, inFloodSeason: false, stage: 0, release: null, gatesOpen: 0, inflow: 5200 });
    // No reading: the turn of the hour recomputes it, and 200 m is now above the flood-season limit.
    const after = derived(T + HOUR);
    expect(after).toMatchObject({ limitNow: 197.3, inFloodSeason: true, stage: 1 });
  });

  it('keeps the newest notice by its own time, and reports an open gate as releasing without any notice', () => {
    const { env, derived } = service();
    env.onTelemetry(0, T - 60_000, { waterLevel: 196, spillwayGatesOpen: 0 }, T);
    env.onReservoirEvent(0, { ts: T, release: 'announced', startsAt: T + 2 * HOUR, gates: 2 });
    env.onReservoirEvent(0, { ts: T - HOUR, release: 'ended' }); // late and older: ignored
    expect(derived(T)).toMatchObject({ release: 'announced', notice: { phase: 'announced', gates: 2 } });
    env.onReservoirEvent(0, { ts: T + 60_000, release: 'ended' });
    expect(derived(T + 60_000)).toMatchObject({ release: null, notice: null });
    env.onTelemetry(0, T + 120_000, { waterLevel: 196, spillwayGatesOpen: 3 }, T + 120_000);
    expect(derived(T + 120_000).release).toBe('releasing');
  });

  it("signals the release to each downstream commune in the commune's own name, and the level stage to the dam", () => {
    const { env, derived } = service();
    env.onTelemetry(0, T, { waterLevel: 216, spillwayGatesOpen: 2 }, T);
    const sigs = stationSignals(dam, derived(T), T);
    const release = sigs.filter((s) => s.signal === 'reservoir.release');
    expect(release.map((s) => [s.source, s.commune, s.value])).toEqual([
      ['release-sla-res-0001-21100', '21100', 2],
      ['release-sla-res-0001-21103', '21103', 2],
    ]);
    expect(sigs.find((s) => s.signal === 'reservoir.stage')).toMatchObject({ source: dam.id, commune: '03808', value: 2 });
  });
});
