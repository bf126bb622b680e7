/**
 * Tomorrow's air quality (issue 17) in the views' words: the wall's rows (worst forecast first, only the newest
 * day forecast), and the phrases both the wall and the phone use ("Thứ Bảy 06/12", "±9 AQI · đúng mức 83 %").
 */
import type { AirTomorrow, AirTomorrowSkill } from '../../shared/airForecast';
import { AQI_BANDS, type AqiBandNumber } from '../../shared/vnAqi';
import type { LiveStore } from '../store/liveStore';
import { TIME_ZONE, formatInt } from './format';

const weekdayFmt = new Intl.DateTimeFormat('vi-VN', { timeZone: TIME_ZONE, weekday: 'long' });
const dayMonthFmt = new Intl.DateTimeFormat('vi-VN', { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit' });

/** "Thứ Bảy 06/12" (the forecast day, Asia/Ho_Chi_Minh). */
export function formatForecastDay(dayStart: number): string {
  const w = weekdayFmt.format(dayStart);
  // Built from parts: vi-VN writes a bare day and month as "06-12" in some ICU versions.
  const part = (type: 'day' | 'month') => dayMonthFmt.formatToParts(dayStart).find((p) => p.type === type)?.value ?? '';
  return `${w.charAt(0).toLocaleUpperCase('vi-VN') + w.slice(1)} ${part('day')}/${part('month')}`;
}

export const bandName = (b: AqiBandNumber): string => AQI_BANDS[b - 1]!.name;

/** The interval in bands: "Trung bình–Kém"; null when there is none or it is a single band. */
export function bandRangeText(a: Pick<AirTomorrow, 'bandLow' | 'bandHigh'>): string | null {
  if (a.bandLow === undefined || a.bandHigh === undefined || a.bandLow === a.bandHigh) return null;
  return `${bandName(a.bandLow)}–${bandName(a.bandHigh)}`;
}

/** "±9 AQI · đúng mức 83 %" over the verified forecasts of the last 7 days; "chưa đủ ngày để đánh giá" before any. */
export function skillText(s: AirTomorrowSkill): string {
  if (s.n === 0 || s.maeAqi === null || s.bandHit === null) return 'chưa đủ ngày để đánh giá';
  return `sai số ±${formatInt(Math.round(s.maeAqi))} AQI · đúng mức ${formatInt(Math.round(s.bandHit * 100))} %`;
}

export interface AirTomorrowView {
  /** The newest day forecast, and when its newest forecast was made; null before any forecast. */
  day: number | null;
  issuedAt: number | null;
  /** Stations per forecast band of that day. */
  bands: [number, number, number, number, number, number];
  /** Worst forecast first (that day's only). */
  rows: AirTomorrow[];
  /** Pooled over the rows. */
  skill: AirTomorrowSkill;
}

/** Pools per-station skills, weighted by how many verified forecasts each is over. */
export function pooledSkill(list: readonly AirTomorrow[]): AirTomorrowSkill {
  let n = 0;
  let err = 0;
  let hit = 0;
  for (const a of list) {
    if (a.skill.maeAqi === null || a.skill.bandHit === null) continue;
    n += a.skill.n;
    err += a.skill.maeAqi * a.skill.n;
    hit += a.skill.bandHit * a.skill.n;
  }
  return n === 0 ? { n: 0, maeAqi: null, bandHit: null } : { n, maeAqi: err / n, bandHit: hit / n };
}

export function airTomorrowView(list: Iterable<AirTomorrow>): AirTomorrowView {
  const all = [...list];
  const bands: AirTomorrowView['bands'] = [0, 0, 0, 0, 0, 0];
  if (all.length === 0) return { day: null, issuedAt: null, bands, rows: [], skill: pooledSkill([]) };
  const day = Math.max(...all.map((a) => a.day));
  // A station that went quiet keeps a forecast for a day that is now today or past: not tomorrow's.
  const rows = all.filter((a) => a.day === day).sort((a, b) => b.aqi - a.aqi || a.i - b.i);
  for (const a of rows) bands[a.band - 1]!++;
  return { day, issuedAt: Math.max(...rows.map((a) => a.issuedAt)), bands, rows, skill: pooledSkill(rows) };
}

const cache = new WeakMap<LiveStore, { v: number; view: AirTomorrowView }>();
/** The wall's view of tomorrow, recomputed only when a forecast arrived. */
export function selectAirTomorrow(s: LiveStore): AirTomorrowView {
  const c = cache.get(s);
  if (c && c.v === s.env.airTomorrowVersion) return c.view;
  const view = airTomorrowView(s.env.airTomorrow.values());
  cache.set(s, { v: s.env.airTomorrowVersion, view });
  return view;
}
