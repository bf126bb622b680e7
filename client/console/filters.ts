/**
 * The console's filters. Open alarms are filtered here, on the live list; anything else (resolved, closed,
 * all) is history and is filtered and paged by the server (GET /api/alarms).
 */
import type { Alarm, AlarmState, Severity, SignalDomain } from '../../shared/alarms';
import type { AlarmQuery } from '../net/alarmActions';

export type StateFilter = 'open' | AlarmState | 'all';
export const TIME_RANGES = { '': 'Mọi thời điểm', '1h': '1 giờ qua', '6h': '6 giờ qua', '24h': '24 giờ qua', '7d': '7 ngày qua', '30d': '30 ngày qua' } as const;
export type TimeRange = keyof typeof TIME_RANGES;
const RANGE_MS: Record<Exclude<TimeRange, ''>, number> = { '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };

export interface ConsoleFilters {
  state: StateFilter;
  severity: Severity | '';
  domain: SignalDomain | '';
  commune: string;
  range: TimeRange;
  /** Free text over title, place and source (live list only; the server has no text search). */
  text: string;
}

export const DEFAULT_FILTERS: ConsoleFilters = { state: 'open', severity: '', domain: '', commune: '', range: '', text: '' };

export const STATE_FILTER_LABELS: Record<StateFilter, string> = {
  open: 'Đang mở (trực tiếp)',
  active: '· Đang xảy ra',
  cleared: '· Đã hết, chưa xác nhận',
  acknowledged: '· Đã xác nhận',
  assigned: '· Đã giao xử lý',
  resolved: 'Đã xử lý (lịch sử)',
  closed: 'Đã đóng (lịch sử)',
  all: 'Tất cả (lịch sử)',
};

/** Open states are on the live list; the rest come from the server. */
export function isLive(f: ConsoleFilters): boolean {
  return f.state !== 'resolved' && f.state !== 'closed' && f.state !== 'all';
}

export function fromTime(range: TimeRange, now: number): number | undefined {
  return range === '' ? undefined : now - RANGE_MS[range];
}

export function matchesLive(a: Alarm, f: ConsoleFilters, now: number, placeText: (a: Alarm) => string): boolean {
  if (f.state !== 'open' && f.state !== 'all' && a.state !== f.state) return false;
  if (f.severity && a.severity !== f.severity) return false;
  if (f.domain && a.domain !== f.domain) return false;
  if (f.commune && a.commune !== f.commune) return false;
  const from = fromTime(f.range, now);
  if (from !== undefined && a.raisedAt < from) return false;
  return matchesText(a, f.text, placeText);
}

/** Free text: the live list, or the page of history on screen (the server has no text search). */
export function matchesText(a: Alarm, text: string, placeText: (a: Alarm) => string): boolean {
  const q = text.trim().toLocaleLowerCase('vi-VN');
  if (!q) return true;
  return `#${a.id} ${a.title} ${a.source} ${placeText(a)}`.toLocaleLowerCase('vi-VN').includes(q);
}

export const HISTORY_PAGE = 50;

export function historyQuery(f: ConsoleFilters, page: number, now: number): AlarmQuery {
  const q: AlarmQuery = { limit: HISTORY_PAGE, offset: page * HISTORY_PAGE };
  if (f.state !== 'all') q.state = f.state;
  if (f.severity) q.severity = f.severity;
  if (f.domain) q.domain = f.domain;
  if (f.commune) q.commune = f.commune;
  const from = fromTime(f.range, now);
  if (from !== undefined) q.from = from;
  return q;
}

export function activeFilterCount(f: ConsoleFilters): number {
  return (['severity', 'domain', 'commune', 'range', 'text'] as const).filter((k) => f[k] !== '').length + (f.state === 'open' ? 0 : 1);
}
