/**
 * The forecast backtest (issue 17 point 5): replays a seeded simulated period through the simulator's own
 * signal models (the fleet's engine, no broker, no clock), feeds the forecaster exactly as the pipeline does,
 * and scores the forecasts as they were made at each step: the forecaster only ever sees readings up to
 * its step time (it is stepped in time order and its model is fitted online), so nothing ahead leaks in.
 *
 * Scored per gauge and lead: RMSE, MAE, bias, NSE, the persistence index, and the TT 42/2017 share within the
 * allowable error (skill.ts). For the warnings: the forecast alarm signal the server raises
 * (alarms/signals.ts `forecastStageSignal`) read at each issue, against the real crossings of BĐ II and III
 * (with the server's 5 cm hysteresis): hits, misses, false alarms and the warning lead time.
 */
import type { Device } from '../../shared/devices';
import type { HydroDerived } from '../../shared/environment';
import { decodeForecastStage } from '../../shared/forecast';
import type { ScenarioName } from '../../simulators/scenarios';
import { createEngine } from '../../simulators/fleet/engine';
import type { Registry } from '../../shared/devices';
import { forecastStageSignal } from '../../server/alarms/signals';
import { createForecaster, DEFAULT_FORECAST_CONFIG, type ForecastConfig, type GaugeForecast, type VerifiedForecast } from '../../server/domain/forecast/forecaster';
import type { GaugeBasin } from '../../server/domain/forecast/features';
import { skill, type ForecastRecord, type SkillScores } from '../../server/domain/forecast/skill';

const MIN = 60_000;
const HOUR = 60 * MIN;

export interface BacktestOptions {
  registry: Registry;
  basins: readonly GaugeBasin[];
  scenario: ScenarioName;
  seed?: number;
  /** Scored days after the scenario's start. */
  days: number;
  /** Days of the same simulated world before the start, for the models to learn (not scored). */
  warmupDays?: number;
  /**
   * The weather of the learning days: the ordinary weather alone, or with a rainy season's storms
   * (simulators/scenarios/rainySeason.ts). Default 'rainy-season'.
   */
  learn?: 'ordinary' | 'rainy-season';
  /** The story's start (its hour and season). */
  start: number;
  /** Time step of the replay (the pipeline's tick stands for it), ms. */
  stepMs?: number;
  onProgress?: (done: number, total: number) => void;
  /** Each scored verification with its candidates (to study which method would have done better). */
  onVerified?: (v: VerifiedForecast) => void;
  /**
   * Feed the hydro-met service's rain forecasts (the fleet's, simulators/fleet/rainForecast.ts) to the model, as
   * the server takes them over MQTT. Default true; false shows what the model does with the rain gauges alone.
   */
  rainForecasts?: boolean;
  /** Model settings other than the server's (to compare settings; the server always runs the defaults). */
  config?: Partial<ForecastConfig>;
}

export interface LeadScore extends SkillScores {
  h: number;
}

export interface WarningScore {
  /** Real crossings of BĐ II or III in the scored period. */
  crossings: number;
  /** Crossings forecast at least `minLeadH` before they happened. */
  hits: number;
  /** Crossings forecast later than that, or not at all. */
  misses: number;
  /** Warning episodes not followed by the crossing they announced within the horizon. */
  falseAlarms: number;
  /** Warning lead time before each real crossing (hours), null for a crossing never warned of. */
  leadsH: (number | null)[];
}

export interface GaugeResult {
  gaugeId: string;
  name: string;
  /** Whether the gauge's basin reads an upstream gauge. */
  hasUpstream: boolean;
  leads: LeadScore[];
  warnings: WarningScore;
}

export interface BacktestResult {
  scenario: ScenarioName;
  seed: number;
  start: number;
  days: number;
  warmupDays: number;
  learn: 'ordinary' | 'rainy-season';
  rainForecasts: boolean;
  stepMs: number;
  gauges: GaugeResult[];
}

