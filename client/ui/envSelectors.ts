/**
 * Selectors of the wall's environment and traffic panels. Each is recomputed only when the versions it
 * depends on move (not on every frame), and returns the same object until then, so `useLive` re-renders
 * a panel only when its content may have changed.
 */
import type { AirDerived, HydroDerived, RainDerived, ReservoirDerived, WaterDerived, WaterParamState } from '../../shared/environment';
import { losRank, type CongestionIncident, type Segment, type SegmentState } from '../../shared/traffic';
import type { AqiBandNumber } from '../../shared/vnAqi';
import { floodRiskByStation, type FloodRiskResult } from '../../shared/disasterRisk';
import type { LiveStore } from '../store/liveStore';

function versioned<T>(key: (s: LiveStore) => string | number, compute: (s: LiveStore) => T): (s: LiveStore) => T {
  const cache = new WeakMap<LiveStore, { k: string | number; v: T }>();
  return (s) => {
    const k = key(s);
    const c = cache.get(s);
    if (c && c.k === k) return c.v;
    const v = compute(s);
    cache.set(s, { k, v });
    return v;
  };
}

function derivedOf<K extends 'air' | 'water' | 'hydro' | 'rain' | 'reservoir'>(s: LiveStore, i: number, kind: K) {
  const x = s.env.derived[i];
  return (x?.kind === kind ? x : undefined) as Extract<AirDerived | WaterDerived | HydroDerived | RainDerived | ReservoirDerived, { kind: K }> | undefined;
}

export interface AirRow {
  i: number;
  aqi: number;
  band: AqiBandNumber;
  x: AirDerived;
}

export interface AirSummary {
  total: number;
  /** Stations per band (index 0 = band 1). */
  bands: number[];
  /** Online stations without an index yet, and offline stations. */
  noData: number;
  offline: number;
  /** Worst first. */
  worst: AirRow[];
  hasData: boolean;
}

export const selectAirSummary = versioned(
  (s) => `${s.env.typeVersion.air}:${s.deviceVersion}:${s.seq === null}`,
  (s): AirSummary => {
    const out: AirSummary = { total: 0, bands: [0, 0, 0, 0, 0, 0], noData: 0, offline: 0, worst: [], hasData: s.seq !== null };
    for (const i of s.env.stations.air) {
      out.total++;
      if (s.on[i] !== 1) {
        out.offline++;
        continue;
      }
      const x = derivedOf(s, i, 'air');
      if (!x || x.aqi === null || x.band === null) {
        out.noData++;
        continue;
      }
      out.bands[x.band - 1]!++;
      out.worst.push({ i, aqi: x.aqi, band: x.band, x });
    }
    out.worst.sort((a, b) => b.aqi - a.aqi || a.i - b.i);
    return out;
  },
);

export interface ParamRow extends WaterParamState {
  name: string;
}
export interface WaterRow {
  i: number;
  x: WaterDerived;
  /** The parameters at the station's worst status. */
  params: ParamRow[];
  /** Earliest start of a running exceedance. */
  since: number | null;
}
export interface WaterSummary {
  total: number;
  within: number;
  near: WaterRow[];
  exceeding: WaterRow[];
  noData: number;
  offline: number;
  hasData: boolean;
}

export const selectWaterSummary = versioned(
  (s) => `${s.env.typeVersion.water}:${s.deviceVersion}:${s.seq === null}`,
  (s): WaterSummary => {
    const out: WaterSummary = { total: 0, within: 0, near: [], exceeding: [], noData: 0, offline: 0, hasData: s.seq !== null };
    for (const i of s.env.stations.water) {
      out.total++;
      if (s.on[i] !== 1) {
        out.offline++;
        continue;
      }
      const x = derivedOf(s, i, 'water');
      if (!x || x.status === null) {
        out.noData++;
        continue;
      }
      if (x.status === 'within') {
        out.within++;
        continue;
      }
      const params = Object.entries(x.params)
        .filter((e): e is [string, WaterParamState] => e[1]?.status === x.status)
        .map(([name, p]) => ({ name, ...p }));
      const starts = params.map((p) => p.exceedingSince).filter((t): t is number => t !== null);
      const row = { i, x, params, since: starts.length > 0 ? Math.min(...starts) : null };
      (x.status === 'exceeding' ? out.exceeding : out.near).push(row);
    }
    out.exceeding.sort((a, b) => (a.since ?? Infinity) - (b.since ?? Infinity) || a.i - b.i);
    out.near.sort((a, b) => a.i - b.i);
    return out;
  },
);

export interface GaugeRow {
  i: number;
  x: HydroDerived | undefined;
  online: boolean;
  /** Alarm levels from the gauge's configuration that come from official bulletins (not illustrative). */
  official: boolean;
}

