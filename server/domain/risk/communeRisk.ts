/**
 * Every commune's disaster risk level (QĐ 18/2021/QĐ-TTg): Điều 46's flash-flood and landslide level from the
 * commune's 24 h rain, the days of rain before, the province's zone and the commune's susceptibility class, and
 * Điều 45's flood level from the river gauges that warn for it (./floodGauges.ts; shared/disasterRisk.ts has
 * both rules). The commune's level is the highest of its hazards'.
 *
 * Điều 45 reads the forecast flood level; here it reads the level each gauge last reported (a flood already
 * at a gauge is at least what a forecast for it would say), and the gauges' forecasts stay beside it on the
 * wall as forecasts.
 *
 * Rain for a commune comes from its own gauges (the wettest), or else from the nearest gauge within
 * `nearbyKm` of its centre; a commune with neither has no level (rainFrom: null). The days of rain before
 * come from each gauge's hourly totals, kept for `HOURLY_BINS` hours (a bound, not a cache: older rain
 * cannot change a level), so they count only what this server has seen since it started.
 */
import type { CommuneRisk, RiskSnapshot, SusceptibilityFile } from '../../../shared/communeRisk';
import type { StationDerived } from '../../../shared/environment';
import { flashFloodRiskLevel, floodRiskByStation, type FloodRiskResult } from '../../../shared/disasterRisk';
import { riskZoneOfCommune, type RiskZone } from '../../../shared/disasterRiskTable';
import type { ProvinceRiskZones } from '../../../shared/provinces';
import { distanceM } from '../../../shared/geometry';
import type { FloodGauge } from './floodGauges';

const HOUR_MS = 3_600_000;
/** Hours of rain kept per gauge: the 24 h window and seven days before it. */
export const HOURLY_BINS = 8 * 24;
/** Days before the last 24 h that are looked at (a run longer than this counts as this many). */
export const MAX_ANTECEDENT_DAYS = 7;

export interface RiskConfig {
  /**
   * ⚠ Our choice: the decision does not define "a day of rain". We take a 24 h window with at least this
   * much (WMO's rain day is ≥ 1 mm).
   */
  rainDayMinMm: number;
  /** A commune without a gauge takes the nearest one within this distance of its centre. */
  nearbyKm: number;
}

export const DEFAULT_RISK_CONFIG: RiskConfig = { rainDayMinMm: 1, nearbyKm: 15 };

export interface RiskCommune {
  code: string;
  /** Its centre (commune-labels.geojson). */
  lon: number;
  lat: number;
}

export interface RiskGauge {
  /** Registry index. */
  i: number;
  commune: string;
  lon: number;
  lat: number;
}

/** One gauge's rain per clock hour, the newest `HOURLY_BINS` hours: fixed memory whatever arrives. */
export class HourlyRain {
  private readonly bins = new Float64Array(HOURLY_BINS);
  /** Hour index (epoch hours) of the newest bin; -Infinity before the first sample. */
  private newest = -Infinity;

  /** Adds mm that fell in the report ending at ts; false when it is older than the bins reach. */
  add(ts: number, mm: number): boolean {
    if (!Number.isFinite(ts) || !Number.isFinite(mm) || mm < 0) return false;
    const h = Math.floor((ts - 1) / HOUR_MS);
    if (h > this.newest) {
      const from = this.newest === -Infinity ? h - HOURLY_BINS + 1 : Math.max(this.newest + 1, h - HOURLY_BINS + 1);
      for (let k = from; k <= h; k++) this.bins[mod(k, HOURLY_BINS)] = 0;
      this.newest = h;
    }
    if (h <= this.newest - HOURLY_BINS) return false;
    this.bins[mod(h, HOURLY_BINS)]! += mm;
    return true;
  }

  /** Rain in the hours (to − hours, to], by clock hour; hours outside the bins count 0. */
  sum(toHour: number, hours: number): number {
    let s = 0;
    for (let h = toHour - hours + 1; h <= toHour; h++) {
      if (h > this.newest || h <= this.newest - HOURLY_BINS) continue;
      s += this.bins[mod(h, HOURLY_BINS)]!;
    }
    return s;
  }

