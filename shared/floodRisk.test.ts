import { describe, expect, it } from 'vitest';
import { floodRiskLevel, floodRiskLevels, type FloodStationInput } from './disasterRisk';
import { RISK_ZONES, type RiskZone } from './disasterRiskTable';
import { FLOOD_RISK_TABLE, inFloodRow } from './floodRiskTable';

const BD = { bd1: 3.5, bd2: 5, bd3: 6.5 };
const HISTORIC = 8.5;

const one = (zone: RiskZone, levelM: number, historic: number | null = HISTORIC) => floodRiskLevel({ zone, levelM, ...BD, historic });

/**
 * Điều 45 for one basin re-read by hand, independent of the table: the level per zone in each band of the
 * level, written as plain comparisons.
 */
function expectedOne(zone: RiskZone, h: number, historic: number | null): number {
  const { bd1, bd2, bd3 } = BD;
  if (zone === 4) {
    if (historic !== null && h > historic) return 5; // khoản 5
    if (h >= bd3 + 0.3) return 4; // khoản 4 (no upper bound without a historic flood)
    if (h >= bd2) return 3; // 3a
    if (h >= bd1) return 2; // 2a
    return 0;
  }
  if (zone === 3) {
    if (h >= bd3) return 3; // 3b
    if (h >= bd2) return 2; // 2b
    if (h >= bd1) return 1; // 1a
    return 0;
  }
  if (h >= bd3 + 1) return 3; // 3c
  if (h >= bd3) return 2; // 2c
  if (h >= bd2) return zone === 1 ? 1 : 2; // 1b or 2b
  if (h >= bd1) return 1; // 1a
  return 0;
}

/** Every level from 2 m under BĐ1 to 2 m over the historic flood, by centimetre. */
const LEVELS = Array.from({ length: Math.round((HISTORIC + 2 - (BD.bd1 - 2)) * 100) + 1 }, (_, k) => Math.round((BD.bd1 - 2) * 100 + k) / 100);

describe('Điều 45 on one basin', () => {
  it('matches the hand-read article at every centimetre, in every zone, with and without a historic flood', () => {
    for (const zone of RISK_ZONES) {
      for (const historic of [HISTORIC, null]) {
        for (const h of LEVELS) expect(one(zone, h, historic).level, `zone ${zone}, ${h} m, historic ${historic}`).toBe(expectedOne(zone, h, historic));
      }
    }
  });

  it('each one-basin row holds at its lower bound and not just under it, and names its clause', () => {
    for (const row of FLOOD_RISK_TABLE.filter((r) => r.basins === 'one')) {
      for (const zone of row.zones) {
        const refs = { ...BD, historic: HISTORIC };
        const lo = refs[row.from.ref] + row.from.plusM;
        const first = row.from.inclusive ? lo : lo + 0.001;
        expect(one(zone, first), `${row.clause} zone ${zone} at ${first}`).toEqual({ level: row.level, clause: row.clause });
        const before = row.from.inclusive ? lo - 0.001 : lo;
        const under = one(zone, before);
        expect(under.clause, `${row.clause} zone ${zone} at ${before}`).not.toBe(row.clause);
        expect(under.level, `${row.clause} zone ${zone} at ${before}`).toBeLessThanOrEqual(row.level);
        if (row.to) {
          const hi = refs[row.to.ref] + row.to.plusM;
          const last = row.to.inclusive ? hi : hi - 0.001;
          expect(one(zone, last), `${row.clause} zone ${zone} at ${last}`).toEqual({ level: row.level, clause: row.clause });
        }
      }
    }
  });

  it('the rows of one level never overlap within a zone', () => {
    for (const zone of RISK_ZONES) {
      for (const h of LEVELS) {
        const hits = FLOOD_RISK_TABLE.filter((r) => r.basins === 'one' && r.zones.includes(zone) && inFloodRow(h, r, { ...BD, historic: HISTORIC }));
        const levels = hits.map((r) => r.level);
        expect(new Set(levels).size, `zone ${zone} at ${h}: ${hits.map((r) => r.clause).join(', ')}`).toBe(levels.length);
      }
    }
  });

  it('BĐ3 + 1,0 m computed in floats is reached by a level reported as that sum', () => {
    expect(floodRiskLevel({ zone: 1, levelM: 122.1 + 1, bd1: 118.1, bd2: 120.1, bd3: 122.1, historic: null })).toEqual({ level: 3, clause: '3c' });
    expect(floodRiskLevel({ zone: 4, levelM: 0.1 + 0.2 + 6.5, ...BD, historic: null }).level).toBe(4);
  });

  it('every row cites Điều 45 and quotes its clause', () => {
    for (const row of FLOOD_RISK_TABLE) {
      expect(row.source).toMatch(/^QĐ 18\/2021\/QĐ-TTg, Điều 45, khoản [1-5]/);
      expect(row.clause.charAt(0)).toBe(String(row.level));
      expect(row.text.length).toBeGreaterThan(20);
    }
  });

  it('refuses inputs the article cannot read', () => {
    expect(() => floodRiskLevel({ zone: 5 as RiskZone, levelM: 4, ...BD, historic: null })).toThrow(RangeError);
    expect(() => floodRiskLevel({ zone: 1, levelM: Number.NaN, ...BD, historic: null })).toThrow(RangeError);
    expect(() => floodRiskLevel({ zone: 1, levelM: 4, bd1: 5, bd2: 4, bd3: 6, historic: null })).toThrow(/must rise/);
    expect(() => floodRiskLevel({ zone: 4, levelM: 4, ...BD, historic: 6.6 })).toThrow(/historic/);
  });
});

