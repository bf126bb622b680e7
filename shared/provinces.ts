/** Provinces the IOC ships data for. Data files live in shared/provinces/<slug>/. */
export const PROVINCES = {
  'quang-ngai': { slug: 'quang-ngai', code: '51', name: 'Quảng Ngãi', plateCodes: ['76', '82'] },
  'ha-tinh': { slug: 'ha-tinh', code: '42', name: 'Hà Tĩnh', plateCodes: ['38'] },
} as const;
export type ProvinceSlug = keyof typeof PROVINCES;
export const DEFAULT_PROVINCE: ProvinceSlug = 'quang-ngai';

export function isProvinceSlug(s: string): s is ProvinceSlug {
  return Object.hasOwn(PROVINCES, s);
}

export const DATA_ATTRIBUTION_VI =
  'Ranh giới hành chính: vietnamese-provinces-database (MIT), từ Bản đồ tham chiếu ĐVHC (NXB Tài nguyên Môi trường và Bản đồ Việt Nam) · Made with Natural Earth · Giao thông: LegoCity/CTU-SematX, CC BY-SA 4.0';
