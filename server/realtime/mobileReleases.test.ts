/** The phone's flood releases: every reservoir releasing or with one announced, and what a commune's account sees. */
import { describe, expect, it } from 'vitest';
import type { ReservoirDerived, StationDerived } from '../../shared/environment';
import { mobileEnv, scopedReleases, type FrameSources } from './frames';

const T = Date.UTC(2026, 6, 20, 3);
const lake = (over: Partial<ReservoirDerived>): ReservoirDerived => ({
  kind: 'reservoir',
  level: 200,
  inflow: 6000,
  outflow: 3500,
  gatesOpen: 0,
  gates: 18,
  normalLevel: 215,
  deadLevel: 175,
  limitNow: 197.3,
  inFloodSeason: true,
  stage: 1,
  belowDead: false,
  rateCmH: null,
  release: null,
  notice: null,
  downstream: ['03808', '03847', '03850'],
  ...over,
});

function sources(derived: (StationDerived | undefined)[]): FrameSources {
  return { table: { size: derived.length }, env: { derived: (i: number) => derived[i] } } as unknown as FrameSources;
}

describe("the phone's releases", () => {
  it('lists releasing reservoirs before announced ones, with the reported flow once open and the planned one before', () => {
    const notice = { phase: 'announced' as const, ts: T, startsAt: T + 7_200_000, gates: 2, outflow: 5300, note: null };
    const env = mobileEnv(
      sources([
        lake({ release: 'announced', notice }),
        lake({}),
        lake({ release: 'releasing', gatesOpen: 3, outflow: 6200, notice: { ...notice, phase: 'started' } }),
      ]),
    );
    expect(env.releases).toEqual([
      { i: 2, release: 'releasing', startsAt: T + 7_200_000, gates: 3, outflow: 6200, downstream: ['03808', '03847', '03850'] },
      { i: 0, release: 'announced', startsAt: T + 7_200_000, gates: 2, outflow: 5300, downstream: ['03808', '03847', '03850'] },
    ]);
    expect(mobileEnv(sources([lake({})])).releases).toBeUndefined();
  });

  it("shows a commune's account the releases that reach it, naming only its own communes", () => {
    const r = { i: 0, release: 'releasing' as const, startsAt: null, gates: 2, outflow: 5300, downstream: ['03808', '03847', '03850'] };
    expect(scopedReleases([r], new Set(['03847']))).toEqual([{ ...r, downstream: ['03847'] }]);
    expect(scopedReleases([r], new Set(['04168']))).toBeUndefined();
  });
});
