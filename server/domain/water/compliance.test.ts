import { describe, expect, it } from 'vitest';
import {
  EXCEEDANCE_INITIAL,
  assess,
  exceedanceSince,
  exceedingForMs,
  permittedMax,
  type ComplianceStatus,
  type ExceedanceState,
} from './compliance';

const MIN = 60_000;

describe('permittedMax', () => {
  it('applies Kq·Kf to COD', () => {
    // column A: 75 · 0.9 · 1.2 = 81; column B: 150 · 1.1 · 0.9 = 148.5
    expect(permittedMax('QCVN40:2011', 'A', 'cod', 0.9, 1.2)).toEqual({ kind: 'max', max: 81 });
    expect(permittedMax('QCVN40:2011', 'B', 'cod', 1.1, 0.9)).toEqual({ kind: 'max', max: 148.5 });
    // NH4⁺-N B: 10 · 1.3 · 1.0 = 13
    expect(permittedMax('QCVN40:2011', 'B', 'nh4', 1.3, 1)).toEqual({ kind: 'max', max: 13 });
  });

  it('does not apply Kq·Kf to pH, temperature or colour', () => {
    expect(permittedMax('QCVN40:2011', 'A', 'pH', 0.9, 1.2)).toEqual({ kind: 'range', min: 6, max: 9 });
    expect(permittedMax('QCVN40:2011', 'A', 'temperature', 0.9, 1.2)).toEqual({ kind: 'max', max: 40 });
    expect(permittedMax('QCVN40:2011', 'B', 'color', 0.9, 1.2)).toEqual({ kind: 'max', max: 150 });
  });

  it('distinguishes column A from column B', () => {
    const both = (param: Parameters<typeof permittedMax>[2]) =>
      [permittedMax('QCVN40:2011', 'A', param, 1, 1), permittedMax('QCVN40:2011', 'B', param, 1, 1)];
    expect(both('pH')).toEqual([
      { kind: 'range', min: 6, max: 9 },
      { kind: 'range', min: 5.5, max: 9 },
    ]);
    expect(both('bod5').map((l) => l?.max)).toEqual([30, 50]);
    expect(both('cod').map((l) => l?.max)).toEqual([75, 150]);
    expect(both('tss').map((l) => l?.max)).toEqual([50, 100]);
    expect(both('nh4').map((l) => l?.max)).toEqual([5, 10]);
    expect(both('totalN').map((l) => l?.max)).toEqual([20, 40]);
    expect(both('totalP').map((l) => l?.max)).toEqual([4, 6]);
    expect(both('color').map((l) => l?.max)).toEqual([50, 150]);
    expect(both('temperature').map((l) => l?.max)).toEqual([40, 40]);
  });

  it('refuses a non-positive Kq or Kf', () => {
    expect(() => permittedMax('QCVN40:2011', 'A', 'cod', 0, 1)).toThrow(RangeError);
    expect(() => permittedMax('QCVN40:2011', 'A', 'cod', 1, Number.NaN)).toThrow(RangeError);
  });
});

describe('assess', () => {
  const cod = { kind: 'max', max: 81 } as const; // 75 · 0.9 · 1.2
  const phA = { kind: 'range', min: 6, max: 9 } as const;

  it('is near from exactly 80 % of the limit', () => {
    expect(assess('cod', 64.8, cod)).toBe('near'); // 0.8 · 81 = 64.8 (64.80000000000001 in floats)
    expect(assess('cod', 64.79, cod)).toBe('within');
    expect(assess('tss', 40, { kind: 'max', max: 50 })).toBe('near');
    expect(assess('tss', 39.99, { kind: 'max', max: 50 })).toBe('within');
  });

  it('allows the limit itself and exceeds just above it', () => {
    expect(assess('cod', 81, cod)).toBe('near');
    expect(assess('cod', 81.01, cod)).toBe('exceeding');
  });

  it('exceeds when pH is below or above its range', () => {
    expect(assess('pH', 5.9, phA)).toBe('exceeding');
    expect(assess('pH', 9.1, phA)).toBe('exceeding');
    expect(assess('pH', 5.6, { kind: 'range', min: 5.5, max: 9 })).toBe('near'); // fine for column B
  });

  it('is near within 0.5 of either pH bound, bounds included', () => {
    expect(assess('pH', 6, phA)).toBe('near');
    expect(assess('pH', 6.5, phA)).toBe('near');
    expect(assess('pH', 6.51, phA)).toBe('within');
    expect(assess('pH', 7.5, phA)).toBe('within');
    expect(assess('pH', 8.49, phA)).toBe('within');
    expect(assess('pH', 8.5, phA)).toBe('near');
    expect(assess('pH', 9, phA)).toBe('near');
  });
});

describe('exceedanceSince', () => {
  const feed = (samples: [number, ComplianceStatus][], maxGapMs?: number): ExceedanceState =>
    samples.reduce<ExceedanceState>((s, [ts, st]) => exceedanceSince(s, ts, st, maxGapMs), EXCEEDANCE_INITIAL);

  it('counts from the first exceeding sample of an unbroken run', () => {
    const s = feed([
      [0, 'within'],
      [5 * MIN, 'exceeding'],
      [10 * MIN, 'exceeding'],
      [20 * MIN, 'exceeding'],
    ]);
    expect(s).toEqual({ since: 5 * MIN, lastTs: 20 * MIN, durationMs: 15 * MIN });
    expect(exceedingForMs(s, 30 * MIN)).toBe(25 * MIN);
  });

  it('resets on a within or near sample', () => {
    const s = feed([
      [0, 'exceeding'],
      [5 * MIN, 'near'],
      [10 * MIN, 'exceeding'],
    ]);
    expect(s.since).toBe(10 * MIN);
    expect(s.durationMs).toBe(0);
    const ok = feed([
      [0, 'exceeding'],
      [5 * MIN, 'within'],
    ]);
    expect(ok).toEqual({ since: null, lastTs: 5 * MIN, durationMs: 0 });
    expect(exceedingForMs(ok, 10 * MIN)).toBeNull();
  });

  it('ignores a sample older than the last one', () => {
    const s = feed([
      [0, 'exceeding'],
      [10 * MIN, 'exceeding'],
      [5 * MIN, 'within'],
    ]);
    expect(s).toEqual({ since: 0, lastTs: 10 * MIN, durationMs: 10 * MIN });
  });

  it('restarts the run after a gap longer than maxGapMs', () => {
    const samples: [number, ComplianceStatus][] = [
      [0, 'exceeding'],
      [60 * MIN, 'exceeding'],
      [65 * MIN, 'exceeding'],
    ];
    expect(feed(samples, 30 * MIN).since).toBe(60 * MIN);
    expect(feed(samples, 60 * MIN).since).toBe(0); // a gap of exactly maxGapMs is still unbroken
    expect(feed(samples).since).toBe(0);
  });
});
