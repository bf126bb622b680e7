/**
 * Điều 45 of Quyết định 18/2021/QĐ-TTg (in force 01/07/2021) as data: the disaster risk levels for floods and
 * inundation ("lũ, ngập lụt") from the flood level at a hydrological station against its alarm levels
 * (báo động 1–3 of QĐ 05/2020/QĐ-TTg) and, in khu vực 4, the historic flood. See shared/STANDARDS.md §7.
 *
 * Read from the Ministry of Justice's codification (Bộ pháp điển, đề mục "Phòng, chống thiên tai", Điều
 * 24.10.QĐ.5.45), public copy: github.com/diepxuan/diepxuan.github.io, van-ban/nong-nghiep-nong-thon/
 * phong-chong-thien-tai.md. One row per (khoản, điểm, khu vực set); `text` quotes the clause's own words.
 *
 * The bounds, exactly as written: "từ báo động 1 đến dưới báo động 2" = [BĐ1, BĐ2); "từ báo động 3 cộng 1,0 m
 * trở lên" = [BĐ3 + 1.0, ∞); "từ báo động 3 cộng 0,3 m đến lũ lịch sử" = [BĐ3 + 0.3, historic]; "vượt lũ lịch
 * sử" = (historic, ∞).
 *
 * What the article leaves to other texts, kept as province data with its source and a `verified` flag:
 * - khoản 6: which khu vực each station is in is Phụ lục XIII, a per-station list we could not read. Note
 *   that these khu vực are the stations' (Phụ lục XIII), not the provinces' of Điều 46 (Phụ lục XII, Bảng 5).
 * - khoản 8: where flood-control works exist, the design flood replaces the historic flood.
 * - "trên một / nhiều lưu vực sông": the basins are the province's river systems (basins.json).
 *
 * Our reading of điểm 2d and 3d ("… trên nhiều lưu vực sông"): a station counts towards "several basins" once
 * its level reaches the lower bound of its zone's band; the band's upper bound ("dưới báo động 3") separates
 * the clause from the next level's, it does not make a higher flood on one basin count for less. Read
 * literally, the Đà at BĐ2 and the Mã at BĐ2 would be cấp 2 together, and the Mã rising past BĐ3 would bring
 * the Đà back to cấp 1.
 */
import type { RiskZone } from './disasterRiskTable';

/** An alarm level or the historic flood, plus metres: "báo động 3 cộng 1,0 m" is { ref: 'bd3', plusM: 1 }. */
export interface FloodBound {
  readonly ref: 'bd1' | 'bd2' | 'bd3' | 'historic';
  readonly plusM: number;
  readonly inclusive: boolean;
}

export interface FloodRiskRow {
  readonly level: 1 | 2 | 3 | 4 | 5;
  /** "1a", "2d", …: khoản (= the level) and điểm; khoản 4 and 5 have no điểm. */
  readonly clause: string;
  readonly zones: readonly RiskZone[];
  /** The flood level's lower bound. */
  readonly from: FloodBound;
  /** Its upper bound; null: none ("trở lên", "vượt"). */
  readonly to: FloodBound | null;
  /**
   * 'one': "trên một lưu vực sông" (or no basin named): the station alone decides. 'many': "trên nhiều lưu vực
   * sông": the row applies when stations on two or more basins each meet one of its clause's rows.
   */
  readonly basins: 'one' | 'many';
  readonly source: string;
  readonly text: string;
}

const at = (ref: FloodBound['ref'], plusM = 0): FloodBound => ({ ref, plusM, inclusive: true });
const below = (ref: FloodBound['ref'], plusM = 0): FloodBound => ({ ref, plusM, inclusive: false });
const source = (clause: string) => {
  const khoan = clause.charAt(0);
  const diem = clause.slice(1);
  return `QĐ 18/2021/QĐ-TTg, Điều 45, khoản ${khoan}${diem ? `, điểm ${diem}` : ''}`;
};
const row = (r: Omit<FloodRiskRow, 'source'>): FloodRiskRow => ({ ...r, source: source(r.clause) });

