/**
 * Forest fire danger per commune with forest (QĐ 127/2000/QĐ-BNN-KL; the rule is shared/fireDanger.ts): once a
 * day, after 13:00 in Vietnam, each commune's Nesterov index P takes the day's step from the nearest air
 * station's 13:00 temperature and humidity and the rain of its own (or the nearest) rain gauge in the 24 h to
 * 13:00. A day whose 13:00 observation is missing leaves P as it was (the step is skipped, not guessed).
 *
 * Which communes have forest: no forest map ships with the repo, so every xã and đặc khu counts (phường do
 * not); a province that has its forest-cover list replaces that rule in province data (not built yet).
 * P lives in memory; at start the warm start replays the past weeks from the hourly rollups (replayDay,
 * server/store/readings/warmFire.ts), so a restart keeps the dry spell the store holds.
 */
import { fireDangerLevel, nesterovNext, type CommuneFire, type FireDangerRule, type FireSnapshot } from '../../../shared/fireDanger';
import { HourlyRain, nearestTo } from '../risk/communeRisk';

const HOUR_MS = 3_600_000;
const VN_OFFSET_MS = 7 * HOUR_MS;
/** The observation used is the one nearest 13:00, within this many minutes. */
export const NOON_WINDOW_MIN = 30;
/** The day's step is taken this long after 13:00, when the 13:00 readings are in. */
export const STEP_AFTER_MIN = 30;
/** 13:00 observations kept per station (days): today's and yesterday's are all a step reads. */
const OBS_DAYS_KEPT = 3;

export interface FireCommune {
  code: string;
  lon: number;
  lat: number;
}

export interface FireStation {
  i: number;
  lon: number;
  lat: number;
}

export interface FireGauge extends FireStation {
  commune: string;
}

interface NoonObs {
  t: number;
  rh: number;
  /** Minutes from 13:00. */
  off: number;
}

/** The Vietnamese calendar day of ts, as days since the epoch. */
export function vnDay(ts: number): number {
  return Math.floor((ts + VN_OFFSET_MS) / (24 * HOUR_MS));
}

/** 13:00 in Vietnam on VN day `day` (epoch ms). */
export function vnOnePm(day: number): number {
  return day * 24 * HOUR_MS - VN_OFFSET_MS + 13 * HOUR_MS;
}

export function isoDay(day: number): string {
  return new Date(day * 24 * HOUR_MS).toISOString().slice(0, 10);
}

interface CommuneState {
  code: string;
  station: number | undefined;
  gauge: number | undefined;
  p: number;
  fire: CommuneFire;
  /** The last VN day this commune stepped. */
  lastDay: number | null;
}

export class FireDangerService {
  private readonly noon = new Map<number, Map<number, NoonObs>>();
  private readonly rain = new Map<number, HourlyRain>();
  private readonly communes: CommuneState[] = [];

  constructor(
    communes: readonly FireCommune[],
    stations: readonly FireStation[],
    gauges: readonly FireGauge[],
    private readonly rule: FireDangerRule,
    private readonly about: { source: string; verified: boolean },
  ) {
    for (const s of stations) this.noon.set(s.i, new Map());
    for (const g of gauges) this.rain.set(g.i, new HourlyRain());
    for (const c of communes) {
      const own = gauges.find((g) => g.commune === c.code);
      this.communes.push({
        code: c.code,
        station: nearestTo(c, stations)?.item.i,
        gauge: (own ?? nearestTo(c, gauges)?.item)?.i,
        p: 0,
        fire: { code: c.code, level: 1, p: 0, dryDays: 0, day: null },
        lastDay: null,
      });
    }
  }

  /** An air station's reading: kept when it is the nearest to 13:00 of its day so far. */
  onAir(i: number, ts: number, values: Record<string, number>): void {
    const days = this.noon.get(i);
    const t = values.temperature;
    const rh = values.relativeHumidity;
    if (!days || t === undefined || rh === undefined || !Number.isFinite(t) || !Number.isFinite(rh)) return;
    const day = vnDay(ts);
    const off = Math.abs(ts - vnOnePm(day)) / 60_000;
    if (off > NOON_WINDOW_MIN) return;
    const prev = days.get(day);
    if (prev && prev.off <= off) return;
    days.set(day, { t, rh, off });
    if (days.size > OBS_DAYS_KEPT) days.delete(Math.min(...days.keys()));
  }

  onRain(i: number, ts: number, mm: number): void {
    this.rain.get(i)?.add(ts, mm);
  }

  /**
   * Takes each commune's step for the day once 13:30 has passed, and for the day before if it is still
   * missing; returns the communes that stepped. A commune whose station has no 13:00 reading for that day yet
   * (the readings are late, or still arriving as history after a start) is tried again on the next call, until
   * the next day's step makes the missing day moot.
   */
  step(now: number): CommuneFire[] {
    const today = vnDay(now);
    const due = now >= vnOnePm(today) + STEP_AFTER_MIN * 60_000 ? today : today - 1;
    const changed: CommuneFire[] = [];
    for (const c of this.communes) {
      if (c.lastDay !== null && c.lastDay >= due) continue;
      const from = c.lastDay === null ? due : Math.max(c.lastDay + 1, due - 1);
      let stepped = false;
      for (let day = from; day <= due; day++) {
        const obs = c.station === undefined ? undefined : this.noon.get(c.station)!.get(day);
        if (!obs) continue;
        const rainMm = c.gauge === undefined ? 0 : this.rain.get(c.gauge)!.sum(Math.floor((vnOnePm(day) - 1) / HOUR_MS), 24);
        c.p = nesterovNext(c.p, { t13: obs.t, rh13: obs.rh, rainMm }, this.rule);
        c.fire = { code: c.code, level: fireDangerLevel(c.p, this.rule), p: Math.round(c.p), dryDays: c.p === 0 ? 0 : c.fire.dryDays + 1, day: isoDay(day) };
        c.lastDay = day;
        stepped = true;
      }
      if (stepped) changed.push(c.fire);
    }
    return changed;
  }

  /**
   * A past day's step from stored figures (the warm start's hourly rollups): each station's 13:00 temperature
   * and humidity, each gauge's rain in the 24 h to 13:00. Communes already stepped that day or later are left
   * alone; a commune whose station has no figure that day is not stepped (as live).
   */
  replayDay(day: number, noon: ReadonlyMap<number, { t: number; rh: number }>, rain24h: ReadonlyMap<number, number>): void {
    for (const c of this.communes) {
      if (c.lastDay !== null && c.lastDay >= day) continue;
      const obs = c.station === undefined ? undefined : noon.get(c.station);
      if (!obs) continue;
      const rainMm = c.gauge === undefined ? 0 : (rain24h.get(c.gauge) ?? 0);
      c.p = nesterovNext(c.p, { t13: obs.t, rh13: obs.rh, rainMm }, this.rule);
      c.fire = { code: c.code, level: fireDangerLevel(c.p, this.rule), p: Math.round(c.p), dryDays: c.p === 0 ? 0 : c.fire.dryDays + 1, day: isoDay(day) };
      c.lastDay = day;
    }
  }

  of(code: string): CommuneFire | undefined {
    return this.communes.find((c) => c.code === code)?.fire;
  }

  all(): CommuneFire[] {
    return this.communes.map((c) => c.fire);
  }

  snapshot(): FireSnapshot {
    return { communes: this.all(), rule: this.rule, source: this.about.source, verified: this.about.verified };
  }
}
