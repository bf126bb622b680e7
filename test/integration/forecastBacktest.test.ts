/**
 * The forecast backtest (bench/forecast): the same seeded period gives the same figures, run after run, and
 * the table and the JSON say the same thing.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../bench/forecast/backtest';
import { DEFAULT_START, formatTable } from '../../bench/forecast/cli';
import { loadProvince } from '../../server/provinces/load';

describe('forecast backtest', () => {
  it('is deterministic for a seed, scores every gauge at every lead, and counts the flood crossings it saw', () => {
    const p = loadProvince('quang-ngai');
    const run = () => runBacktest({ registry: p.registry, basins: p.basins, scenario: 'flood', seed: 7, days: 0.5, warmupDays: 1, start: Date.parse(DEFAULT_START) });
    const a = run();
    const b = run();
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.gauges.map((g) => g.gaugeId).sort()).toEqual(p.basins.map((x) => x.gaugeId).sort());
    for (const g of a.gauges) {
      expect(g.leads.map((l) => l.h)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(g.leads.every((l) => l.n > 0)).toBe(true);
      expect(g.warnings.hits + g.warnings.misses).toBe(g.warnings.crossings);
      expect(g.warnings.leadsH).toHaveLength(g.warnings.crossings);
    }
    // The seeded flood takes the lower rivers over BĐ II within the half day.
    expect(a.gauges.reduce((s, g) => s + g.warnings.crossings, 0)).toBeGreaterThan(0);
    const table = formatTable(a);
    expect(table).toContain('forecast backtest · flood · seed 7');
    expect(table.split('\n').filter((l) => /^\S.* (yes| no) /.test(l))).toHaveLength(a.gauges.length);
  });
});
