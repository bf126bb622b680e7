import { describe, expect, it } from 'vitest';
import type { Device, DeviceKind } from '../../shared/devices';
import { defaultRules } from './defaultRules';
import { offlineSignal } from './signals';
import { kinds, makeHarness, T0 } from './testing';

const device = (k: number, kind: DeviceKind, commune = '21100'): Device => ({
  id: `${kind}-${k}`,
  type: kind === 'street-light' || kind === 'energy-meter' ? 'iot' : 'air',
  kind,
  name: `${kind} ${k}`,
  lon: 108.8,
  lat: 15.1,
  commune,
  reportIntervalSec: 60,
});

/** 5,000 bulk devices in one commune: 3,000 street lights and 2,000 energy meters. */
const fleet = (): Device[] => Array.from({ length: 5000 }, (_, k) => device(k, k < 3000 ? 'street-light' : 'energy-meter'));

describe('bulk IoT devices offline', () => {
  it('5,000 going offline in one commune raise one alarm per kind that counts them; coming back counts down and clears it', () => {
    const h = makeHarness(defaultRules());
    const devices = fleet();
    h.clock.t = T0;
    h.engine.evaluateMany(devices.map((d) => offlineSignal(d, false, T0)));
    h.tick(T0 + 250);

    const open = h.engine.snapshot().alarms;
    expect(open).toHaveLength(2);
    const lights = open.find((a) => a.ruleId === 'street-light-offline')!;
    const meters = open.find((a) => a.ruleId === 'energy-meter-offline')!;
    expect(lights).toMatchObject({ kind: 'group', source: 'group:21100', commune: '21100', title: 'Đèn đường mất kết nối', state: 'active' });
    expect(lights.members).toMatchObject({ total: 3000, active: 3000 });
    expect(meters).toMatchObject({ kind: 'group', title: 'Công tơ điện mất kết nối', members: { total: 2000, active: 2000 } });
    // Two raises and one coalesced change each for the rest of the tick's members: not 5,000 changes.
    expect(kinds(h.changes)).toEqual(['raised', 'raised', 'grouped', 'grouped']);

    // 1,000 lights come back, then 10 of them go dark again: counted down, then up, one change per tick.
    h.changes.length = 0;
    h.clock.t = T0 + 1000;
    h.engine.evaluateMany(devices.slice(0, 1000).map((d) => offlineSignal(d, true, T0 + 1000)));
    h.tick(T0 + 1000);
    expect(h.engine.get(lights.id)!.members).toMatchObject({ total: 3000, active: 2000 });
    h.clock.t = T0 + 2000;
    h.engine.evaluateMany(devices.slice(0, 10).map((d) => offlineSignal(d, false, T0 + 2000)));
    h.tick(T0 + 2000);
    expect(h.engine.get(lights.id)).toMatchObject({ state: 'active', members: { total: 3000, active: 2010 } });
    expect(kinds(h.changes)).toEqual(['grouped', 'grouped']);

    // Everyone back: both clear; nothing else was ever opened.
    h.clock.t = T0 + 3000;
    h.engine.evaluateMany(devices.map((d) => offlineSignal(d, true, T0 + 3000)));
    h.tick(T0 + 3000);
    expect(h.engine.get(lights.id)).toMatchObject({ state: 'cleared', conditionActive: false, members: { active: 0 } });
    expect(h.engine.get(meters.id)).toMatchObject({ state: 'cleared', members: { active: 0 } });
    expect(h.engine.snapshot().alarms).toHaveLength(2);
  });

  it('groups per commune, follows the lifecycle, and leaves stations and cameras their own alarms', () => {
    const h = makeHarness(defaultRules());
    const a = device(1, 'street-light', '21100');
    const b = device(2, 'street-light', '21103');
    h.clock.t = T0;
    h.engine.evaluateMany([a, b, device(3, 'air-station'), device(4, 'traffic-camera')].map((d) => offlineSignal(d, false, T0)));
    const open = h.engine.snapshot().alarms;
    expect(open.map((x) => [x.ruleId, x.kind, x.source]).sort()).toEqual([
      ['camera-offline', 'single', 'traffic-camera-4'],
      ['device-offline', 'single', 'air-station-3'],
      ['street-light-offline', 'group', 'group:21100'],
      ['street-light-offline', 'group', 'group:21103'],
    ]);
    const group = open.find((x) => x.source === 'group:21100')!;
    expect(h.engine.acknowledge(group.id, 'Nguyễn Văn An')).toMatchObject({ data: { state: 'acknowledged' } });
    // The last member back: cleared, and acknowledged before, so closed; the next one dark opens a new alarm.
    h.at(T0 + 1000, offlineSignal(a, true, T0 + 1000));
    expect(h.engine.get(group.id)).toBeUndefined();
    h.at(T0 + 2000, offlineSignal(a, false, T0 + 2000));
    const again = h.engine.snapshot().alarms.find((x) => x.source === 'group:21100')!;
    expect(again.id).not.toBe(group.id);
    expect(again).toMatchObject({ state: 'active', members: { total: 1, active: 1 } });
  });
});
