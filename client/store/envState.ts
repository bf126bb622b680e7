/**
 * The environment part of the wall's live state (issue 3): what the server derives per station
 * (VN_AQI, QCVN 40 compliance, flood stage, rain), the per-commune aggregates, and a hydrograph per
 * river gauge. Owned by LiveStore, which feeds it frames and turns its dirty flags into versions
 * once per animation frame. Sized by the registry; nothing here grows with time.
 */
import type { Device } from '../../shared/devices';
import type { CommuneEnv, SeriesPoint, StationDerived } from '../../shared/environment';
import { HydroSeries } from './hydroSeries';
import type { HydroForecast } from '../../shared/forecast';
import type { AirTomorrow } from '../../shared/airForecast';

export type StationType = 'air' | 'water' | 'hydro' | 'rain' | 'reservoir';
const STATION_TYPES: readonly StationType[] = ['air', 'water', 'hydro', 'rain', 'reservoir'];
const noStations = (): Record<StationType, number[]> => ({ air: [], water: [], hydro: [], rain: [], reservoir: [] });

export class EnvState {
  /** Derived state per registry index (undefined for devices that are not stations, or before data). */
  derived: (StationDerived | undefined)[] = [];
  /** Registry indices of the stations of each type, in registry order. */
  stations: Record<StationType, number[]> = noStations();
  readonly communes = new Map<string, CommuneEnv>();
  /** One hydrograph per river gauge (by registry index). */
  readonly hydro = new Map<number, HydroSeries>();
  /** The latest river-level forecast per gauge (by registry index), and a counter bumped when it is replaced. */
  readonly forecasts = new Map<number, HydroForecast>();
  readonly forecastRev = new Map<number, number>();
  /** Tomorrow's air quality per air station (by registry index): replaced whole as each is issued (hourly). */
  readonly airTomorrow = new Map<number, AirTomorrow>();
  airTomorrowVersion = 0;

  /** Bumped (by LiveStore, once per frame) when some station's derived state changed. */
  derivedVersion = 0;
  /** The same, per station type: the air layer need not redraw when a rain gauge ticks. */
  readonly typeVersion: Record<StationType, number> = { air: 0, water: 0, hydro: 0, rain: 0, reservoir: 0 };
  communeVersion = 0;
  hydroVersion = 0;

  dirtyDerived = false;
  dirtyCommunes = false;
  dirtyHydro = false;
  dirtyAirTomorrow = false;
  private readonly dirtyTypes = new Set<StationType>();
  private typeOf: (StationType | undefined)[] = [];
  private isHydro = new Uint8Array(0);

  setRegistry(devices: readonly Device[]): void {
    const n = devices.length;
    this.derived = new Array<StationDerived | undefined>(n);
    this.stations = noStations();
    this.isHydro = new Uint8Array(n);
    this.typeOf = new Array<StationType | undefined>(n);
    this.hydro.clear();
    this.forecasts.clear();
    this.airTomorrow.clear();
    this.dirtyAirTomorrow = true;
    this.communes.clear();
    devices.forEach((d, i) => {
      const t = d.type as StationType;
      if (!STATION_TYPES.includes(t)) return;
      this.stations[t].push(i);
      this.typeOf[i] = t;
      if (t === 'hydro') {
        this.isHydro[i] = 1;
        this.hydro.set(i, new HydroSeries());
      }
    });
    this.dirtyDerived = this.dirtyCommunes = this.dirtyHydro = true;
    for (const t of STATION_TYPES) this.dirtyTypes.add(t);
  }

  /** A wall snapshot's environment: everything replaced. */
  applySnapshot(
    communes: readonly CommuneEnv[] | undefined,
    hydrographs: readonly { i: number; points: SeriesPoint[] }[] | undefined,
    forecasts?: readonly HydroForecast[],
  ): void {
    this.derived.fill(undefined);
    this.communes.clear();
    for (const c of communes ?? []) this.communes.set(c.code, c);
    for (const s of this.hydro.values()) s.reset([]);
    for (const h of hydrographs ?? []) this.hydro.get(h.i)?.reset(h.points);
    for (const i of this.forecasts.keys()) this.bumpForecast(i);
    this.forecasts.clear();
    this.applyForecasts(forecasts);
    this.dirtyDerived = this.dirtyCommunes = this.dirtyHydro = true;
    for (const t of STATION_TYPES) this.dirtyTypes.add(t);
  }

  /** A patch's derived state; ignored when it says the same as what is held. */
  setDerived(i: number, x: StationDerived): void {
    const prev = this.derived[i];
    if (prev !== undefined && sameDerived(prev, x)) return;
    this.derived[i] = x;
    this.dirtyDerived = true;
    const t = this.typeOf[i];
    if (t) this.dirtyTypes.add(t);
  }

  /** A live river level (from a patch's values) continues that gauge's hydrograph. */
  addLevel(i: number, ts: number, level: number): void {
    if (this.isHydro[i] !== 1) return;
    if (this.hydro.get(i)?.add(ts, level)) this.dirtyHydro = true;
  }

  /** Forecasts issued or re-scored since the last frame, whole: each replaces its gauge's. */
  applyForecasts(list: readonly HydroForecast[] | undefined): void {
    if (!list || list.length === 0) return;
    for (const f of list) {
      if (this.isHydro[f.i] !== 1) continue;
      this.forecasts.set(f.i, f);
      this.bumpForecast(f.i);
    }
    this.dirtyHydro = true;
  }

  /** Tomorrow's air forecasts: a snapshot's replace them all (`whole`), a delta's the stations it names. */
  applyAirTomorrow(list: readonly AirTomorrow[] | undefined, whole: boolean): void {
    if (whole) {
      this.airTomorrow.clear();
      this.dirtyAirTomorrow = true;
    }
    if (!list || list.length === 0) return;
    for (const a of list) {
      if (this.typeOf[a.i] !== 'air') continue;
      this.airTomorrow.set(a.i, a);
      this.dirtyAirTomorrow = true;
    }
  }

  private bumpForecast(i: number): void {
    this.forecastRev.set(i, (this.forecastRev.get(i) ?? 0) + 1);
  }

  /** Communes whose aggregate changed (a delta sends only those). */
  applyCommunes(list: readonly CommuneEnv[] | undefined): void {
    if (!list || list.length === 0) return;
    for (const c of list) {
      const prev = this.communes.get(c.code);
      if (prev && sameCommune(prev, c)) continue;
      this.communes.set(c.code, c);
      this.dirtyCommunes = true;
    }
  }

  /** Called by LiveStore's frame flush. */
  commit(): void {
    if (this.dirtyDerived) this.derivedVersion++;
    if (this.dirtyCommunes) this.communeVersion++;
    if (this.dirtyHydro) this.hydroVersion++;
    if (this.dirtyAirTomorrow) this.airTomorrowVersion++;
    for (const t of this.dirtyTypes) this.typeVersion[t]++;
    this.dirtyTypes.clear();
    this.dirtyDerived = this.dirtyCommunes = this.dirtyHydro = this.dirtyAirTomorrow = false;
  }
}

/** Derived states are small flat objects; comparing their JSON is exact and costs microseconds. */
function sameDerived(a: StationDerived, b: StationDerived): boolean {
  return a.kind === b.kind && JSON.stringify(a) === JSON.stringify(b);
}

function sameCommune(a: CommuneEnv, b: CommuneEnv): boolean {
  return (
    a.aqi === b.aqi &&
    a.band === b.band &&
    a.floodStage === b.floodStage &&
    a.rain24h === b.rain24h &&
    a.wastewaterExceeding === b.wastewaterExceeding
  );
}
