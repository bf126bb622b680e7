import { describe, expect, it } from 'vitest';
import type { Reading } from './port';
import { TickReadings } from './tickBuffer';

const makeReading = (overrides: Partial<Reading> = {}): Reading => ({
  deviceId: 'qng-air-0001',
  type: 'air',
  ts: 1_780_000_000_000,
  values: { pm25: 12 },
  ...overrides,
});

describe('TickReadings', () => {
  it('keeps at most cap readings between takes and counts the rest as dropped', () => {
    const b = new TickReadings(3);
    const kept = [0, 1, 2, 3, 4].map((k) => b.push(makeReading({ ts: 1_780_000_000_000 + k })));
    expect(kept).toEqual([true, true, true, false, false]);
    expect(b.size).toBe(3);
    expect(b.dropped).toBe(2);
    expect(b.take().map((r) => r.ts)).toEqual([1_780_000_000_000, 1_780_000_000_001, 1_780_000_000_002]);
    // After a take there is room again; drops stay counted.
    expect(b.size).toBe(0);
    expect(b.push(makeReading())).toBe(true);
    expect(b.dropped).toBe(2);
    expect(b.take()).toHaveLength(1);
  });

  it('refuses a cap that is not a positive integer', () => {
    expect(() => new TickReadings(0)).toThrow(RangeError);
    expect(() => new TickReadings(1.5)).toThrow(RangeError);
  });
});
