import { describe, expect, it } from 'vitest';
import { encodeForecastStage } from '../../shared/forecast';
import { forecastAlarmEta } from '../../shared/forecastAlarm';
import { forecastHeadline, formatLeft } from './labels';
import { phoneOrder } from './order';
import { makeAlarm } from './testing';

const HOUR = 3_600_000;
const T = Date.UTC(2026, 10, 23, 4, 20); // 11:20 in Asia/Ho_Chi_Minh
const hm = (t: number) => new Date(t + 7 * HOUR).toISOString().slice(11, 16);

describe("the phone's forecast alarms", () => {
  it('come first, soonest crossing first, even before a critical alarm', () => {
    const list = [
      makeAlarm({ id: 1, severity: 'critical', signal: 'river.stage', value: 3 }),
      makeAlarm({ id: 2, severity: 'warning', signal: 'river.forecast.stage', value: encodeForecastStage(1, 5), lastSeen: T, conditionActive: true }),
      makeAlarm({ id: 3, severity: 'major', escalationLevel: 1 }),
      makeAlarm({ id: 4, severity: 'warning', signal: 'river.forecast.stage', value: encodeForecastStage(2, 3), lastSeen: T, conditionActive: true }),
      // Its forecast fell back: no expected time, listed with the others.
      makeAlarm({ id: 5, severity: 'warning', signal: 'river.forecast.stage', value: 0, lastSeen: T, conditionActive: false }),
    ];
    expect(list.slice().sort(phoneOrder).map((a) => a.id)).toEqual([4, 2, 1, 3, 5]);
  });

  it('say when the river is expected at the level and how long is left', () => {
    const a = makeAlarm({ signal: 'river.forecast.stage', value: encodeForecastStage(2, 3), lastSeen: T, conditionActive: true });
    const eta = forecastAlarmEta(a)!;
    expect(forecastHeadline(eta, T, hm)).toBe('Dự báo vượt BĐ II lúc 14:20 (còn 3 giờ)');
    expect(forecastHeadline(eta, T + 20 * 60_000, hm)).toBe('Dự báo vượt BĐ II lúc 14:20 (còn 2 giờ 40 phút)');
    expect(forecastHeadline(eta, T + 4 * HOUR, hm)).toBe('Dự báo vượt BĐ II lúc 14:20 (đã đến giờ dự báo)');
    expect(formatLeft(25 * 60_000)).toBe('25 phút');
  });
});
