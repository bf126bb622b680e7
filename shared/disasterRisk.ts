/**
 * Official disaster risk levels (cấp độ rủi ro thiên tai) of Quyết định 18/2021/QĐ-TTg: the five levels and
 * their map colours (Điều 4), the rule for hazards at once (Điều 4 khoản 4), and the level for flash floods
 * and landslides from rain (Điều 46, table in ./disasterRiskTable.ts) and for floods from river levels (Điều
 * 45, table in ./floodRiskTable.ts). Pure. STANDARDS.md §7.
 */
import {
  FLASH_FLOOD_RISK_TABLE,
  SUSCEPTIBILITIES,
  inInterval,
  type RiskZone,
  type Susceptibility,
} from './disasterRiskTable';
import { FLOOD_RISK_TABLE, inFloodRow, reachesFloodRow, type FloodRefs } from './floodRiskTable';

export type RiskLevel = 1 | 2 | 3 | 4 | 5;

export interface RiskLevelInfo {
  readonly level: RiskLevel;
  /** Điều 4 khoản 3: the level's meaning. */
  readonly name: string;
  /** Điều 4 khoản 3: the colour as the decision names it. */
  readonly colourName: string;
  readonly rgb: readonly [number, number, number];
  readonly hex: string;
  /** Text colour with WCAG contrast ≥ 4.5 on `hex` (checked in the tests). */
  readonly textHex: string;
}

/**
 * Điều 4 khoản 3: "cấp 1 màu xanh dương nhạt là rủi ro thấp; cấp 2 màu vàng nhạt là rủi ro trung bình; cấp 3
 * màu da cam là rủi ro lớn; cấp 4 màu đỏ là rủi ro rất lớn; cấp 5 màu tím là rủi ro ở mức thảm họa".
 * The article names the colours only. The RGB values are our chosen shades of those names, not official
 * values: Phụ lục XII, which the article points to, was not readable in the copy we used.
 */
export const RISK_LEVELS: readonly RiskLevelInfo[] = [
  { level: 1, name: 'Rủi ro thấp', colourName: 'xanh dương nhạt', rgb: [153, 204, 255], hex: '#99ccff', textHex: '#000000' },
  { level: 2, name: 'Rủi ro trung bình', colourName: 'vàng nhạt', rgb: [255, 255, 153], hex: '#ffff99', textHex: '#000000' },
  { level: 3, name: 'Rủi ro lớn', colourName: 'da cam', rgb: [255, 165, 0], hex: '#ffa500', textHex: '#000000' },
  // Black, not white: white on pure red is only 4.0:1.
  { level: 4, name: 'Rủi ro rất lớn', colourName: 'đỏ', rgb: [255, 0, 0], hex: '#ff0000', textHex: '#000000' },
  { level: 5, name: 'Rủi ro ở mức thảm họa', colourName: 'tím', rgb: [128, 0, 128], hex: '#800080', textHex: '#ffffff' },
];

export function riskLevelInfo(level: RiskLevel): RiskLevelInfo {
  const info = RISK_LEVELS[level - 1];
  if (!info) throw new RangeError(`risk level must be 1–5, got ${level}`);
  return info;
}

export interface FlashFloodRiskInput {
  /** The province's khu vực (Phụ lục XII, Bảng 5): 1–4. */
  zone: RiskZone;
  /** The area's susceptibility class (thấp, trung bình, cao, rất cao). */
  susceptibility: Susceptibility;
  /** Warned total rainfall in 24 h, mm. */
  rain24hMm: number;
  /** Days on which rain already fell before; fractions allowed (36 h = 1.5). */
  antecedentRainDays: number;
}

/**
 * The risk level of Điều 46 for one area, 0 when no clause applies (below 100 mm, no earlier rain, or a
 * combination the article does not list: see ./disasterRiskTable.ts). Within one area the clauses do not
 * overlap (tested); taking the highest matching row is also what khoản 4 asks across areas.
 */
export function flashFloodRiskLevel(input: FlashFloodRiskInput): 0 | 1 | 2 | 3 {
  const { zone, susceptibility, rain24hMm, antecedentRainDays } = input;
  if (!Number.isInteger(zone) || zone < 1 || zone > 4) throw new RangeError(`zone must be 1–4, got ${zone}`);
  if (!SUSCEPTIBILITIES.includes(susceptibility)) {
    throw new RangeError(`susceptibility must be one of ${SUSCEPTIBILITIES.join(', ')}, got ${String(susceptibility)}`);
  }
  if (!Number.isFinite(rain24hMm) || rain24hMm < 0) {
    throw new RangeError(`rain24hMm must be a finite number ≥ 0, got ${rain24hMm}`);
  }
  if (!Number.isFinite(antecedentRainDays) || antecedentRainDays < 0) {
    throw new RangeError(`antecedentRainDays must be a finite number ≥ 0, got ${antecedentRainDays}`);
  }
  let level: 0 | 1 | 2 | 3 = 0;
  for (const row of FLASH_FLOOD_RISK_TABLE) {
    if (
      row.level > level &&
      row.zone === zone &&
      row.susceptibility.includes(susceptibility) &&
      inInterval(rain24hMm, row.rain24h) &&
      inInterval(antecedentRainDays, row.antecedentRainDays)
    ) {
      level = row.level;
    }
  }
  return level;
}

export interface FloodRiskInput extends FloodRefs {
  /** The station's khu vực (Phụ lục XIII): 1–4. */
  zone: RiskZone;
  /** The flood level at the station, m (the decision reads the forecast level; the IOC gives what it has). */
  levelM: number;
}

