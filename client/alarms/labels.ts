/** Vietnamese words for alarms beyond the contract's SEVERITY_LABELS and STATE_LABELS. */
import type { Alarm, ChangeKind, Severity, SignalDomain } from '../../shared/alarms';
import { formatInt } from '../ui/format';

/**
 * A shape per severity, so that severity never rests on colour alone (issue 5 item 6): a red triangle,
 * an orange diamond, a yellow circle are told apart by a colour-blind operator and on a washed-out wall.
 */
export const SEVERITY_ICONS: Record<Severity, string> = { critical: '▲', major: '◆', warning: '●' };

export const CHANGE_LABELS: Record<ChangeKind, string> = {
  raised: 'Phát sinh',
  updated: 'Cập nhật',
  escalated: 'Leo thang',
  acknowledged: 'Xác nhận',
  assigned: 'Giao xử lý',
  resolved: 'Xử lý xong',
  cleared: 'Hết điều kiện',
  grouped: 'Gộp thêm nguồn',
  closed: 'Đóng',
};

export const DOMAIN_LABELS: Record<SignalDomain, string> = {
  air: 'Không khí',
  water: 'Nước thải',
  hydro: 'Thủy văn',
  rain: 'Mưa',
  traffic: 'Giao thông',
  device: 'Thiết bị',
};

export const escalationText = (level: number): string => `Đã leo thang cấp ${level}`;

const lowerFirst = (s: string): string => s.charAt(0).toLocaleLowerCase('vi-VN') + s.slice(1);

/**
 * One line for an alarm: a storm group reads as "1.000 thiết bị mất kết nối" rather than its rule title,
 * so one row stands for all of its members.
 */
export function alarmHeadline(a: Pick<Alarm, 'kind' | 'title' | 'members'>): string {
  if ((a.kind !== 'group' && a.kind !== 'overflow') || !a.members) return a.title;
  const n = a.members.active > 0 ? a.members.active : a.members.total;
  return `${formatInt(n)} ${lowerFirst(a.title)}`;
}

/** "4 phút", "2 giờ 05 phút", "3 ngày 2 giờ". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} giây`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 && m < 10 ? `${m} phút ${s % 60} giây` : `${m} phút`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} giờ ${String(m % 60).padStart(2, '0')} phút`;
  return `${Math.floor(h / 24)} ngày ${h % 24} giờ`;
}

/** "vừa xong", "12 phút trước". */
export function formatAgo(ms: number): string {
  return ms < 45_000 ? 'vừa xong' : `${formatDuration(ms)} trước`;
}

/** Error codes of the alarm actions, in Vietnamese; the server's English detail is shown beside it. */
export const ACTION_ERROR_LABELS: Record<string, string> = {
  ALARM_CLOSED: 'Cảnh báo đã được xử lý hoặc đã đóng',
  ALARM_INVALID_TRANSITION: 'Không thực hiện được ở trạng thái hiện tại của cảnh báo',
  ALARM_NOTE_REQUIRED: 'Cần nhập ghi chú khi xử lý xong',
  ALARM_STORE_FAILED: 'Máy chủ không lưu được thao tác (lỗi cơ sở dữ liệu)',
  UNAVAILABLE: 'Máy chủ tạm chưa sẵn sàng (đang chuyển máy chủ hoặc mất kết nối cơ sở dữ liệu), thử lại sau vài giây',
  NOT_FOUND: 'Không tìm thấy cảnh báo',
  BAD_REQUEST: 'Yêu cầu không hợp lệ',
  TIMEOUT: 'Máy chủ không phản hồi, thao tác có thể chưa được ghi',
  OFFLINE: 'Mất kết nối máy chủ, thao tác chưa được gửi',
};

export const ACTION_LABELS = {
  acknowledge: 'xác nhận',
  assign: 'giao xử lý',
  resolve: 'xử lý xong',
} as const;

const ROMAN = ['0', 'I', 'II', 'III'];

/** The latest value in the words of its signal: "BĐ III", "AQI 182", "132 % quy chuẩn", "104 mm/24 giờ". */
const FIRE_ROMAN = ['', 'I', 'II', 'III', 'IV', 'V'];

export function formatAlarmValue(a: Pick<Alarm, 'signal' | 'value'>): string {
  const v = a.value;
  if (v === null) return '—';
  const n = (x: number, digits = 1) => x.toLocaleString('vi-VN', { maximumFractionDigits: digits });
  if (a.signal === 'river.stage') return v >= 1 ? `BĐ ${ROMAN[Math.min(3, Math.round(v))]}` : 'dưới BĐ I';
  if (a.signal === 'river.level' || a.signal === 'river.rate') return `lên ${n(v * 100, 0)} cm/giờ`;
  if (a.signal === 'aqi') return `AQI ${n(v, 0)}`;
  if (a.signal === 'rain.h24') return `${n(v)} mm trong 24 giờ`;
  if (a.signal.startsWith('wastewater.')) return `${n(v * 100, 0)} % giới hạn cho phép`;
  if (a.signal.endsWith('.offline')) return v >= 1 ? 'mất kết nối' : 'đã kết nối lại';
  if (a.signal === 'congestion.incident') return v >= 1 ? 'đang ùn tắc' : 'đã thông';
  if (a.signal === 'risk.level' || a.signal === 'risk.flood') return v >= 1 ? `cấp độ rủi ro ${n(v, 0)}` : 'chưa đến cấp 1';
  if (a.signal === 'reservoir.release') return v >= 2 ? 'đang xả lũ' : v >= 1 ? 'đã thông báo xả lũ' : 'đã đóng cửa xả';
  if (a.signal === 'reservoir.stage') return v >= 2 ? 'đạt mực nước dâng bình thường' : v >= 1 ? 'vượt mực nước trước lũ' : 'trong giới hạn quy trình';
  if (a.signal === 'fire.level') return `cấp cháy rừng ${FIRE_ROMAN[Math.min(5, Math.max(1, Math.round(v)))]}`;
  return n(v, 2);
}

/**
 * A forecast alarm's line with its expected time (issue 17): "Dự báo vượt BĐ II lúc 14:20 (còn 3 giờ)", or
 * "(đã đến giờ dự báo)" once that time has come and the alarm is still open.
 */
export function forecastHeadline(eta: { stage: 1 | 2 | 3; at: number }, now: number, hourMinute: (t: number) => string): string {
  const left = eta.at - now;
  return `Dự báo vượt BĐ ${ROMAN[eta.stage]} lúc ${hourMinute(eta.at)} (${left > 0 ? `còn ${formatLeft(left)}` : 'đã đến giờ dự báo'})`;
}

/** "3 giờ", "2 giờ 40 phút", "25 phút": what is left before a forecast time. */
export function formatLeft(ms: number): string {
  const min = Math.max(0, Math.round(ms / 60_000));
  if (min < 60) return `${min} phút`;
  const h = Math.floor(min / 60);
  return min % 60 === 0 ? `${h} giờ` : `${h} giờ ${min % 60} phút`;
}