  /**
   * Consecutive days of rain before the 24 h ending at `now`: the 24 h windows before it, going back, each
   * with ≥ minMm, up to MAX_ANTECEDENT_DAYS.
   */
  antecedentDays(now: number, minMm: number): number {
    const H = Math.floor((now - 1) / HOUR_MS);
    let days = 0;
    for (let k = 1; k <= MAX_ANTECEDENT_DAYS; k++) {
      if (this.sum(H - 24 * k, 24) < minMm) break;
      days++;
    }
    return days;
  }
}

const NO_RISK = {
  level: 0,
  flashFlood: 0,
  flood: 0,
  floodClause: null,
  floodStation: null,
  rain24h: null,
  antecedentRainDays: null,
  rainFrom: null,
} as const;

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

const distanceKm = (a: { lon: number; lat: number }, b: { lon: number; lat: number }): number =>
  distanceM([a.lon, a.lat], [b.lon, b.lat]) / 1000;

/** The station of `list` nearest to p (great-circle), with its distance; undefined when the list is empty. */
export function nearestTo<T extends { lon: number; lat: number }>(p: { lon: number; lat: number }, list: readonly T[]): { item: T; km: number } | undefined {
  let best: { item: T; km: number } | undefined;
  for (const item of list) {
    const km = distanceKm(p, item);
    if (!best || km < best.km) best = { item, km };
  }
  return best;
}

interface CommuneState {
  code: string;
  zone: RiskZone;
  susceptibility: SusceptibilityFile['classes'][string];
  /** Gauges read for it (its own, or the nearest one), and whether they are its own. */
  gauges: readonly number[];
  own: boolean;
  /** Positions in `floodGauges` of the river gauges that warn for it. */
  rivers: readonly number[];
  risk: CommuneRisk;
}

/** What `update` reads from the stations' state. */
export interface RiskReads {
  /** A rain gauge's exact 24 h rain (mm), null before any report. */
  rain24h(i: number): number | null;
  /** A river gauge's latest level (m), null before any report. */
  riverLevel?(i: number): number | null;
}

/** The reads from the environment service's derived state: the live pipeline's and the time machine's. */
export function riskReadsOf(env: { derived(i: number): StationDerived | undefined }): RiskReads {
  return {
    rain24h: (i) => {
      const x = env.derived(i);
      return x?.kind === 'rain' ? x.h24 : null;
    },
    riverLevel: (i) => {
      const x = env.derived(i);
      return x?.kind === 'hydro' ? x.level : null;
    },
  };
}

/** Where the flood levels' inputs come from (province.json `floodRisk`). */
export interface FloodRiskMeta {
  verified: boolean;
  source: string;
}

export class CommuneRiskService {
  private readonly rain = new Map<number, HourlyRain>();
  private readonly communes: CommuneState[] = [];
  private readonly byCode = new Map<string, CommuneState>();

  constructor(
    communes: readonly RiskCommune[],
    gauges: readonly RiskGauge[],
    zones: ProvinceRiskZones,
    private readonly susceptibility: SusceptibilityFile,
    private readonly config: RiskConfig = DEFAULT_RISK_CONFIG,
    private readonly floodGauges: readonly FloodGauge[] = [],
    private readonly floodMeta: FloodRiskMeta | null = null,
  ) {
    for (const g of gauges) this.rain.set(g.i, new HourlyRain());
    for (const c of communes) {
      const zone = riskZoneOfCommune(zones, c.code);
      const cls = susceptibility.classes[c.code];
      if (zone === undefined || cls === undefined) {
        throw new Error(`commune ${c.code}: ${zone === undefined ? 'no risk zone in province.json' : 'no class in susceptibility.json'}`);
      }
      const own = gauges.filter((g) => g.commune === c.code).map((g) => g.i);
      let near: number[] = [];
      if (own.length === 0) {
        const best = nearestTo(c, gauges);
        if (best && best.km <= config.nearbyKm) near = [best.item.i];
      }
      const st: CommuneState = {
        code: c.code,
        zone,
        susceptibility: cls,
        gauges: own.length > 0 ? own : near,
        own: own.length > 0,
        rivers: floodGauges.flatMap((g, k) => (g.communes.includes(c.code) ? [k] : [])),
        risk: { ...NO_RISK, code: c.code, susceptibility: cls, zone },
      };
      this.communes.push(st);
      this.byCode.set(c.code, st);
    }
  }

