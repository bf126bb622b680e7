import { describe, expect, it } from 'vitest';
import { rainDriven } from './fixtures';
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

describe('learning again (a rehearsal, once its learning period is in the store)', () => {
  const basins = [{ gaugeId: 'g', upstream: [], rainGauges: ['r1', 'r2'] }];
  const index = (id: string) => (id === 'g' ? 3 : undefined);
  const data = rainDriven(0, 0.3, 0.02, 6, 17);
  const end = T0 + 6 * 24 * HOUR;
  const level = data.level.get('g')!;
  /** A perfect rain forecast of the next 6 h, issued on the hour at each rain gauge. */
  const issues = [...data.rain].flatMap(([id, m]) =>
    [...m.keys()].filter((t) => t % HOUR === 0).map((t) => ({ id, t, mm: Array.from({ length: 36 }, (_, k) => m.get(t + (k + 1) * STEP) ?? 0) })),
  );
  const later = { ts: end + STEP, level: (level.get(end) ?? 5) + 0.01 };

  it('ends where a server that took the same history live would be, with the rain forecasts each at its time', async () => {
    // Live: every reading and forecast as it came, a step every 10 minutes.
    const live = new ForecastService(basins, index);
    for (let t = T0; t <= end; t += STEP) {
      live.addLevel('g', t, level.get(t)!);
      for (const [id, m] of data.rain) live.addRain(id, t, m.get(t)!);
      for (const f of issues) if (f.t === t) live.addRainForecast(f.id, f.t, STEP, f.mm);
      live.step(t);
    }
    live.addLevel('g', later.ts, later.level);

    // Learning again: the rain forecasts came in another order (gauges interleaved); the levels and rain come
    // from the store all at once; a reading arrives while it learns.
    const again = new ForecastService(basins, index, undefined, { keepRainForecasts: true });
    for (const f of [...issues].reverse()) again.addRainForecast(f.id, f.t, STEP, f.mm);
    let pauses = 0;
    const steps = await again.relearn(
      async (fresh) => {
        for (const [t, v] of level) fresh.addLevel('g', t, v);
        for (const [id, m] of data.rain) for (const [t, v] of m) fresh.addRain(id, t, v);
        again.addLevel('g', later.ts, later.level);
        return T0;
      },
      end + 1,
      async () => void pauses++,
    );
    expect(steps).toBe((end - (T0 + 3 * HOUR)) / STEP + 1);
    expect(pauses).toBe(Math.floor(steps / 20));
    expect(again.all()).toEqual(live.all());
    expect(again.forecastOf('g')!.leads.every((l) => !l.warmingUp && l.lower !== undefined)).toBe(true);
    // And on from there alike, the reading that came meanwhile included.
    expect(again.step(later.ts)).toEqual(live.step(later.ts));
    expect(again.all()).toEqual(live.all());
  });

  it('keeps at most RAIN_LOG_CAP rain forecasts for it, and none where it is not asked to', async () => {
    const { RAIN_LOG_CAP } = await import('./service');
    const kept = new ForecastService(basins, index, undefined, { keepRainForecasts: true });
    const not = new ForecastService(basins, index);
    for (let k = 0; k < RAIN_LOG_CAP + 5; k++) {
      kept.addRainForecast('r1', T0 + k * HOUR, STEP, [1]);
      not.addRainForecast('r1', T0 + k * HOUR, STEP, [1]);
    }
    expect(kept.rainLogSize).toBe(RAIN_LOG_CAP);
    expect(kept.rainLogDropped).toBe(5);
    expect(not.rainLogSize).toBe(0);
    // One learning at a time.
    const slow = kept.relearn(() => new Promise((r) => setTimeout(() => r(undefined), 10)), T0, async () => undefined);
    await expect(kept.relearn(async () => undefined, T0, async () => undefined)).rejects.toThrow(/already learning/);
    await slow;
  });
});
