import { describe, expect, it } from 'vitest';
import { alarmHeadline, formatAlarmValue } from './labels';
import { placeOf } from './places';
import { makeAlarm } from './testing';

describe('alarm labels', () => {
  it("a commune's street lights or meters offline read as one line: how many, what, where", () => {
    const communes = new Map([['21040', { code: '21040', name: 'Bình Sơn', unitType: 'xa', position: [108.7, 15.3] as [number, number] }]]);
    const lights = makeAlarm({
      kind: 'group',
      ruleId: 'street-light-offline',
      signal: 'street-light.offline',
      domain: 'device',
      source: 'group:21040',
      commune: '21040',
      severity: 'warning',
      title: 'Đèn đường mất kết nối',
      value: 1,
      members: { total: 41, active: 37, sources: [] },
    });
    expect(`${alarmHeadline(lights)} · ${placeOf(lights, [], communes)}`).toBe('37 đèn đường mất kết nối · xã Bình Sơn');
    expect(formatAlarmValue(lights)).toBe('mất kết nối');
    const meters = { ...lights, title: 'Công tơ điện mất kết nối', members: { total: 1200, active: 1043, sources: [] } };
    expect(alarmHeadline(meters)).toBe('1.043 công tơ điện mất kết nối');
  });

  it("a commune's own alarms (risk levels, fire danger) name the commune, not a device id", () => {
    const communes = new Map([['04144', { code: '04144', name: 'Phiêng Cằm', unitType: 'xa', position: [103.84, 21.15] as [number, number] }]]);
    const risk = makeAlarm({ ruleId: 'disaster-risk', signal: 'risk.level', domain: 'rain', source: 'risk-04144', commune: '04144', value: 3 });
    expect(placeOf(risk, [], communes)).toBe('xã Phiêng Cằm');
    expect(formatAlarmValue(risk)).toBe('cấp độ rủi ro 3');
    const flood = { ...risk, ruleId: 'flood-risk', signal: 'risk.flood', domain: 'hydro' as const, source: 'flood-risk-04144', value: 4 };
    expect(placeOf(flood, [], communes)).toBe('xã Phiêng Cằm');
    expect(formatAlarmValue(flood)).toBe('cấp độ rủi ro 4');
    const fire = { ...risk, signal: 'fire.level', source: 'fire-04144', value: 5 };
    expect(placeOf(fire, [], communes)).toBe('xã Phiêng Cằm');
    expect(formatAlarmValue(fire)).toBe('cấp cháy rừng V');
    // Without the commune index yet: the code, never the raw source id.
    expect(placeOf(risk, [], null)).toBe('mã xã 04144');
  });
});