/** A level of Điều 45 and the clause that gave it ("2c"); level 0 and clause null when none applies. */
export interface FloodRiskResult {
  level: 0 | 1 | 2 | 3 | 4 | 5;
  clause: string | null;
}

/**
 * The risk level of Điều 45 for one station on one basin: the rows "trên một lưu vực sông" (and those naming
 * no basin). Rows of one level do not overlap within a zone (tested); the highest matching row wins.
 */
export function floodRiskLevel(input: FloodRiskInput): FloodRiskResult {
  checkFloodInput(input);
  let best: FloodRiskResult = { level: 0, clause: null };
  for (const row of FLOOD_RISK_TABLE) {
    if (row.basins === 'one' && row.level > best.level && row.zones.includes(input.zone) && inFloodRow(input.levelM, row, input)) {
      best = { level: row.level, clause: row.clause };
    }
  }
  return best;
}

export interface FloodStationInput extends FloodRiskInput {
  /** The river system the station is on ("lưu vực sông"): stations with the same basin are on one. */
  basin: string;
}

/**
 * Điều 45 for the province's stations together: each station's own level, raised by điểm 2d or 3d when
 * stations on two or more basins reach that điểm at once (each station reaching it then takes at least its
 * level; the others keep their own). "Reach": at or above the lower bound of the station's zone's band (our
 * reading, in ./floodRiskTable.ts). Same order as `stations`.
 */
export function floodRiskLevels(stations: readonly FloodStationInput[]): FloodRiskResult[] {
  const out = stations.map(floodRiskLevel);
  const many = FLOOD_RISK_TABLE.filter((r) => r.basins === 'many');
  for (const clause of new Set(many.map((r) => r.clause))) {
    const rows = many.filter((r) => r.clause === clause);
    const meets = stations.map((s) => rows.some((r) => r.zones.includes(s.zone) && reachesFloodRow(s.levelM, r, s)));
    const basins = new Set(stations.filter((_, k) => meets[k]).map((s) => s.basin));
    if (basins.size < 2) continue;
    const level = rows[0]!.level;
    meets.forEach((m, k) => {
      if (m && out[k]!.level < level) out[k] = { level, clause };
    });
  }
  return out;
}

/**
 * `floodRiskLevels` over the stations that have a level (null: none yet, left out, not counted as 0), by
 * registry index: what the server's communes and the wall's rivers page both read.
 */
export function floodRiskByStation(stations: readonly ((FloodStationInput & { i: number }) | null)[]): Map<number, FloodRiskResult> {
  const withLevel = stations.filter((s): s is FloodStationInput & { i: number } => s !== null && Number.isFinite(s.levelM));
  const out = new Map<number, FloodRiskResult>();
  floodRiskLevels(withLevel).forEach((r, k) => out.set(withLevel[k]!.i, r));
  return out;
}

function checkFloodInput(input: FloodRiskInput): void {
  const { zone, levelM, bd1, bd2, bd3, historic } = input;
  if (!Number.isInteger(zone) || zone < 1 || zone > 4) throw new RangeError(`zone must be 1–4, got ${zone}`);
  if (!Number.isFinite(levelM)) throw new RangeError(`levelM must be a finite number, got ${levelM}`);
  if (!(bd1 < bd2 && bd2 < bd3)) throw new RangeError(`alarm levels must rise: BĐ1 ${bd1}, BĐ2 ${bd2}, BĐ3 ${bd3}`);
  if (historic !== null && !(historic > bd3 + 0.3)) {
    throw new RangeError(`the historic flood (${historic}) must be above BĐ3 + 0.3 m (${bd3 + 0.3})`);
  }
}

/**
 * Điều 46 khoản 4: "Trường hợp khu vực cảnh báo xuất hiện nhiều vùng có cấp độ rủi ro thiên tai ở các mức khác
 * nhau thì lấy cấp độ rủi ro theo mức cao nhất." The level of a warned area from its parts' levels.
 */
export function highestRiskLevel(levels: readonly number[]): number {
  return levels.reduce((a, b) => Math.max(a, checkLevel(b)), 0);
}

export interface CombinedRiskLevel {
  /** The highest of the hazards' levels: what applies without a decision to raise it. */
  readonly highest: number;
  /** The most the rule allows an authority to raise it to ("có thể", a judgement, never automatic). */
  readonly mayRaiseTo: number;
}

/**
 * Điều 4 khoản 4: "Cấp độ rủi ro của hai hay nhiều thiên tai xảy ra đồng thời hoặc liên tiếp, có thể điều
 * chỉnh tăng lên 1 cấp dựa trên tác động của thiên tai; trong trường hợp có nguy cơ xảy ra thiệt hại nghiêm
 * trọng về người và tài sản, cấp độ rủi ro có thể được xem xét tăng lên hai cấp, cao nhất là cấp 5."
 *
 * `levels` are the levels (0–5, 0 = no risk level) of hazards occurring at once or in succession; only
 * hazards with a level count towards "two or more". `seriousLossOfLife` is the decision's "nguy cơ xảy ra
 * thiệt hại nghiêm trọng về người và tài sản". The raise is permitted, not required, so both are returned.
 */
export function combineRiskLevels(levels: readonly number[], seriousLossOfLife = false): CombinedRiskLevel {
  const highest = highestRiskLevel(levels);
  const hazards = levels.filter((l) => l > 0).length;
  const mayRaiseTo = hazards >= 2 ? Math.min(5, highest + (seriousLossOfLife ? 2 : 1)) : highest;
  return { highest, mayRaiseTo };
}

function checkLevel(level: number): number {
  if (!Number.isInteger(level) || level < 0 || level > 5) throw new RangeError(`risk level must be 0–5, got ${level}`);
  return level;
}