  /** A rain gauge's report (mm since its previous one). Other devices are ignored. */
  onRain(i: number, ts: number, mm: number): void {
    this.rain.get(i)?.add(ts, mm);
  }

  /**
   * Recomputes every commune with each rain gauge's exact 24 h rain (the station's own accumulation: the
   * figure the wall shows) and each river gauge's level; returns those whose level or inputs changed.
   */
  update(now: number, reads: RiskReads): CommuneRisk[] {
    const floods = floodRiskByStation(
      this.floodGauges.map((g) => {
        const levelM = reads.riverLevel?.(g.i) ?? null;
        return levelM === null ? null : { ...g, levelM };
      }),
    );
    const changed: CommuneRisk[] = [];
    for (const st of this.communes) {
      let flood: FloodRiskResult = { level: 0, clause: null };
      let floodStation: string | null = null;
      for (const k of st.rivers) {
        const g = this.floodGauges[k]!;
        const f = floods.get(g.i);
        if (f && f.level > flood.level) {
          flood = f;
          floodStation = g.station;
        }
      }
      let rain24h: number | null = null;
      let days: number | null = null;
      for (const i of st.gauges) {
        const h24 = reads.rain24h(i);
        if (h24 === null) continue;
        if (rain24h === null || h24 > rain24h) {
          rain24h = h24;
          days = this.rain.get(i)!.antecedentDays(now, this.config.rainDayMinMm);
        }
      }
      const flashFlood =
        rain24h === null ? 0 : flashFloodRiskLevel({ zone: st.zone, susceptibility: st.susceptibility, rain24hMm: rain24h, antecedentRainDays: days ?? 0 });
      const next: CommuneRisk = {
        code: st.code,
        level: Math.max(flashFlood, flood.level) as CommuneRisk['level'],
        flashFlood,
        flood: flood.level,
        floodClause: flood.clause,
        floodStation,
        rain24h: rain24h === null ? null : Math.round(rain24h * 10) / 10,
        antecedentRainDays: days,
        rainFrom: rain24h === null ? null : st.own ? 'commune' : 'nearby',
        susceptibility: st.susceptibility,
        zone: st.zone,
      };
      const prev = st.risk;
      if (
        prev.level !== next.level ||
        prev.flashFlood !== next.flashFlood ||
        prev.flood !== next.flood ||
        prev.floodClause !== next.floodClause ||
        prev.floodStation !== next.floodStation ||
        prev.rain24h !== next.rain24h ||
        prev.antecedentRainDays !== next.antecedentRainDays ||
        prev.rainFrom !== next.rainFrom
      ) {
        st.risk = next;
        changed.push(next);
      }
    }
    return changed;
  }

  of(code: string): CommuneRisk | undefined {
    return this.byCode.get(code)?.risk;
  }

  all(): CommuneRisk[] {
    return this.communes.map((c) => c.risk);
  }

  snapshot(): RiskSnapshot {
    return {
      communes: this.all(),
      provisional: this.susceptibility.provisional,
      susceptibilitySource: this.susceptibility.source,
      flood:
        this.floodMeta && this.floodGauges.length > 0
          ? { ...this.floodMeta, gauges: this.floodGauges.map(({ i, zone, basin, historic }) => ({ i, zone, basin, historic })) }
          : null,
    };
  }
}