const station = (basin: string, zone: RiskZone, levelM: number): FloodStationInput => ({ basin, zone, levelM, ...BD, historic: HISTORIC });

describe('Điều 45 on several basins (điểm 2d, 3d)', () => {
  it('2d: khu vực 1 from BĐ1 on two basins is level 2; on one basin it stays level 1', () => {
    expect(floodRiskLevels([station('Đà', 1, 4), station('Đà', 1, 5.5)]).map((r) => r.level)).toEqual([1, 1]);
    expect(floodRiskLevels([station('Đà', 1, 4), station('Mã', 1, 5.5)])).toEqual([
      { level: 2, clause: '2d' },
      { level: 2, clause: '2d' },
    ]);
  });

  it('2d mixes its alternatives: khu vực 1 under BĐ3 on one basin and khu vực 2 under BĐ2 on another', () => {
    expect(floodRiskLevels([station('Trà Khúc', 2, 4), station('Sê San', 1, 6)]).map((r) => r.level)).toEqual([2, 2]);
  });

  it('3d: khu vực 3 from BĐ2 on two basins is level 3; a station below that band takes 2d, one under BĐ1 nothing', () => {
    const r = floodRiskLevels([station('Cả', 3, 5.2), station('La', 3, 6), station('Ngàn Sâu', 3, 3.6), station('Rào Cái', 3, 2)]);
    expect(r).toEqual([
      { level: 3, clause: '3d' },
      { level: 3, clause: '3d' },
      { level: 2, clause: '2d' },
      { level: 0, clause: null },
    ]);
  });

  it('3d: khu vực 4 from BĐ1 on two basins is level 3; khu vực 1 needs BĐ3 there', () => {
    expect(floodRiskLevels([station('Hồng', 4, 4), station('Thái Bình', 4, 4)]).map((r) => r.level)).toEqual([3, 3]);
    expect(floodRiskLevels([station('Đà', 1, 6.6), station('Mã', 1, 6.9)]).map((r) => r.level)).toEqual([3, 3]);
  });

  it('a flood above a band still counts for it on another basin (our reading): the Mã past BĐ3 keeps the Đà at cấp 2', () => {
    expect(floodRiskLevels([station('Đà', 1, 6.4), station('Mã', 1, 6.4)])).toEqual([
      { level: 2, clause: '2d' },
      { level: 2, clause: '2d' },
    ]);
    expect(floodRiskLevels([station('Đà', 1, 6.4), station('Mã', 1, 6.9)])).toEqual([
      { level: 2, clause: '2d' },
      { level: 2, clause: '2c' },
    ]);
  });

  it('one basin with many stations is still one basin', () => {
    expect(floodRiskLevels([station('Đà', 1, 6.6), station('Đà', 1, 6.9), station('Đà', 1, 4)]).map((r) => r.level)).toEqual([2, 2, 1]);
  });

  it('never lowers a station: a higher one-basin level stands against a lower many-basin clause', () => {
    expect(floodRiskLevels([station('Đà', 1, 7.6), station('Mã', 1, 4)])).toEqual([
      { level: 3, clause: '3c' },
      { level: 2, clause: '2d' },
    ]);
  });
});
