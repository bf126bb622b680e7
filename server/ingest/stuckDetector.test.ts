import { describe, expect, it } from 'vitest';
import { StuckDetector } from './stuckDetector';
import type { DeviceType } from '../../shared/mqtt';

const types: DeviceType[] = ['air', 'water', 'rain'];

describe('StuckDetector', () => {
  it('flags a station after N identical reports and clears it when values move again', () => {
    const d = new StuckDetector((i) => types[i]!, 3, 5);
    const v = { pm25: 12.3, pm10: 20 };
    d.observe(0, v, undefined);
    for (let k = 0; k < 4; k++) d.observe(0, { ...v }, v);
    expect(d.isStuck(0)).toBe(false);
    d.observe(0, { ...v }, v);
    expect(d.isStuck(0)).toBe(true);
    expect(d.count).toBe(1);
    expect(d.list(10)).toEqual([0]);
    d.observe(0, { pm25: 12.4, pm10: 20 }, v);
    expect(d.isStuck(0)).toBe(false);
    expect(d.count).toBe(0);
  });

  it('treats a changed set of value names as movement, and ignores rain gauges', () => {
    const d = new StuckDetector((i) => types[i]!, 3, 2);
    d.observe(1, { cod: 50 }, { cod: 50, tss: 10 });
    d.observe(1, { cod: 50 }, { cod: 50, tss: 10 });
    expect(d.isStuck(1)).toBe(false);
    for (let k = 0; k < 10; k++) d.observe(2, { precipitation: 0 }, { precipitation: 0 });
    expect(d.isStuck(2)).toBe(false);
  });
});
