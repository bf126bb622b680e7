import { describe, expect, it } from 'vitest';
import { ForecastService } from './service';

const HOUR = 3_600_000;
const STEP = 10 * 60_000;
const T0 = Date.UTC(2026, 9, 1);
const OMEGA = (2 * Math.PI) / (24 * HOUR);

function run(fc: ForecastService, level: (t: number) => number, from: number, to: number): string[] {
  let changed: string[] = [];
  for (let t = from; t <= to; t += STEP) {
    fc.addLevel('g', t, level(t));
    fc.addLevel('elsewhere', t, 99); // not in any basin: ignored
    changed = fc.step(t);
  }
  return changed;
}

describe('ForecastService', () => {
  it("keeps each lead's errors of the last 6 hours: about zero on a wave it has learnt, growing with the lead when the wave changes", () => {
    const fc = new ForecastService([{ gaugeId: 'g', upstream: [], rainGauges: [] }], (id) => (id === 'g' ? 7 : undefined));
    const small = (t: number): number => 2 - Math.cos(OMEGA * (t - T0));
    const end = T0 + 3 * 24 * HOUR;
    expect(run(fc, small, T0, end)).toEqual(['g']);
    const w = fc.wire('g')!;
    expect(w.i).toBe(7);
    expect(w.issuedAt).toBe(end);
    // Issued and verified every 10 minutes: 6 h back from now, both ends included.
    expect(w.skill.map((s) => s.n)).toEqual([37, 37, 37, 37, 37, 37]);
    for (const s of w.skill) expect(s.mae!).toBeLessThan(0.01);
    expect(fc.all().map((x) => x.i)).toEqual([7]);

    // The wave grows and quickens (a 16-hour period): errors come with it, and a six-hour forecast misses more
    // than a one-hour one. (A linear model of the level's recent changes follows a sinusoid of the period it
    // learnt at any amplitude, so the change must be in its shape.)
    const big = (t: number): number => 1 + 2.75 * (1 - Math.cos(1.5 * OMEGA * (t - T0)));
    run(fc, big, end + STEP, end + 9 * HOUR);
    const after = fc.wire('g')!.skill;
    expect(after[0]!.mae!).toBeGreaterThan(0.01);
    expect(after[5]!.mae!).toBeGreaterThan(after[0]!.mae!);
    // Between issue times nothing is issued, and only what was verified counts as a change.
    expect(fc.step(end + 9 * HOUR + 60_000)).toEqual([]);
  });

  it('has no forecast for a gauge without its last 3 hours of levels', () => {
    const fc = new ForecastService([{ gaugeId: 'g', upstream: [], rainGauges: [] }], () => 0);
    run(fc, () => 3, T0, T0 + 2 * HOUR);
    expect(fc.wire('g')).toBeUndefined();
    expect(fc.all()).toEqual([]);
  });
});
