/** Vietnamese formatting of environmental and traffic quantities (units as Vietnamese bulletins write them). */
import type { FineRange } from '../../shared/traffic';

const dec1 = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const dec2 = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const upTo1 = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });
const upTo2 = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });
const int = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });

const PARAM_LABELS: Record<string, string> = {
  temperature: 'Nhiệt độ',
  pH: 'pH',
  cod: 'COD',
  bod5: 'BOD₅',
  tss: 'TSS',
  nh4: 'NH₄⁺',
  color: 'Độ màu',
  flow: 'Lưu lượng',
  pm25: 'PM2,5',
  pm10: 'PM10',
  o3: 'O₃',
  co: 'CO',
  so2: 'SO₂',
  no2: 'NO₂',
  waterLevel: 'Mực nước',
  precipitation: 'Lượng mưa',
  relativeHumidity: 'Độ ẩm',
};

const PARAM_UNITS: Record<string, string> = {
  temperature: '°C',
  pH: '',
  cod: 'mg/L',
  bod5: 'mg/L',
  tss: 'mg/L',
  nh4: 'mg/L',
  color: 'Pt/Co',
  flow: 'm³/h',
  pm25: 'µg/m³',
  pm10: 'µg/m³',
  o3: 'µg/m³',
  co: 'µg/m³',
  so2: 'µg/m³',
  no2: 'µg/m³',
  waterLevel: 'm',
  precipitation: 'mm',
  relativeHumidity: '%',
};

export function paramLabel(name: string): string {
  return PARAM_LABELS[name] ?? name;
}

export function paramUnit(name: string): string {
  return PARAM_UNITS[name] ?? '';
}

/** A measured value with up to 2 decimals under 10, 1 under 100, none above: "7,09", "75,1", "175". */
export function formatValue(v: number): string {
  const a = Math.abs(v);
  return a < 10 ? upTo2.format(v) : a < 100 ? upTo1.format(v) : int.format(v);
}

/** River level: "3,62 m". */
export function formatLevel(m: number): string {
  return `${dec2.format(m)} m`;
}

/** Rain: "72 mm", "4,5 mm" under 10. */
export function formatMm(mm: number): string {
  return `${mm < 10 ? dec1.format(mm) : int.format(mm)} mm`;
}

/** Rate of rise: "+12 cm/h", "−3 cm/h", "0 cm/h". */
export function formatRise(cmH: number): string {
  const r = Math.round(cmH);
  return `${r > 0 ? '+' : r < 0 ? '−' : ''}${int.format(Math.abs(r))} cm/h`;
}

/** A duration in Vietnamese: "45 phút", "3 giờ 20 phút", "2 ngày 4 giờ". */
export function formatDuration(ms: number): string {
  const min = Math.max(0, Math.floor(ms / 60_000));
  if (min < 60) return `${min} phút`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 === 0 ? `${h} giờ` : `${h} giờ ${min % 60} phút`;
  return `${Math.floor(h / 24)} ngày ${h % 24} giờ`;
}

/** Millions with a decimal comma, no trailing zero: 4000000 → "4", 600000 → "0,6". */
function millions(vnd: number): string {
  return upTo2.format(vnd / 1_000_000);
}

/** A fine range the way Vietnamese press writes it: "4–6 triệu đ", "0,4–0,6 triệu đ", "18–20 triệu đ". */
export function formatFine(range: FineRange | null): string {
  if (!range) return 'Không áp dụng';
  const [lo, hi] = range;
  return lo === hi ? `${millions(lo)} triệu đ` : `${millions(lo)}–${millions(hi)} triệu đ`;
}

/** Vehicles per hour: "12.480 xe/giờ". */
export function formatPerHour(n: number): string {
  return `${int.format(n)} xe/giờ`;
}

export function formatKm(km: number): string {
  return `${upTo1.format(km)} km`;
}

/** Segment names come as 'QL1A Km 100.9–103.2': Vietnamese writes the decimal with a comma. */
export function viDecimals(text: string): string {
  return text.replace(/(\d)\.(\d)/g, '$1,$2');
}