/** Warnings must come this long before the crossing to count as a hit (the issue's target). */
export const MIN_WARNING_LEAD_H = 2;

function stageOf(level: number, bd: readonly [number, number, number], prev: number): number {
  const up = bd.filter((x) => level >= x).length;
  if (up >= prev) return up;
  // Down only 5 cm below a level: noise at a threshold is not a new crossing.
  const down = bd.filter((x) => level >= x - 0.05).length;
  return Math.min(prev, down);
}

function bdOf(d: Device): [number, number, number] | null {
  const p = d.props ?? {};
  return typeof p.bd1 === 'number' && typeof p.bd2 === 'number' && typeof p.bd3 === 'number' ? [p.bd1, p.bd2, p.bd3] : null;
}

interface Episode {
  stage: number;
  from: number;
  /** Latest issue time at which the episode still held. */
  lastAt: number;
  leadH: number;
  confirmed: boolean;
}

export function runBacktest(o: BacktestOptions): BacktestResult {
  const stepMs = o.stepMs ?? MIN;
  const warmupDays = o.warmupDays ?? 3;
  const learn = o.learn ?? 'rainy-season';
  const useRainForecasts = o.rainForecasts ?? true;
  const seed = o.seed ?? o.registry.seed;
  const from = o.start - warmupDays * 24 * HOUR;
  const to = o.start + o.days * 24 * HOUR;
  const horizonMs = Math.max(...DEFAULT_FORECAST_CONFIG.leadsH) * HOUR;
  const wanted = new Set<string>();
  for (const b of o.basins) {
    wanted.add(b.gaugeId);
    for (const u of b.upstream) wanted.add(u.id);
    for (const r of b.rainGauges) wanted.add(r);
  }
  // The story starts at `start`; the warm-up is the same world before it (the engine's backfill does the same).
  const engine = createEngine({
    registry: o.registry,
    seed,
    scenario: o.scenario,
    realStart: o.start,
    simStart: o.start,
    rehearsal: true,
    backfillHours: 0,
    include: (d) => wanted.has(d.id),
    history: learn,
    historyDays: warmupDays,
    // The learning days are replayed here, not sent as a rehearsal's learning period.
    learnDays: 0,
  });
  const cfg: ForecastConfig = { ...DEFAULT_FORECAST_CONFIG, ...o.config };
  const forecaster = createForecaster(o.basins, cfg);
  const byId = new Map(o.registry.devices.map((d) => [d.id, d]));
  const gauges = o.basins.map((b) => byId.get(b.gaugeId)!).filter(Boolean);

  const records = new Map<string, Map<number, ForecastRecord[]>>();
  const observed = new Map<string, number>();
  const stages = new Map<string, number>();
  const crossings = new Map<string, { stage: number; at: number }[]>();
  const episodes = new Map<string, Episode[]>();
  const latest = new Map<string, GaugeForecast>();

  const next = new Map(engine.sims.map((s) => [s, Math.ceil(from / s.intervalMs) * s.intervalMs]));
  // A rain gauge reports the rain since its previous report: prime it one interval back.
  for (const s of engine.sims) if (s.device.kind === 'rain-gauge') s.signals.report(next.get(s)! - s.intervalMs);

  const total = to - from;
  for (let t = from; t <= to; t += stepMs) {
    for (const s of engine.sims) {
      let due = next.get(s)!;
      while (due <= t) {
        const { telemetry, forecast } = s.signals.report(due);
        const v = telemetry as Record<string, unknown>;
        if (forecast && useRainForecasts) forecaster.addRainForecast(s.device.id, forecast.ts, forecast.stepMin * MIN, forecast.precipitation);
        if (s.device.type === 'hydro' && typeof v.waterLevel === 'number') {
          forecaster.addLevel(s.device.id, due, v.waterLevel);
          observed.set(s.device.id, v.waterLevel);
        } else if (s.device.type === 'rain' && typeof v.precipitation === 'number') forecaster.addRain(s.device.id, due, v.precipitation);
        due += s.intervalMs;
      }
      next.set(s, due);
    }
    const { forecasts, verified } = forecaster.step(t);
    for (const v of verified) {
      if (v.warmingUp || v.issuedAt < o.start || v.issuedAt + v.leadH * HOUR > to) continue;
      let byLead = records.get(v.gaugeId);
      if (!byLead) records.set(v.gaugeId, (byLead = new Map()));
      let list = byLead.get(v.leadH);
      if (!list) byLead.set(v.leadH, (list = []));
      list.push({ base: v.base, forecast: v.forecast, observed: v.observed });
      o.onVerified?.(v);
    }
    for (const f of forecasts) latest.set(f.gaugeId, f);
    if (t < o.start) continue;

    // Observed crossings and the forecast warnings, as the server's rules read them.
    for (const d of gauges) {
      const bd = bdOf(d);
      const level = observed.get(d.id);
      if (!bd || level === undefined) continue;
      const prev = stages.get(d.id) ?? stageOf(level, bd, 0);
      const stage = stageOf(level, bd, prev);
      stages.set(d.id, stage);
      if (stage > prev && stage >= 2) {
        const list = crossings.get(d.id) ?? [];
        for (let s = Math.max(prev + 1, 2); s <= stage; s++) list.push({ stage: s, at: t });
        crossings.set(d.id, list);
      }
      const f = latest.get(d.id);
      if (!f || !forecasts.some((x) => x.gaugeId === d.id)) continue;
      const x: HydroDerived = { kind: 'hydro', level, stage: stage as HydroDerived['stage'], bd, rateCmH: null, nextLevelInMs: null };
      const warned = decodeForecastStage(forecastStageSignal(d, f, x, t).value ?? 0);
      const eps = episodes.get(d.id) ?? [];
      episodes.set(d.id, eps);
      const open = eps.find((e) => e.lastAt >= t - DEFAULT_FORECAST_CONFIG.issueEveryMs * 1.5);
      if (warned && warned.stage >= 2) {
        if (open && open.stage === warned.stage) open.lastAt = t;
        else eps.push({ stage: warned.stage, from: t, lastAt: t, leadH: warned.leadH, confirmed: false });
      }
    }
    o.onProgress?.(t - from, total);
  }

  const results: GaugeResult[] = [];
  for (const d of gauges) {
    const basin = o.basins.find((b) => b.gaugeId === d.id)!;
    const byLead = records.get(d.id);
    const leads = DEFAULT_FORECAST_CONFIG.leadsH.map((h) => ({ h, ...skill(byLead?.get(h) ?? []) }));
    const cross = crossings.get(d.id) ?? [];
    const eps = episodes.get(d.id) ?? [];
    const leadsH: (number | null)[] = [];
    let hits = 0;
    for (const c of cross) {
      // The earliest warning of this level or higher that was still standing within the horizon before it.
      const warned = eps.filter((e) => e.stage >= c.stage && e.from <= c.at && e.lastAt >= c.at - horizonMs).sort((a, b) => a.from - b.from)[0];
      for (const e of eps) if (e.stage <= c.stage && e.from <= c.at && e.from >= c.at - horizonMs - HOUR) e.confirmed = true;
      const lead = warned ? (c.at - warned.from) / HOUR : null;
      leadsH.push(lead === null ? null : Math.round(lead * 10) / 10);
      if (lead !== null && lead >= MIN_WARNING_LEAD_H) hits++;
    }
    // An episode the period ended on is not judged.
    const falseAlarms = eps.filter((e) => !e.confirmed && e.from + horizonMs + HOUR <= to).length;
    results.push({
      gaugeId: d.id,
      name: String(d.props?.station ?? d.name),
      hasUpstream: basin.upstream.length > 0,
      leads,
      warnings: { crossings: cross.length, hits, misses: cross.length - hits, falseAlarms, leadsH },
    });
  }
  return { scenario: o.scenario, seed, start: o.start, days: o.days, warmupDays, learn, rainForecasts: useRainForecasts, stepMs, gauges: results };
}