/** Khoản 1–5 of Điều 45 (khoản n is "Rủi ro thiên tai cấp độ n …"). */
export const FLOOD_RISK_TABLE: readonly FloodRiskRow[] = [
  row({ level: 1, clause: '1a', zones: [1, 2, 3], from: at('bd1'), to: below('bd2'), basins: 'one',
    text: 'từ báo động 1 đến dưới báo động 2 tại các trạm thủy văn thuộc khu vực 1, khu vực 2, khu vực 3 trên một lưu vực sông' }),
  row({ level: 1, clause: '1b', zones: [1], from: at('bd2'), to: below('bd3'), basins: 'one',
    text: 'từ báo động 2 đến dưới báo động 3 tại các trạm thủy văn thuộc khu vực 1 trên một lưu vực sông' }),
  row({ level: 2, clause: '2a', zones: [4], from: at('bd1'), to: below('bd2'), basins: 'one',
    text: 'từ báo động 1 đến dưới báo động 2 tại các trạm thủy văn thuộc khu vực 4 trên một lưu vực sông' }),
  row({ level: 2, clause: '2b', zones: [2, 3], from: at('bd2'), to: below('bd3'), basins: 'one',
    text: 'từ báo động 2 đến dưới báo động 3 tại các trạm thủy văn thuộc khu vực 2, khu vực 3 trên một lưu vực sông' }),
  row({ level: 2, clause: '2c', zones: [1, 2], from: at('bd3'), to: below('bd3', 1), basins: 'one',
    text: 'từ báo động 3 đến dưới báo động 3 cộng 1,0 m tại các trạm thủy văn thuộc khu vực 1, khu vực 2 trên một lưu vực sông' }),
  row({ level: 2, clause: '2d', zones: [1], from: at('bd1'), to: below('bd3'), basins: 'many',
    text: 'từ báo động 1 đến dưới báo động 3 tại các trạm thủy văn thuộc khu vực 1 … trên nhiều lưu vực sông' }),
  row({ level: 2, clause: '2d', zones: [2, 3], from: at('bd1'), to: below('bd2'), basins: 'many',
    text: 'từ báo động 1 đến dưới báo động 2 tại các trạm thủy văn thuộc khu vực 2, khu vực 3 trên nhiều lưu vực sông' }),
  row({ level: 3, clause: '3a', zones: [4], from: at('bd2'), to: below('bd3', 0.3), basins: 'one',
    text: 'từ báo động 2 đến dưới báo động 3 cộng 0,3 m tại các trạm thủy văn thuộc khu vực 4' }),
  row({ level: 3, clause: '3b', zones: [3], from: at('bd3'), to: null, basins: 'one',
    text: 'từ báo động 3 trở lên tại các trạm thủy văn thuộc khu vực 3' }),
  row({ level: 3, clause: '3c', zones: [1, 2], from: at('bd3', 1), to: null, basins: 'one',
    text: 'từ báo động 3 cộng 1,0 m trở lên tại các trạm thủy văn thuộc khu vực 1, khu vực 2' }),
  row({ level: 3, clause: '3d', zones: [4], from: at('bd1'), to: below('bd2'), basins: 'many',
    text: 'từ báo động 1 đến dưới báo động 2 tại các trạm thủy văn thuộc khu vực 4 … trên nhiều lưu vực sông' }),
  row({ level: 3, clause: '3d', zones: [3], from: at('bd2'), to: below('bd3'), basins: 'many',
    text: 'từ báo động 2 đến dưới báo động 3 tại các trạm thủy văn thuộc khu vực 3 … trên nhiều lưu vực sông' }),
  row({ level: 3, clause: '3d', zones: [2], from: at('bd2'), to: below('bd3', 1), basins: 'many',
    text: 'từ báo động 2 đến dưới báo động 3 cộng 1,0 m tại các trạm thủy văn thuộc khu vực 2 … trên nhiều lưu vực sông' }),
  row({ level: 3, clause: '3d', zones: [1], from: at('bd3'), to: below('bd3', 1), basins: 'many',
    text: 'từ báo động 3 đến dưới báo động 3 cộng 1,0 m tại các trạm thủy văn thuộc khu vực 1 trên nhiều lưu vực sông' }),
  row({ level: 4, clause: '4', zones: [4], from: at('bd3', 0.3), to: at('historic'), basins: 'one',
    text: 'từ báo động 3 cộng 0,3 m đến lũ lịch sử tại các trạm thủy văn thuộc khu vực 4' }),
  row({ level: 5, clause: '5', zones: [4], from: { ref: 'historic', plusM: 0, inclusive: false }, to: null, basins: 'one',
    text: 'vượt lũ lịch sử tại các trạm thủy văn thuộc khu vực 4' }),
];

/** A station's levels in metres; `historic` null when the province has not given it. */
export interface FloodRefs {
  readonly bd1: number;
  readonly bd2: number;
  readonly bd3: number;
  readonly historic: number | null;
}

/**
 * Whether `levelM` lies between the row's bounds. A bound on the historic flood that the station lacks: as a
 * lower bound it is never reached (no level 5 without the historic flood), as an upper bound it is no bound
 * (level 4 runs on from BĐ3 + 0.3 m).
 */
export function inFloodRow(levelM: number, r: FloodRiskRow, refs: FloodRefs): boolean {
  if (!reachesFloodRow(levelM, r, refs)) return false;
  if (r.to === null) return true;
  const hi = value(r.to, refs);
  if (hi === null) return true;
  return r.to.inclusive ? levelM <= hi + EPS : levelM < hi - EPS;
}

/** Whether `levelM` is at or above the row's lower bound (its upper bound aside). */
export function reachesFloodRow(levelM: number, r: FloodRiskRow, refs: FloodRefs): boolean {
  const lo = value(r.from, refs);
  if (lo === null) return false;
  return r.from.inclusive ? levelM >= lo - EPS : levelM > lo + EPS;
}

function value(b: FloodBound, refs: FloodRefs): number | null {
  const base = refs[b.ref];
  return base === null ? null : base + b.plusM;
}

/** Half a millimetre: "BĐ3 + 0,3 m" computed in floats must equal a level reported as that sum. */
const EPS = 5e-4;
