import { describe, expect, it } from 'vitest';
import { makeAlarm } from '../alarms/testing';
import type { Device } from '../../shared/devices';
import { orderPeaks, riverPeak, summarizeAlarms, yesterdaySuffix } from './last24h';

const H = 3_600_000;
const gauge = (id: string, bd: [number, number, number]): Device =>
  ({ id, type: 'hydro', kind: 'river-gauge', name: `Trạm ${id}`, lon: 108, lat: 15, commune: '1', reportIntervalSec: 60, props: { station: id, river: 'Trà Khúc', bd1: bd[0], bd2: bd[1], bd3: bd[2] } }) as Device;
const hourly = (levels: (number | null)[]) => ({
  id: 'x',
  from: 0,
  to: 24 * H,
  bucket: '1h' as const,
  points: levels.flatMap((l, k) => (l === null ? [] : [{ ts: k * H, metrics: { waterLevel: { mean: l - 0.1, min: l - 0.2, max: l, sum: 0, count: 60 } } }])),
});

describe('the phone\u2019s last 24 hours', () => {
  it('counts alarms by severity and handled, worst and newest first, and says when the count is a floor', () => {
    const items = [
      makeAlarm({ id: 1, severity: 'warning', raisedAt: 5 * H, resolvedAt: 6 * H, state: 'resolved' }),
      makeAlarm({ id: 2, severity: 'critical', raisedAt: 2 * H }),
      makeAlarm({ id: 3, severity: 'critical', raisedAt: 3 * H }),
      makeAlarm({ id: 4, severity: 'major', raisedAt: 9 * H }),
    ];
    const d = summarizeAlarms(items, 4);
    expect(d.bySeverity).toEqual({ critical: 2, major: 1, warning: 1 });
    expect(d.resolved).toBe(1);
    expect(d.worst.map((a) => a.id)).toEqual([3, 2, 4]);
    expect(d.atLeast).toBe(false);
    expect(summarizeAlarms(items, 900).atLeast).toBe(true);
  });

  it('takes a river\u2019s peak from the hourly maxima, its BĐ level, and the hours missing', () => {
    const p = riverPeak(gauge('Trà Khúc', [3.5, 5, 6.5]), hourly([3, 4, null, 6.8, 6.1, ...Array(19).fill(4)]))!;
    expect(p).toMatchObject({ peak: 6.8, at: 3 * H, stage: 3, hours: 23 });
    expect(riverPeak(gauge('Vệ', [3, 4, 5]), hourly([]))).toBeNull();
    const low = riverPeak(gauge('Vệ', [3, 4, 5]), hourly([2.1, 2.4]))!;
    expect(low.stage).toBe(0);
    // A mountain gauge reads hundreds of metres: compared by its distance to BĐ I, not by its level.
    const mountain = riverPeak(gauge('Kon Plông', [595, 596, 597]), hourly([592.5]))!;
    expect(orderPeaks([mountain, low, p]).map((x) => x.station)).toEqual(['Trà Khúc', 'Vệ', 'Kon Plông']);
  });

  it('says "hôm qua" for a time on the previous day in Việt Nam', () => {
    const now = Date.parse('2026-12-05T14:26:00+07:00');
    expect(yesterdaySuffix(Date.parse('2026-12-04T15:00:00+07:00'), now)).toBe(' hôm qua');
    expect(yesterdaySuffix(Date.parse('2026-12-05T00:10:00+07:00'), now)).toBe('');
  });
});
