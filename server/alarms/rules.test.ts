import { describe, expect, it } from 'vitest';
import { WATER_PARAMS } from '../domain/water/compliance';
import { DEFAULT_RULE_INPUTS, defaultRules } from './defaultRules';
import { mergeRules, ruleSchema } from './rules';

describe('rules as data', () => {
  it('the defaults validate and cover issue 5 item 1', () => {
    const rules = defaultRules();
    const bySignal = Object.fromEntries(rules.map((r) => [r.signal, r]));
    expect(Object.keys(bySignal)).toEqual(
      expect.arrayContaining(['aqi', 'river.stage', 'river.rate', 'rain.h24', 'congestion.incident', 'device.offline', 'camera.offline']),
    );
    for (const p of WATER_PARAMS) expect(bySignal[`wastewater.${p}.ratio`]).toBeDefined();
    expect(bySignal['aqi']).toMatchObject({ levels: [{ at: 101, severity: 'warning' }, { at: 151, severity: 'critical' }] });
    expect(bySignal['rain.h24']).toMatchObject({ levels: [{ at: 100 }] });
    for (const r of rules) {
      const titles = r.kind === 'noData' ? [r.title] : r.levels.map((l) => l.title);
      for (const t of titles) expect(t).toMatch(/[à-ỹĐđ]/i); // Vietnamese, not a placeholder
    }
  });

  it('a province overrides a field, disables a rule or adds one; bad data is refused with a reason', () => {
    const merged = mergeRules(DEFAULT_RULE_INPUTS, [
      { id: 'rain-24h', levels: [{ severity: 'major', at: 150, title: 'Mưa ≥ 150 mm' }], clearAt: 120 },
      { id: 'aqi', enabled: false },
      { id: 'pump', kind: 'threshold', signal: 'iot.pump', domain: 'device', levels: [{ severity: 'warning', at: 1, title: 'Bơm lỗi' }], clearAt: 1 },
    ]);
    if (!('data' in merged)) throw new Error(merged.error);
    expect(merged.data.find((r) => r.id === 'rain-24h')).toMatchObject({ levels: [{ at: 150 }], clearAt: 120, maxGapMs: 3_600_000 });
    expect(merged.data.find((r) => r.id === 'aqi')!.enabled).toBe(false);
    expect(merged.data.find((r) => r.id === 'pump')).toMatchObject({ direction: 'above', enabled: true });

    const bad = mergeRules(DEFAULT_RULE_INPUTS, [{ id: 'rain-24h', clearAt: 120 }]);
    expect(bad).toMatchObject({ error: expect.stringMatching(/clearAt/) });
    expect(mergeRules(DEFAULT_RULE_INPUTS, [{ id: 'new-one' }])).toHaveProperty('error');
    expect(mergeRules(DEFAULT_RULE_INPUTS, 'nope')).toHaveProperty('error');
  });

  it('refuses levels whose severity goes down', () => {
    const r = ruleSchema.safeParse({
      id: 'x',
      kind: 'threshold',
      signal: 'x',
      domain: 'air',
      levels: [
        { severity: 'critical', at: 1, title: 'a' },
        { severity: 'warning', at: 2, title: 'b' },
      ],
      clearAt: 0,
    });
    expect(r.success).toBe(false);
  });
});
