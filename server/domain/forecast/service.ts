/**
 * The forecaster as the pipeline uses it: fed the river levels and rain of the basins' gauges as they
 * arrive, stepped once per tick, it keeps each gauge's latest forecast and its errors of the last 6 hours,
 * and says which gauges' forecast changed. Pure like the forecaster: time comes from `step(now)`.
 */
import { SKILL_WINDOW_MS, type HydroForecast, type HydroForecastLead } from '../../../shared/forecast';
import { createForecaster, DEFAULT_FORECAST_CONFIG, type ForecastConfig, type Forecaster, type GaugeForecast } from './forecaster';
import type { GaugeBasin } from './features';

const cm = (m: number): number => Math.round(m * 100) / 100;
const mm = (m: number): number => Math.round(m * 1000) / 1000;

interface Verified {
  /** When the forecast came due. */
  at: number;
  absErr: number;
}

export class ForecastService {
  private readonly forecaster: Forecaster;
  private readonly levelIds = new Set<string>();
  private readonly rainIds = new Set<string>();
  private readonly latest = new Map<string, GaugeForecast>();
  /** gauge → lead → verified errors, oldest first. */
  private readonly errors = new Map<string, Map<number, Verified[]>>();
  private lastStep = Number.NEGATIVE_INFINITY;

  constructor(
    basins: readonly GaugeBasin[],
    /** Registry index of a gauge id (the wire addresses devices by index). */
    private readonly indexOf: (id: string) => number | undefined,
    cfg: ForecastConfig = DEFAULT_FORECAST_CONFIG,
  ) {
    this.forecaster = createForecaster(basins, cfg);
    for (const b of basins) {
      this.levelIds.add(b.gaugeId);
      for (const u of b.upstream) this.levelIds.add(u.id);
      for (const r of b.rainGauges) this.rainIds.add(r);
    }
  }

  /** The gauges whose levels and rain the basins read (for a warm start from the store). */
  inputs(): { levels: string[]; rain: string[] } {
    return { levels: [...this.levelIds], rain: [...this.rainIds] };
  }

  /** A river level (metres) of a gauge some basin reads; others are ignored. */
  addLevel(id: string, ts: number, level: number): void {
    if (this.levelIds.has(id) && Number.isFinite(level)) this.forecaster.addLevel(id, ts, level);
  }

  /** Rain (mm in the report's interval) of a rain gauge some basin reads. */
  addRain(id: string, ts: number, mm: number): void {
    if (this.rainIds.has(id) && Number.isFinite(mm)) this.forecaster.addRain(id, ts, mm);
  }

  /** A rain forecast for the point of a rain gauge some basin reads (mm per step of `stepMs` after `issuedAt`). */
  addRainForecast(id: string, issuedAt: number, stepMs: number, mm: readonly number[]): void {
    if (this.rainIds.has(id)) this.forecaster.addRainForecast(id, issuedAt, stepMs, mm);
  }

  /** Verifies, learns and issues; returns the gauges whose forecast or skill changed. */
  step(now: number): string[] {
    // The pipeline's clock may step back a little (a rehearsal restarting its clock); the model may not.
    if (now < this.lastStep) return [];
    this.lastStep = now;
    const { forecasts, verified } = this.forecaster.step(now);
    const changed = new Set<string>();
    for (const v of verified) {
      let byLead = this.errors.get(v.gaugeId);
      if (!byLead) this.errors.set(v.gaugeId, (byLead = new Map()));
      let list = byLead.get(v.leadH);
      if (!list) byLead.set(v.leadH, (list = []));
      list.push({ at: v.issuedAt + v.leadH * 3_600_000, absErr: Math.abs(v.observed - v.forecast) });
      changed.add(v.gaugeId);
    }
    for (const byLead of this.errors.values()) {
      for (const list of byLead.values()) {
        let drop = 0;
        while (drop < list.length && list[drop]!.at < now - SKILL_WINDOW_MS) drop++;
        if (drop > 0) list.splice(0, drop);
      }
    }
    for (const f of forecasts) {
      this.latest.set(f.gaugeId, f);
      changed.add(f.gaugeId);
    }
    return [...changed].filter((id) => this.latest.has(id));
  }

  /** The latest forecast of a gauge as the model issued it. */
  forecastOf(gaugeId: string): GaugeForecast | undefined {
    return this.latest.get(gaugeId);
  }

  /** The compact wire form of a gauge's latest forecast with its skill. */
  wire(gaugeId: string): HydroForecast | undefined {
    const f = this.latest.get(gaugeId);
    const i = this.indexOf(gaugeId);
    if (!f || i === undefined) return undefined;
    const byLead = this.errors.get(gaugeId);
    return {
      i,
      issuedAt: f.issuedAt,
      level: cm(f.level),
      leads: f.leads.map((l) => {
        const w: HydroForecastLead = { h: l.leadH, at: l.validAt, level: cm(l.level) };
        if (l.lower !== undefined && l.upper !== undefined) {
          w.low = cm(l.lower);
          w.high = cm(l.upper);
        }
        if (l.warmingUp) w.warmingUp = true;
        return w;
      }),
      skill: f.leads.map((l) => {
        const list = byLead?.get(l.leadH) ?? [];
        const n = list.length;
        return { h: l.leadH, mae: n === 0 ? null : mm(list.reduce((s, v) => s + v.absErr, 0) / n), n };
      }),
    };
  }

  /** Every gauge's latest forecast, for a snapshot. */
  all(): HydroForecast[] {
    const out: HydroForecast[] = [];
    for (const id of this.latest.keys()) {
      const w = this.wire(id);
      if (w) out.push(w);
    }
    return out;
  }
}
