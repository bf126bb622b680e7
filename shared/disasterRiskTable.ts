/**
 * Điều 46 of Quyết định 18/2021/QĐ-TTg (in force 01/07/2021) as data: the disaster risk levels for flash
 * floods, landslides and land subsidence from heavy rain or water flow ("lũ quét, sạt lở đất, sụt lún đất do
 * mưa lũ hoặc dòng chảy"). See shared/STANDARDS.md §7.
 *
 * Read from the Ministry of Justice's codification (Bộ pháp điển, đề mục "Phòng, chống thiên tai", Điều
 * 24.10.QĐ.5.46), public copy: github.com/diepxuan/diepxuan.github.io, van-ban/nong-nghiep-nong-thon/
 * phong-chong-thien-tai.md. One row per (khoản, điểm, khu vực); `text` quotes the clause's own words for
 * that zone so a reviewer can check a row without opening the decision.
 *
 * Every điểm has the same two conditions: "Cảnh báo tổng lượng mưa … trong 24 giờ" and "mưa đã xảy ra trước
 * đó …", then the areas. The bands, with their bounds exactly as written:
 * - "từ 100 mm đến 200 mm" = [100, 200]; "từ trên 200 mm đến 400 mm" = (200, 400]; "trên 400 mm" = (400, ∞);
 * - "từ 1 ngày đến 2 ngày" = [1, 2]; "trên 2 ngày" = (2, ∞).
 * The article pairs 100–200 mm only with 1–2 days of earlier rain, and the two higher bands only with more
 * than 2 days: other combinations match no row (level 0). That gap is the decision's, not ours.
 */
import type { ProvinceRiskZones } from './provinces';

/** Khu vực 1–4 of Phụ lục XII, Bảng 5 (khoản 5). */
export type RiskZone = 1 | 2 | 3 | 4;
export const RISK_ZONES: readonly RiskZone[] = [1, 2, 3, 4];

/** The area's landslide / flash-flood susceptibility ("vùng có nguy cơ …"). */
export type Susceptibility = 'low' | 'medium' | 'high' | 'very_high';
export const SUSCEPTIBILITIES: readonly Susceptibility[] = ['low', 'medium', 'high', 'very_high'];
export const SUSCEPTIBILITY_VI: Readonly<Record<Susceptibility, string>> = {
  low: 'thấp',
  medium: 'trung bình',
  high: 'cao',
  very_high: 'rất cao',
};

/** An interval of the real line; `max: null` is unbounded. */
export interface Interval {
  readonly min: number;
  readonly minInclusive: boolean;
  readonly max: number | null;
  readonly maxInclusive: boolean;
}

/** "từ 100 mm đến 200 mm" */
export const RAIN_100_TO_200: Interval = { min: 100, minInclusive: true, max: 200, maxInclusive: true };
/** "từ trên 200 mm đến 400 mm" */
export const RAIN_OVER_200_TO_400: Interval = { min: 200, minInclusive: false, max: 400, maxInclusive: true };
/** "trên 400 mm" */
export const RAIN_OVER_400: Interval = { min: 400, minInclusive: false, max: null, maxInclusive: false };
/** "từ 1 ngày đến 2 ngày" */
export const DAYS_1_TO_2: Interval = { min: 1, minInclusive: true, max: 2, maxInclusive: true };
/** "trên 2 ngày" */
export const DAYS_OVER_2: Interval = { min: 2, minInclusive: false, max: null, maxInclusive: false };

export function inInterval(x: number, i: Interval): boolean {
  const aboveMin = i.minInclusive ? x >= i.min : x > i.min;
  if (!aboveMin) return false;
  if (i.max === null) return true;
  return i.maxInclusive ? x <= i.max : x < i.max;
}

export interface FlashFloodRiskRow {
  readonly level: 1 | 2 | 3;
  readonly zone: RiskZone;
  readonly susceptibility: readonly Susceptibility[];
  /** Warned total rainfall in 24 h, mm. */
  readonly rain24h: Interval;
  /** Days of rain that already fell before. */
  readonly antecedentRainDays: Interval;
  readonly source: string;
  /** The clause's words for this zone. */
  readonly text: string;
}

const src = (khoan: 1 | 2 | 3, diem: 'a' | 'b' | 'c') => `QĐ 18/2021/QĐ-TTg, Điều 46, khoản ${khoan}, điểm ${diem}`;

function rows(
  level: 1 | 2 | 3,
  diem: 'a' | 'b' | 'c',
  rain24h: Interval,
  antecedentRainDays: Interval,
  areas: readonly (readonly [RiskZone, readonly Susceptibility[], string])[],
): FlashFloodRiskRow[] {
  return areas.map(([zone, susceptibility, text]) => ({
    level,
    zone,
    susceptibility,
    rain24h,
    antecedentRainDays,
    source: src(level, diem),
    text,
  }));
}

