/**
 * The environment domain (issue 3): per station, the official indices and states (VN_AQI,
 * QCVN 40 compliance, river alarm stage, rain accumulations) and per commune the worst of
 * them. Readings mark a station stale; `flush(now)` recomputes each stale station once per
 * tick, so a burst of readings costs one computation. Pure: `now` is passed in.
 */
import type { Device } from '../../../shared/devices';
import type {
  CommuneEnv,
  ComplianceStatus,
  HydroDerived,
  RainDerived,
  ReservoirDerived,
  StationDerived,
  WaterDerived,
  WaterParamState,
} from '../../../shared/environment';
import { aqiBand } from '../../../shared/vnAqi';
import { HourlyMeans } from '../air/hourlyMeans';
import { airIndices } from '../air/airIndices';
import { alarmStage, riseRateCmPerHour, timeToNextLevelMs, type AlarmLevels } from '../hydro/riverLevel';
import { RainRing, rainCategory24h } from '../rain/rainfall';
import {
  EXCEEDANCE_INITIAL,
  WASTEWATER_REGULATIONS,
  assess,
  exceedanceSince,
  permittedMax,
  type DischargeColumn,
  type ExceedanceState,
  type RegulationId,
  type WaterLimit,
  type WaterParam,
} from '../water/compliance';
import { StationHistory } from './stationHistory';
import { MAX_FUTURE_SKEW_MS, type ReservoirEvent } from '../../../shared/mqtt';
import {
  inFloodSeason,
  levelLimitAt,
  releaseState,
  reservoirRulesOf,
  reservoirStage,
  splitNotice,
  type ReleaseNotice,
  type ReservoirRules,
} from '../../../shared/reservoir';

const HOUR_MS = 3_600_000;
const STATUS_RANK: Record<ComplianceStatus, number> = { within: 0, near: 1, exceeding: 2 };

interface WaterConfig {
  regulation: RegulationId;
  column: DischargeColumn;
  limits: Partial<Record<WaterParam, WaterLimit>>;
  maxGapMs: number;
}

type Station =
  | { type: 'air'; means: HourlyMeans }
  | { type: 'water'; cfg: WaterConfig; exceed: Partial<Record<WaterParam, ExceedanceState>>; latest: Partial<Record<WaterParam, number>>; latestTs: number }
  | { type: 'hydro'; levels: AlarmLevels }
  | { type: 'rain'; ring: RainRing }
  | { type: 'reservoir'; rules: ReservoirRules; notice: ReleaseNotice | null };

export class EnvironmentService {
  private readonly stations = new Map<number, Station>();
  private readonly history = new Map<number, StationHistory>();
  private readonly derivedOf = new Map<number, StationDerived>();
  private readonly stale = new Set<number>();
  private readonly communeStations = new Map<string, number[]>();
  private readonly communeState = new Map<string, CommuneEnv>();
  private readonly changedCommunes = new Set<string>();
  private lastHour = -1;

  constructor(private readonly devices: readonly Device[]) {
    devices.forEach((d, i) => {
      const st = makeStation(d);
      if (!st) return;
      this.stations.set(i, st);
      this.history.set(i, new StationHistory());
      const list = this.communeStations.get(d.commune) ?? [];
      list.push(i);
      this.communeStations.set(d.commune, list);
    });
    for (const code of this.communeStations.keys()) this.communeState.set(code, emptyCommune(code));
  }

  isStation(i: number): boolean {
    return this.stations.has(i);
  }

  /** A validated reading, live or history (backfill). */
  onTelemetry(i: number, ts: number, values: Record<string, number>, now: number): void {
    const st = this.stations.get(i);
    if (!st) return;
    if (st.type === 'reservoir') {
      // A release notice the store kept (a restart, the time machine): the notice, then any report beside it.
      const { notice, report } = splitNotice(ts, values);
      if (notice) this.onReservoirEvent(i, notice);
      if (!report) return;
      values = report;
    }
    this.history.get(i)!.push(ts, values);
    switch (st.type) {
      case 'air':
        st.means.add(ts, values, now);
        break;
      case 'water':
        for (const [k, v] of Object.entries(values)) {
          const p = k as WaterParam;
          const limit = st.cfg.limits[p];
          if (!limit) continue;
          // Late (backfill) samples update the exceedance runs in order; the tracker ignores older ones.
          st.exceed[p] = exceedanceSince(st.exceed[p] ?? EXCEEDANCE_INITIAL, ts, assess(p, v, limit), st.cfg.maxGapMs);
          if (ts >= st.latestTs) st.latest[p] = v;
        }
        if (ts >= st.latestTs) st.latestTs = ts;
        break;
      case 'hydro':
        break;
      case 'rain':
        if (typeof values.precipitation === 'number') st.ring.push({ ts, mm: values.precipitation });
        break;
      case 'reservoir':
        break;
    }
    this.stale.add(i);
  }