/** River gauges: highest stage first, then the official ones, then by registry order. */
export const selectGauges = versioned(
  (s) => `${s.env.typeVersion.hydro}:${s.deviceVersion}`,
  (s): GaugeRow[] => {
    const devices = s.registry?.devices ?? [];
    const rows = s.env.stations.hydro.map((i) => ({
      i,
      x: derivedOf(s, i, 'hydro'),
      online: s.on[i] === 1,
      official: !/^illustrative/i.test(String(devices[i]?.props?.levelsSource ?? '')),
    }));
    const stage = (r: GaugeRow) => (r.online ? (r.x?.stage ?? 0) : 0);
    return rows.sort((a, b) => stage(b) - stage(a) || Number(b.official) - Number(a.official) || a.i - b.i);
  },
);

/**
 * Each river gauge's own flood risk level of Điều 45 (QĐ 18/2021/QĐ-TTg), what a hydro-met bulletin gives per
 * station: the server's rule (`floodRiskLevels`, several basins together) on the gauges' khu vực and basins from
 * the risk snapshot and the levels the wall already holds, the last each gauge reported, as the server reads them.
 * Empty without flood levels (a server without them, the time machine's past without risk).
 */
export const selectGaugeFloodRisk = versioned(
  (s) => `${s.env.typeVersion.hydro}:${s.risk.version}`,
  (s): ReadonlyMap<number, FloodRiskResult> => {
    return floodRiskByStation(
      (s.risk.flood?.gauges ?? []).map((g) => {
        const x = derivedOf(s, g.i, 'hydro');
        return x && x.level !== null ? { ...g, levelM: x.level, bd1: x.bd[0], bd2: x.bd[1], bd3: x.bd[2] } : null;
      }),
    );
  },
);

export interface ReservoirRow {
  i: number;
  x: ReservoirDerived | undefined;
  online: boolean;
}

/** The province's reservoirs: a release first (releasing, then announced), then by stage, then registry order. */
export const selectReservoirs = versioned(
  (s) => `${s.env.typeVersion.reservoir}:${s.deviceVersion}`,
  (s): ReservoirRow[] => {
    const rank = (r: ReservoirRow) => (r.x?.release === 'releasing' ? 20 : r.x?.release === 'announced' ? 10 : 0) + (r.x?.stage ?? 0);
    return s.env.stations.reservoir
      .map((i) => ({ i, x: derivedOf(s, i, 'reservoir'), online: s.on[i] === 1 }))
      .sort((a, b) => rank(b) - rank(a) || a.i - b.i);
  },
);

export interface RainRow {
  i: number;
  x: RainDerived;
}

/** Rain gauges by 24 h total, wettest first (online, with a value above zero). */
export const selectRainTop = versioned(
  (s) => `${s.env.typeVersion.rain}:${s.deviceVersion}`,
  (s): RainRow[] => {
    const rows: RainRow[] = [];
    for (const i of s.env.stations.rain) {
      const x = derivedOf(s, i, 'rain');
      if (s.on[i] === 1 && x && x.h24 > 0) rows.push({ i, x });
    }
    return rows.sort((a, b) => b.x.h24 - a.x.h24 || a.i - b.i);
  },
);

export interface SegmentRow {
  seg: Segment;
  st: SegmentState;
  /** Travel speed as a share of free flow (0..1+), or null without data. */
  share: number | null;
}

/** Segments with a measured level, worst first (level, then speed as a share of free flow). */
export const selectCongested = versioned(
  (s) => `${s.traffic.geometryVersion}:${s.traffic.segmentsVersion}`,
  (s): SegmentRow[] => {
    const rows: SegmentRow[] = [];
    for (const seg of s.traffic.geometry ?? []) {
      const st = s.traffic.segments.get(seg.id);
      if (!st || st.los === 'noData') continue;
      rows.push({ seg, st, share: st.speedKmh === null ? null : st.speedKmh / seg.freeFlowKmh });
    }
    return rows.sort((a, b) => losRank(b.st.los) - losRank(a.st.los) || (a.share ?? 1) - (b.share ?? 1));
  },
);

export interface LosCounts {
  /** Segments per level A..F, then 'noData'. */
  counts: number[];
  total: number;
}

export const selectLosCounts = versioned(
  (s) => `${s.traffic.geometryVersion}:${s.traffic.segmentsVersion}`,
  (s): LosCounts => {
    const counts = [0, 0, 0, 0, 0, 0, 0];
    const geometry = s.traffic.geometry ?? [];
    for (const seg of geometry) {
      const los = s.traffic.segments.get(seg.id)?.los ?? 'noData';
      counts[los === 'noData' ? 6 : losRank(los)]!++;
    }
    return { counts, total: geometry.length };
  },
);

/** Open incidents, the longest-running first. */
export const selectOpenIncidents = versioned(
  (s) => s.traffic.incidentsVersion,
  (s): CongestionIncident[] => s.traffic.openIncidents().sort((a, b) => a.startedAt - b.startedAt),
);
