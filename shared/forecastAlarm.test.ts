import { describe, expect, it } from 'vitest';
import type { Alarm } from './alarms';
import { encodeForecastStage } from './forecast';
import { forecastAlarmEta, forecastsFirst } from './forecastAlarm';

const HOUR = 3_600_000;
const T = Date.UTC(2026, 10, 23, 4, 20);
type A = Pick<Alarm, 'id' | 'signal' | 'value' | 'lastSeen' | 'conditionActive' | 'severity'>;
const alarm = (id: number, over: Partial<A>): A => ({ id, signal: 'aqi', value: 1, lastSeen: T, conditionActive: true, severity: 'warning', ...over });

describe('forecast alarms on the phone', () => {
  it("expects the crossing at the forecast's issue time plus its lead", () => {
    const a = alarm(1, { signal: 'river.forecast.stage', value: encodeForecastStage(2, 3) });
    expect(forecastAlarmEta(a)).toEqual({ stage: 2, at: T + 3 * HOUR, leadH: 3 });
    // Cleared (no forecast crosses any more), or another signal: no expected time.
    expect(forecastAlarmEta({ ...a, conditionActive: false })).toBeNull();
    expect(forecastAlarmEta({ ...a, value: 0 })).toBeNull();
    expect(forecastAlarmEta({ ...a, signal: 'river.stage' })).toBeNull();
  });

  it('puts forecast alarms first, soonest first, then the rest in their own order', () => {
    const list = [
      alarm(1, { severity: 'critical' }),
      alarm(2, { signal: 'river.forecast.stage', value: encodeForecastStage(1, 5) }),
      alarm(3, { severity: 'major' }),
      alarm(4, { signal: 'river.forecast.stage', value: encodeForecastStage(3, 2) }),
      alarm(5, { signal: 'river.forecast.stage', value: 0, conditionActive: false }),
    ];
    const rank = { critical: 0, major: 1, warning: 2 } as const;
    const sorted = list.slice().sort(forecastsFirst<A>((a, b) => rank[a.severity] - rank[b.severity] || a.id - b.id));
    expect(sorted.map((a) => a.id)).toEqual([4, 2, 1, 3, 5]);
  });
});