  /** A reservoir's release notice (xả lũ), live or late: the newest by its own time is kept. */
  onReservoirEvent(i: number, ev: ReservoirEvent): void {
    const st = this.stations.get(i);
    if (st?.type !== 'reservoir') return;
    if (st.notice && st.notice.ts > ev.ts) return;
    st.notice = {
      phase: ev.release,
      ts: ev.ts,
      startsAt: ev.startsAt ?? ev.ts,
      gates: ev.gates ?? null,
      outflow: ev.outflow ?? null,
      note: ev.note ?? null,
    };
    this.stale.add(i);
  }

  /**
   * Recomputes stale stations (and, at the turn of the hour, every air station; rain windows
   * slide with time, so rain gauges are refreshed then too). Calls `onChanged` per station.
   */
  flush(now: number, onChanged: (i: number) => void): void {
    const hour = Math.floor(now / HOUR_MS);
    if (hour !== this.lastHour) {
      this.lastHour = hour;
      // Reservoirs too: an announced release lapses, and the flood season begins and ends, with the clock.
      for (const [i, st] of this.stations) if (st.type === 'air' || st.type === 'rain' || st.type === 'reservoir') this.stale.add(i);
    }
    if (this.stale.size === 0) return;
    const communes = new Set<string>();
    for (const i of this.stale) {
      this.derivedOf.set(i, this.compute(i, now));
      communes.add(this.devices[i]!.commune);
      onChanged(i);
    }
    this.stale.clear();
    for (const c of communes) this.recomputeCommune(c);
  }

  derived(i: number): StationDerived | undefined {
    return this.derivedOf.get(i);
  }

  communes(): CommuneEnv[] {
    return [...this.communeState.values()];
  }

  /** Communes whose aggregate changed since the last call. */
  takeChangedCommunes(): CommuneEnv[] {
    const out = [...this.changedCommunes].map((c) => this.communeState.get(c)!);
    this.changedCommunes.clear();
    return out;
  }

  /** A wastewater station's limits and the gap that breaks an exceedance run; undefined for any other device. */
  waterConfig(i: number): Pick<WaterConfig, 'limits' | 'maxGapMs'> | undefined {
    const st = this.stations.get(i);
    return st?.type === 'water' ? st.cfg : undefined;
  }

  historyOf(i: number): StationHistory | undefined {
    return this.history.get(i);
  }

  private compute(i: number, now: number): StationDerived {
    const st = this.stations.get(i)!;
    switch (st.type) {
      case 'air':
        return airIndices(st.means, now);
      case 'water':
        return waterDerived(st);
      case 'hydro':
        return hydroDerived(st.levels, this.history.get(i)!, now);
      case 'rain':
        return rainDerived(st.ring, now);
      case 'reservoir':
        return reservoirDerived(st.rules, st.notice, this.history.get(i)!, now);
    }
  }

  private recomputeCommune(code: string): void {
    const agg = emptyCommune(code);
    for (const i of this.communeStations.get(code) ?? []) {
      const d = this.derivedOf.get(i);
      if (!d) continue;
      switch (d.kind) {
        case 'air':
          if (d.aqi !== null && (agg.aqi === null || d.aqi > agg.aqi)) agg.aqi = d.aqi;
          break;
        case 'water':
          if (d.status === 'exceeding') agg.wastewaterExceeding++;
          break;
        case 'hydro':
          if (d.level !== null && (agg.floodStage === null || d.stage > agg.floodStage)) agg.floodStage = d.stage;
          break;
        case 'rain':
          if (agg.rain24h === null || d.h24 > agg.rain24h) agg.rain24h = d.h24;
          break;
        case 'reservoir':
          break;
      }
    }
    agg.band = aqiBand(agg.aqi);
    const prev = this.communeState.get(code);
    if (!prev || JSON.stringify(prev) !== JSON.stringify(agg)) {
      this.communeState.set(code, agg);
      this.changedCommunes.add(code);
    }
  }
}

function emptyCommune(code: string): CommuneEnv {
  return { code, aqi: null, band: null, floodStage: null, rain24h: null, wastewaterExceeding: 0 };
}

function num(d: Device, key: string): number | undefined {
  const v = d.props?.[key];
  return typeof v === 'number' ? v : undefined;
}