/** Khoản 1–3 of Điều 46 (khoản n is "Rủi ro thiên tai cấp độ n gồm các trường hợp sau"). */
export const FLASH_FLOOD_RISK_TABLE: readonly FlashFloodRiskRow[] = [
  // 1a: "từ 100 mm đến 200 mm trong 24 giờ và mưa đã xảy ra trước đó từ 1 ngày đến 2 ngày"
  ...rows(1, 'a', RAIN_100_TO_200, DAYS_1_TO_2, [
    [1, ['low', 'medium'], 'vùng có nguy cơ thấp hoặc trung bình thuộc các tỉnh trong khu vực 1'],
    [2, ['medium'], 'vùng có nguy cơ trung bình thuộc các tỉnh trong khu vực 2'],
    [3, ['high'], 'vùng có nguy cơ cao thuộc các tỉnh trong khu vực 3'],
    [4, ['high', 'very_high'], 'vùng có nguy cơ cao đến rất cao thuộc các tỉnh trong khu vực 4'],
  ]),
  // 1b: "từ trên 200 mm đến 400 mm trong 24 giờ và mưa đã xảy ra trước đó trên 2 ngày"
  ...rows(1, 'b', RAIN_OVER_200_TO_400, DAYS_OVER_2, [
    [1, ['low'], 'vùng có nguy cơ thấp thuộc các tỉnh trong khu vực 1 và khu vực 2'],
    [2, ['low'], 'vùng có nguy cơ thấp thuộc các tỉnh trong khu vực 1 và khu vực 2'],
    [3, ['medium'], 'vùng có nguy cơ trung bình thuộc các tỉnh trong khu vực 3'],
    [4, ['high'], 'vùng có nguy cơ cao thuộc các tỉnh trong khu vực 4'],
  ]),
  // 1c: "trên 400 mm trong 24 giờ và mưa đã xảy ra trước đó trên 2 ngày"
  ...rows(1, 'c', RAIN_OVER_400, DAYS_OVER_2, [
    [3, ['low'], 'vùng có nguy cơ thấp thuộc các tỉnh trong khu vực 3'],
    [4, ['medium'], 'vùng có nguy cơ trung bình thuộc các tỉnh trong khu vực 4'],
  ]),
  // 2a
  ...rows(2, 'a', RAIN_100_TO_200, DAYS_1_TO_2, [
    [1, ['high'], 'vùng có nguy cơ cao thuộc các tỉnh trong khu vực 1 và khu vực 2'],
    [2, ['high'], 'vùng có nguy cơ cao thuộc các tỉnh trong khu vực 1 và khu vực 2'],
    [3, ['very_high'], 'vùng có nguy cơ rất cao thuộc các tỉnh trong khu vực 3'],
  ]),
  // 2b
  ...rows(2, 'b', RAIN_OVER_200_TO_400, DAYS_OVER_2, [
    [1, ['medium'], 'vùng có nguy cơ trung bình thuộc các tỉnh trong khu vực 1 và khu vực 2'],
    [2, ['medium'], 'vùng có nguy cơ trung bình thuộc các tỉnh trong khu vực 1 và khu vực 2'],
    [3, ['high'], 'vùng có nguy cơ cao thuộc các tỉnh trong khu vực 3'],
    [4, ['very_high'], 'vùng có nguy cơ rất cao thuộc các tỉnh trong khu vực 4'],
  ]),
  // 2c
  ...rows(2, 'c', RAIN_OVER_400, DAYS_OVER_2, [
    [1, ['low', 'medium'], 'vùng có nguy cơ thấp hoặc trung bình thuộc các tỉnh trong khu vực 1 và khu vực 2'],
    [2, ['low', 'medium'], 'vùng có nguy cơ thấp hoặc trung bình thuộc các tỉnh trong khu vực 1 và khu vực 2'],
    [3, ['medium', 'high'], 'vùng có nguy cơ trung bình hoặc cao thuộc các tình [sic] trong khu vực 3'],
    [4, ['high', 'very_high'], 'vùng có nguy cơ cao hoặc rất cao thuộc các tỉnh trong khu vực 4'],
  ]),
  // 3a
  ...rows(3, 'a', RAIN_100_TO_200, DAYS_1_TO_2, [
    [1, ['very_high'], 'vùng có nguy cơ rất cao thuộc các tỉnh trong khu vực 1 và khu vực 2'],
    [2, ['very_high'], 'vùng có nguy cơ rất cao thuộc các tỉnh trong khu vực 1 và khu vực 2'],
  ]),
  // 3b
  ...rows(3, 'b', RAIN_OVER_200_TO_400, DAYS_OVER_2, [
    [1, ['high', 'very_high'], 'vùng có nguy cơ cao hoặc rất cao thuộc các tỉnh trong khu vực 1 và khu vực 2'],
    [2, ['high', 'very_high'], 'vùng có nguy cơ cao hoặc rất cao thuộc các tỉnh trong khu vực 1 và khu vực 2'],
    [3, ['very_high'], 'vùng có nguy cơ rất cao thuộc các tỉnh trong khu vực 3'],
  ]),
  // 3c
  ...rows(3, 'c', RAIN_OVER_400, DAYS_OVER_2, [
    [1, ['high', 'very_high'], 'vùng có nguy cơ cao hoặc rất cao thuộc các tỉnh trong khu vực 1 và khu vực 2'],
    [2, ['high', 'very_high'], 'vùng có nguy cơ cao hoặc rất cao thuộc các tỉnh trong khu vực 1 và khu vực 2'],
    [3, ['very_high'], 'vùng có nguy cơ rất cao thuộc các tỉnh trong khu vực 3'],
  ]),
];

/**
 * The zone of a commune, from its province's riskZones (shared/provinces/<slug>/province.json: Bảng 5 names the
 * pre-2025 provinces, and a merged province keeps each former part's zone, STANDARDS.md §7), or undefined when
 * its code falls in no part.
 */
export function riskZoneOfCommune(zones: ProvinceRiskZones, communeCode: string): RiskZone | undefined {
  return zones.parts.find((p) => p.communeCodePrefixes.some((prefix) => communeCode.startsWith(prefix)))?.zone;
}
