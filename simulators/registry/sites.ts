/**
 * Hand-placed facts per province: river gauges and industrial zones. Coordinates are approximate public
 * locations (no licensed dataset of them was found, see shared/provinces/ATTRIBUTION.md); the generator
 * nudges a point that falls just outside the province (river banks, coast) to the nearest inside point.
 */
import type { ProvinceSlug } from '../../shared/provinces';

/** STANDARDS.md §3: ⚠ not from the QĐ 05/2020/QĐ-TTg appendix, so kept as gauge data, never in logic. */
export const BULLETIN_LEVELS_SOURCE =
  'Back-calculated from official flood bulletins, not from the QĐ 05/2020/QĐ-TTg appendix; unverified';
export const ILLUSTRATIVE_LEVELS_SOURCE = 'Illustrative only: not an official alarm level; replace with the real one';

export interface GaugeSite {
  station: string;
  river: string;
  lon: number;
  lat: number;
  /** Báo động I, II, III (m). */
  levels: [number, number, number];
  /** True for the real gauges of STANDARDS.md §3, whose levels come from bulletins. */
  bulletin: boolean;
  /** Upper-basin gauge: rises first, gives the downstream gauges their lead time. */
  upstream: boolean;
}

export interface IndustrialSite {
  /** Used in station names; omitted for a city, where the commune name is used instead. */
  label?: string;
  lon: number;
  lat: number;
  /** Standard deviation of station positions around the centre, degrees. */
  spreadDeg: number;
  count: number;
  /** QCVN 40:2011 column: A where the receiving water supplies drinking water, B otherwise. */
  column: 'A' | 'B';
  /** Kq of the receiving water (STANDARDS.md §2): 1.3 coastal, 0.9–1.1 by river flow. */
  kq: number;
  /** Kf candidates by plant size (discharge flow). */
  kf: readonly number[];
}

export interface ProvinceSites {
  /** Id prefix: qng-air-0001. */
  prefix: string;
  gauges: GaugeSite[];
  industry: IndustrialSite[];
}

const gauge = (
  station: string,
  river: string,
  lon: number,
  lat: number,
  levels: [number, number, number],
  bulletin: boolean,
  upstream: boolean,
): GaugeSite => ({ station, river, lon, lat, levels, bulletin, upstream });

export const PROVINCE_SITES: Record<ProvinceSlug, ProvinceSites> = {
  'quang-ngai': {
    prefix: 'qng',
    gauges: [
      gauge('Trà Khúc', 'Trà Khúc', 108.8, 15.13, [3.5, 5.0, 6.5], true, false),
      gauge('Châu Ổ', 'Trà Bồng', 108.71, 15.29, [2.5, 3.5, 4.5], true, false),
      gauge('Sông Vệ', 'Vệ', 108.83, 14.99, [2.5, 3.5, 4.5], true, false),
      gauge('Trà Câu', 'Trà Câu', 108.91, 14.82, [3.5, 4.5, 5.5], true, false),
      gauge('Sơn Giang', 'Trà Khúc', 108.56, 15.06, [27.0, 29.0, 31.0], false, true),
      gauge('An Chỉ', 'Vệ', 108.77, 14.97, [6.5, 8.0, 9.5], false, true),
      gauge('Trà Bồng', 'Trà Bồng', 108.52, 15.25, [12.0, 13.5, 15.0], false, true),
      gauge('Sơn Hà', 'Rin', 108.46, 15.04, [45.0, 47.0, 49.0], false, true),
      gauge('Kon Tum', 'Đăk Bla', 108.0, 14.34, [518.0, 519.5, 521.0], false, false),
      gauge('Kon Plông', 'Đăk Bla', 108.33, 14.69, [595.0, 597.0, 599.0], false, true),
      gauge('Đăk Mốt', 'Pô Kô', 107.83, 14.67, [583.0, 585.0, 587.0], false, true),
      gauge('Đăk Hà', 'Đăk Psi', 107.93, 14.52, [566.0, 567.5, 569.0], false, true),
      gauge('Sa Thầy', 'Sa Thầy', 107.79, 14.42, [540.0, 541.5, 543.0], false, false),
    ],
    industry: [
      {
        label: 'KKT Dung Quất', lon: 108.75, lat: 15.35,
        spreadDeg: 0.025, count: 8,
        column: 'B', kq: 1.3, kf: [1.0, 0.9],
      },
      {
        label: 'KCN VSIP Quảng Ngãi', lon: 108.78, lat: 15.22,
        spreadDeg: 0.01, count: 4,
        column: 'A', kq: 1.0, kf: [1.1, 1.0],
      },
      {
        label: 'KCN Quảng Phú', lon: 108.79, lat: 15.135,
        spreadDeg: 0.006, count: 2,
        column: 'B', kq: 1.0, kf: [1.2, 1.1],
      },
      {
        label: 'KCN Hòa Bình', lon: 107.96, lat: 14.33,
        spreadDeg: 0.006, count: 1,
        column: 'B', kq: 0.9, kf: [1.2, 1.1],
      },
    ],
  },
  'ha-tinh': {
    prefix: 'hti',
    gauges: [
      gauge('Hòa Duyệt', 'Ngàn Sâu', 105.59, 18.36, [7.5, 9.0, 10.5], true, true),
      gauge('Linh Cảm', 'La', 105.6, 18.53, [4.5, 5.5, 6.5], true, false),
      gauge('Sơn Diệm', 'Ngàn Phố', 105.38, 18.51, [10.0, 11.5, 13.0], true, true),
      gauge('Chu Lễ', 'Ngàn Sâu', 105.71, 18.21, [11.0, 12.5, 14.0], false, true),
      gauge('Sơn Kim', 'Ngàn Phố', 105.22, 18.45, [26.0, 28.0, 30.0], false, true),
      gauge('Vũ Quang', 'Ngàn Trươi', 105.47, 18.36, [14.0, 15.5, 17.0], false, true),
      gauge('Nghi Xuân', 'Lam', 105.7, 18.65, [3.5, 4.5, 5.5], false, false),
      gauge('Cầu Nghèn', 'Nghèn', 105.77, 18.46, [2.0, 2.5, 3.0], false, false),
      gauge('Cẩm Xuyên', 'Rào Cái', 105.97, 18.25, [2.5, 3.0, 3.5], false, false),
      gauge('Phúc Trạch', 'Rào Trổ', 105.82, 18.1, [16.0, 17.5, 19.0], false, true),
      gauge('Cẩm Lạc', 'Rác', 106.08, 18.16, [3.0, 3.5, 4.0], false, false),
      gauge('Kỳ Anh', 'Trí', 106.3, 18.06, [2.5, 3.0, 3.5], false, false),
    ],
    industry: [
      {
        label: 'KKT Vũng Áng', lon: 106.42, lat: 18.07,
        spreadDeg: 0.02, count: 11,
        column: 'B', kq: 1.3, kf: [1.0, 0.9],
      },
      {
        lon: 105.9, lat: 18.34,
        spreadDeg: 0.012, count: 4,
        column: 'B', kq: 0.9, kf: [1.2, 1.1],
      },
    ],
  },
};
