import { describe, expect, it } from 'vitest';
import {
  RAIN_RING_CAPACITY,
  RainRing,
  rainAccumulations,
  rainCategory12h,
  rainCategory24h,
  type RainSample,
} from './rainfall';

const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = Date.UTC(2025, 9, 28, 12, 0, 0);
const rain = (agoMs: number, mm: number): RainSample => ({ ts: NOW - agoMs, mm });

describe('rainAccumulations', () => {
  it('sums each window, a sample at the window start excluded and one at now included', () => {
    const samples = [
      rain(0, 1), // in all three
      rain(HOUR - 1, 2), // in all three
      rain(HOUR, 4), // fell before now − 1 h: 3 h and 24 h only
      rain(3 * HOUR - 1, 8),
      rain(3 * HOUR, 16), // 24 h only
      rain(24 * HOUR - 1, 32),
      rain(24 * HOUR, 64), // in none
      rain(-MIN, 128), // in the future: in none
    ];
    // h1 = 1 + 2 = 3; h3 = 3 + 4 + 8 = 15; h24 = 15 + 16 + 32 = 63
    expect(rainAccumulations(samples, NOW)).toEqual({ h1: 3, h3: 15, h24: 63 });
  });

  it('adds tenths without binary noise', () => {
    // 0.1 + 0.2 is 0.30000000000000004 in floats
    expect(rainAccumulations([rain(0, 0.1), rain(MIN, 0.2)], NOW).h1).toBe(0.3);
  });

  it('skips invalid samples', () => {
    expect(rainAccumulations([rain(0, -1), rain(0, Number.NaN), rain(MIN, 2)], NOW).h1).toBe(2);
  });
});

describe('RainRing', () => {
  it('keeps at most its capacity, dropping the oldest', () => {
    const ring = new RainRing(3);
    for (let i = 0; i < 5; i++) expect(ring.push({ ts: NOW + i * MIN, mm: i + 1 })).toBe(true);
    expect(ring.size).toBe(3);
    expect(ring.samples().map((s) => s.mm)).toEqual([3, 4, 5]);
  });

  it('defaults to one sample a minute for 24 h', () => {
    expect(new RainRing().capacity).toBe(RAIN_RING_CAPACITY);
    expect(RAIN_RING_CAPACITY).toBe(1440);
  });

  it('flags h24 as truncated only while an evicted sample is inside the window', () => {
    const ring = new RainRing(2);
    ring.push({ ts: NOW - 2 * HOUR, mm: 5 });
    ring.push({ ts: NOW - HOUR, mm: 1 });
    expect(ring.accumulations(NOW)).toEqual({ h1: 0, h3: 6, h24: 6, truncated24h: false });
    ring.push({ ts: NOW, mm: 2 }); // evicts the 5 mm sample, which is inside the 24 h window
    expect(ring.accumulations(NOW)).toEqual({ h1: 2, h3: 3, h24: 3, truncated24h: true });
    // 22 h later the evicted sample has left the window: the sum is whole again
    expect(ring.accumulations(NOW + 22 * HOUR).truncated24h).toBe(false);
    expect(ring.accumulations(NOW + 22 * HOUR - 1).truncated24h).toBe(true);
  });

  it('fills a whole day at the bound without truncation', () => {
    const ring = new RainRing();
    for (let i = 0; i < RAIN_RING_CAPACITY; i++) ring.push({ ts: NOW - i * MIN, mm: 0.1 });
    // pushed newest first: only the first is accepted
    expect(ring.size).toBe(1);
    const inOrder = new RainRing();
    for (let i = RAIN_RING_CAPACITY - 1; i >= 0; i--) inOrder.push({ ts: NOW - i * MIN, mm: 0.1 });
    expect(inOrder.size).toBe(RAIN_RING_CAPACITY);
    expect(inOrder.accumulations(NOW)).toEqual({ h1: 6, h3: 18, h24: 144, truncated24h: false });
  });

  it('refuses late, repeated and invalid samples', () => {
    const ring = new RainRing();
    expect(ring.push({ ts: NOW, mm: 1 })).toBe(true);
    expect(ring.push({ ts: NOW, mm: 1 })).toBe(false); // re-sent: would double count
    expect(ring.push({ ts: NOW - MIN, mm: 1 })).toBe(false);
    expect(ring.push({ ts: NOW + MIN, mm: -0.1 })).toBe(false);
    expect(ring.size).toBe(1);
  });
});

describe('rain categories', () => {
  it('classifies 24 h edges with contiguous bands', () => {
    const cases: [number, string | null][] = [
      [0, null],
      [15, null],
      [15.5, 'mưa vừa'],
      [16, 'mưa vừa'],
      [50, 'mưa vừa'],
      [50.5, 'mưa to'],
      [51, 'mưa to'],
      [100, 'mưa to'],
      [100.1, 'mưa rất to'],
      [250, 'mưa rất to'],
    ];
    for (const [mm, cat] of cases) expect(rainCategory24h(mm), `${mm} mm`).toBe(cat);
    // 500 tips of 0.1 mm add up to 50.00000000000044 in floats; the sum must still be 50, mưa vừa
    const tips = Array.from({ length: 500 }, (_, i) => rain(i * MIN, 0.1));
    const { h24 } = rainAccumulations(tips, NOW);
    expect(h24).toBe(50);
    expect(rainCategory24h(h24)).toBe('mưa vừa');
    expect(rainCategory24h(Number.NaN)).toBeNull();
  });

  it('classifies 12 h edges', () => {
    const cases: [number, string | null][] = [
      [7, null],
      [7.1, 'mưa vừa'],
      [8, 'mưa vừa'],
      [25, 'mưa vừa'],
      [25.1, 'mưa to'],
      [26, 'mưa to'],
      [50, 'mưa to'],
      [50.1, 'mưa rất to'],
    ];
    for (const [mm, cat] of cases) expect(rainCategory12h(mm), `${mm} mm`).toBe(cat);
  });
});
