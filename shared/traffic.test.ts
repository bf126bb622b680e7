import { describe, expect, it } from 'vitest';
import { VEHICLE_CLASSES, VIOLATION_TYPES } from './mqtt';
import {
  fineRange,
  FINES_VND,
  isCongested,
  LEVELS_OF_SERVICE,
  levelOfService,
  LOS_BANDS,
  LOS_BY_LEVEL,
  NO_DATA_STYLE,
  segmentSchema,
  VIOLATION_LABEL_EN,
  VIOLATION_LABEL_VI,
  worseLos,
  type LevelOfService,
} from './traffic';

describe('levelOfService', () => {
  // Each band is (lower, upper] in % of free-flow speed; exactly on an edge belongs to the band below it.
  const edges: [pct: number, atEdge: LevelOfService, above: LevelOfService][] = [
    [85, 'B', 'A'],
    [67, 'C', 'B'],
    [50, 'D', 'C'],
    [40, 'E', 'D'],
    [30, 'F', 'E'],
  ];

  for (const freeFlow of [100, 80, 70, 45]) {
    it(`puts each edge in the lower band and just above it in the upper band (free flow ${freeFlow} km/h)`, () => {
      for (const [pct, atEdge, above] of edges) {
        const speed = (pct * freeFlow) / 100;
        expect(levelOfService(speed, freeFlow), `${pct} % of ${freeFlow}`).toBe(atEdge);
        expect(levelOfService(speed + 0.01, freeFlow), `just above ${pct} % of ${freeFlow}`).toBe(above);
        expect(levelOfService(speed - 0.01, freeFlow), `just below ${pct} % of ${freeFlow}`).toBe(atEdge);
      }
    });
  }

  it('grades exact edges that are not exact in binary (68 of 80 km/h is 85 %)', () => {
    expect(levelOfService(68, 80)).toBe('B');
    expect(levelOfService(59.5, 70)).toBe('B');
    expect(levelOfService(24, 80)).toBe('F');
    expect(levelOfService(21, 70)).toBe('F');
  });

  it('covers the whole range: standstill is F, faster than free flow is A', () => {
    expect(levelOfService(0, 70)).toBe('F');
    expect(levelOfService(120, 70)).toBe('A');
  });

  it('refuses bad input instead of guessing', () => {
    expect(() => levelOfService(-1, 70)).toThrow(RangeError);
    expect(() => levelOfService(Number.NaN, 70)).toThrow(RangeError);
    expect(() => levelOfService(50, 0)).toThrow(RangeError);
    expect(() => levelOfService(50, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('agrees with the band table', () => {
    for (let pct = 0; pct <= 120; pct += 0.5) {
      const los = levelOfService(pct, 100);
      const band = LOS_BY_LEVEL[los];
      expect(pct > band.abovePct && (band.upToPct === null || pct <= band.upToPct), `${pct} % → ${los}`).toBe(true);
    }
  });
});

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

describe('LOS styles', () => {
  it('has one band per level, in order, with Vietnamese labels and readable text', () => {
    expect(LOS_BANDS.map((b) => b.los)).toEqual([...LEVELS_OF_SERVICE]);
    for (const b of [...LOS_BANDS, NO_DATA_STYLE]) {
      expect(b.labelVi.length).toBeGreaterThan(0);
      expect(b.hex).toBe(`#${b.rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`);
      expect(contrast(b.hex, b.textHex), b.hex).toBeGreaterThanOrEqual(4.5);
    }
    expect(new Set(LOS_BANDS.map((b) => b.hex)).size).toBe(6);
    expect(LOS_BANDS.map((b) => b.hex)).not.toContain(NO_DATA_STYLE.hex);
  });

  it('ranks any measured level above no data, and E/F as congestion', () => {
    expect(worseLos('noData', 'A')).toBe('A');
    expect(worseLos('F', 'noData')).toBe('F');
    expect(worseLos('C', 'E')).toBe('E');
    expect(worseLos('noData', 'noData')).toBe('noData');
    expect(LEVELS_OF_SERVICE.filter(isCongested)).toEqual(['E', 'F']);
    expect(isCongested('noData')).toBe(false);
  });
});

describe('fines (Nghị định 168/2024, STANDARDS.md §4)', () => {
  const M = 1_000_000;
  it('has a range or an explicit null for every violation and vehicle class', () => {
    for (const v of VIOLATION_TYPES) {
      expect(VIOLATION_LABEL_VI[v]).toBeTruthy();
      expect(VIOLATION_LABEL_EN[v]).toBeTruthy();
      for (const c of VEHICLE_CLASSES) {
        const r = fineRange(v, c, 100, 60);
        if (r) expect(r[0]).toBeLessThanOrEqual(r[1]);
      }
    }
  });

  it('matches the table for the fixed fines', () => {
    expect(fineRange('redLight', 'car')).toEqual([18 * M, 20 * M]);
    expect(fineRange('redLight', 'motorbike')).toEqual([4 * M, 6 * M]);
    expect(fineRange('wrongWay', 'truck')).toEqual([18 * M, 20 * M]);
    expect(fineRange('wrongLane', 'motorbike')).toEqual([0.6 * M, 0.8 * M]);
    expect(fineRange('noHelmet', 'motorbike')).toEqual([0.4 * M, 0.6 * M]);
    expect(fineRange('noHelmet', 'car')).toBeNull();
    expect(fineRange('illegalParking', 'bus')).toEqual([0.6 * M, 3 * M]);
    expect(fineRange('phoneUse', 'car')).toEqual([4 * M, 6 * M]);
    expect(FINES_VND.phoneUse.motorbike).toEqual([0.8 * M, 1 * M]);
  });

  it('grades speeding by excess with the decree’s edges', () => {
    const car = (over: number) => fineRange('speeding', 'car', 60 + over, 60);
    const moto = (over: number) => fineRange('speeding', 'motorbike', 60 + over, 60);
    expect(car(4.9)).toBeNull();
    expect(car(5)).toEqual([0.8 * M, 1 * M]); // từ 05 đến dưới 10
    expect(car(9.9)).toEqual([0.8 * M, 1 * M]);
    expect(car(10)).toEqual([4 * M, 6 * M]); // từ 10 đến 20
    expect(car(20)).toEqual([4 * M, 6 * M]);
    expect(car(20.1)).toEqual([6 * M, 8 * M]); // trên 20 đến 35
    expect(car(35)).toEqual([6 * M, 8 * M]);
    expect(car(35.1)).toEqual([12 * M, 14 * M]); // trên 35
    expect(moto(5)).toEqual([0.4 * M, 0.6 * M]);
    expect(moto(20)).toEqual([0.8 * M, 1 * M]);
    expect(moto(21)).toEqual([6 * M, 8 * M]);
    expect(moto(60)).toEqual([6 * M, 8 * M]);
  });

  it('has no speeding fine without a measured speed and limit', () => {
    expect(fineRange('speeding', 'car')).toBeNull();
    expect(fineRange('speeding', 'car', 90)).toBeNull();
  });
});

describe('segmentSchema', () => {
  const seg = {
    id: 'ql1a-0123',
    road: 'QL1A',
    name: 'QL1A Km 12.3–15',
    fromKm: 12.3,
    toKm: 15,
    lengthKm: 2.7,
    freeFlowKmh: 70,
    coordinates: [
      [108.8, 15.1],
      [108.81, 15.08],
    ],
    commune: '21025',
    cameraIds: { forward: ['qng-cam-0001'], backward: [] },
  };
  it('accepts a segment and refuses an inverted one', () => {
    expect(segmentSchema.safeParse(seg).success).toBe(true);
    expect(segmentSchema.safeParse({ ...seg, toKm: 12 }).success).toBe(false);
    expect(segmentSchema.safeParse({ ...seg, coordinates: [[108.8, 15.1]] }).success).toBe(false);
    expect(segmentSchema.safeParse({ ...seg, id: 'QL1A 12' }).success).toBe(false);
  });
});