function makeStation(d: Device): Station | undefined {
  switch (d.type) {
    case 'air':
      return { type: 'air', means: new HourlyMeans() };
    case 'water': {
      const reg = (d.props?.regulation as RegulationId | undefined) ?? 'QCVN40:2011';
      if (!Object.hasOwn(WASTEWATER_REGULATIONS, reg)) throw new Error(`${d.id}: unknown regulation ${reg}`);
      const column = d.props?.column === 'A' ? 'A' : 'B';
      const kq = num(d, 'kq') ?? 1;
      const kf = num(d, 'kf') ?? 1;
      const limits: WaterConfig['limits'] = {};
      for (const p of Object.keys(WASTEWATER_REGULATIONS[reg].limits) as WaterParam[]) {
        const l = permittedMax(reg, column, p, kq, kf);
        if (l) limits[p] = l;
      }
      return {
        type: 'water',
        cfg: { regulation: reg, column, limits, maxGapMs: d.reportIntervalSec * 3000 },
        exceed: {},
        latest: {},
        latestTs: 0,
      };
    }
    case 'hydro': {
      const bd1 = num(d, 'bd1');
      const bd2 = num(d, 'bd2');
      const bd3 = num(d, 'bd3');
      if (bd1 === undefined || bd2 === undefined || bd3 === undefined) throw new Error(`${d.id}: river gauge without bd1/bd2/bd3`);
      return { type: 'hydro', levels: { bd1, bd2, bd3 } };
    }
    case 'rain':
      return { type: 'rain', ring: new RainRing() };
    case 'reservoir':
      return { type: 'reservoir', rules: reservoirRulesOf(d), notice: null };
    default:
      return undefined;
  }
}

function waterDerived(st: Extract<Station, { type: 'water' }>): WaterDerived {
  const params: WaterDerived['params'] = {};
  let worst: ComplianceStatus | null = null;
  for (const [k, value] of Object.entries(st.latest)) {
    const p = k as WaterParam;
    const limit = st.cfg.limits[p]!;
    const status = assess(p, value, limit);
    const ps: WaterParamState = {
      value,
      max: limit.max,
      status,
      exceedingSince: status === 'exceeding' ? (st.exceed[p]?.since ?? null) : null,
    };
    if (limit.kind === 'range') ps.min = limit.min;
    params[p] = ps;
    if (worst === null || STATUS_RANK[status] > STATUS_RANK[worst]) worst = status;
  }
  return { kind: 'water', regulation: st.cfg.regulation, column: st.cfg.column, status: worst, params };
}

function hydroDerived(levels: AlarmLevels, hist: StationHistory, now: number): HydroDerived {
  const recent = hist.series('waterLevel', now - HOUR_MS, now);
  const last = recent.at(-1) ?? hist.series('waterLevel', now - 24 * HOUR_MS, now).at(-1);
  const level = last ? last[1] : null;
  const rate = riseRateCmPerHour(recent.map(([ts, l]) => ({ ts, level: l })), now);
  return {
    kind: 'hydro',
    level,
    stage: level === null ? 0 : alarmStage(level, levels),
    bd: [levels.bd1, levels.bd2, levels.bd3],
    rateCmH: rate === null ? null : Math.round(rate * 10) / 10,
    nextLevelInMs: level === null ? null : timeToNextLevelMs(level, rate, levels),
  };
}

function rainDerived(ring: RainRing, now: number): RainDerived {
  const a = ring.accumulations(now);
  const r = (x: number) => Math.round(x * 10) / 10;
  return { kind: 'rain', h1: r(a.h1), h3: r(a.h3), h24: r(a.h24), category24h: rainCategory24h(a.h24) };
}

function reservoirDerived(rules: ReservoirRules, notice: ReleaseNotice | null, hist: StationHistory, now: number): ReservoirDerived {
  // The newest report, even one a little ahead of the clock (the ingest allows that much skew).
  const latestPoint = (key: string) => hist.latest(key, now - 24 * HOUR_MS, now + MAX_FUTURE_SKEW_MS);
  const latest = (key: string): number | null => latestPoint(key)?.[1] ?? null;
  const recent = hist.series('waterLevel', now - HOUR_MS, now);
  const level = latest('waterLevel');
  const gatesPoint = latestPoint('spillwayGatesOpen');
  const gatesOpen = gatesPoint?.[1] ?? null;
  const rate = riseRateCmPerHour(recent.map(([ts, l]) => ({ ts, level: l })), now);
  const release = releaseState(notice, gatesOpen, now, gatesPoint?.[0] ?? null);
  return {
    kind: 'reservoir',
    level,
    inflow: latest('inflow'),
    outflow: latest('outflow'),
    gatesOpen,
    gates: rules.spillwayGates,
    normalLevel: rules.normalLevel,
    deadLevel: rules.deadLevel,
    limitNow: levelLimitAt(rules, now),
    inFloodSeason: inFloodSeason(rules, now),
    stage: level === null ? 0 : reservoirStage(rules, level, now),
    belowDead: level !== null && level < rules.deadLevel,
    rateCmH: rate === null ? null : Math.round(rate * 10) / 10,
    release,
    notice: notice && notice.phase !== 'ended' && release !== null ? notice : null,
    downstream: rules.downstream,
  };
}
