/** Number and time formatting for the UI: Vietnamese conventions, times in Asia/Ho_Chi_Minh. */
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const intFmt = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
const rateFmt = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const pctFmt = new Intl.NumberFormat('vi-VN', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const timeFmt = new Intl.DateTimeFormat('vi-VN', {
  timeZone: TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
const hmFmt = new Intl.DateTimeFormat('vi-VN', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dateFmt = new Intl.DateTimeFormat('vi-VN', {
  timeZone: TIME_ZONE,
  weekday: 'long',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});
const shortDateFmt = new Intl.DateTimeFormat('vi-VN', { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit' });

/** 12345 → "12.345" */
export function formatInt(n: number): string {
  return intFmt.format(n);
}

/** Messages per second: one decimal below 100 so that a quiet feed still visibly moves. */
export function formatRate(n: number): string {
  return n < 100 ? rateFmt.format(n) : intFmt.format(n);
}

export function formatPercent(fraction: number): string {
  return pctFmt.format(fraction);
}

/** "14:05:09" in UTC+7. */
export function formatTime(epochMs: number): string {
  return timeFmt.format(epochMs);
}

export function formatHourMinute(epochMs: number): string {
  return hmFmt.format(epochMs);
}

/** "Thứ Hai, 24/11/2026" in UTC+7, capitalised for a heading. */
export function formatDate(epochMs: number): string {
  const s = dateFmt.format(epochMs);
  return s.charAt(0).toLocaleUpperCase('vi-VN') + s.slice(1);
}

/** "14:05" today, "14:05 23/11" on another day (UTC+7). */
export function formatSince(epochMs: number, nowMs: number): string {
  const sameDay = shortDateFmt.format(epochMs) === shortDateFmt.format(nowMs);
  return sameDay ? hmFmt.format(epochMs) : `${hmFmt.format(epochMs)} ${shortDateFmt.format(epochMs)}`;
}

const dayFmt = new Intl.DateTimeFormat('vi-VN', { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' });

/** "02:40 11/03/2026" in UTC+7: an instant of the past, whole. */
export function formatInstant(epochMs: number): string {
  return `${hmFmt.format(epochMs)} ${dayFmt.format(epochMs)}`;
}
