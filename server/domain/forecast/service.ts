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

/** A rain forecast as it came, kept for `relearn`. */
interface LoggedRainForecast {
  id: string;
  issuedAt: number;
  stepMs: number;
  mm: readonly number[];
}

/** Rain forecasts kept for `relearn`: 30 days of hourly issues at 50 rain gauges is 36,000. */
export const RAIN_LOG_CAP = 40_000;
/** A replay's step: the forecasts' issue interval. */
export const REPLAY_STEP_MS = 10 * 60_000;
/** A gauge's first forecast needs its level 3 h back: a replay starts this long after its first data. */
export const FIRST_ISSUE_AFTER_MS = 3 * 3_600_000;

export class ForecastService {
  private forecaster: Forecaster;
  private readonly levelIds = new Set<string>();
  private readonly rainIds = new Set<string>();
  private latest = new Map<string, GaugeForecast>();
  /** gauge → lead → verified errors, oldest first. */
  private errors = new Map<string, Map<number, Verified[]>>();
  private lastStep = Number.NEGATIVE_INFINITY;
  /** Every rain forecast taken, oldest first, when kept (`keepRainForecasts`); at most RAIN_LOG_CAP. */
  private readonly rainLog: LoggedRainForecast[] | null;
  /** Rain forecasts the log let go for its bound. */
  rainLogDropped = 0;
  /** Models learning again beside these (`relearn`): readings reach them too. */
  private shadow: ForecastService | null = null;
  private shadowRain: LoggedRainForecast[] = [];

  constructor(
    private readonly basins: readonly GaugeBasin[],
    /** Registry index of a gauge id (the wire addresses devices by index). */
    private readonly indexOf: (id: string) => number | undefined,
    private readonly cfg: ForecastConfig = DEFAULT_FORECAST_CONFIG,
    /** Keep every rain forecast (bounded) so that `relearn` can replay them: a rehearsal, whose models learn again. */
    opts: { keepRainForecasts?: boolean } = {},
  ) {
    this.rainLog = opts.keepRainForecasts ? [] : null;
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
    if (!this.levelIds.has(id) || !Number.isFinite(level)) return;
    this.forecaster.addLevel(id, ts, level);
    this.shadow?.addLevel(id, ts, level);
  }

  /** Rain (mm in the report's interval) of a rain gauge some basin reads. */
  addRain(id: string, ts: number, mm: number): void {
    if (!this.rainIds.has(id) || !Number.isFinite(mm)) return;
    this.forecaster.addRain(id, ts, mm);
    this.shadow?.addRain(id, ts, mm);
  }

  /** A rain forecast for the point of a rain gauge some basin reads (mm per step of `stepMs` after `issuedAt`). */
  addRainForecast(id: string, issuedAt: number, stepMs: number, mm: readonly number[]): void {
    if (!this.rainIds.has(id)) return;
    this.forecaster.addRainForecast(id, issuedAt, stepMs, mm);
    // To a shadow only once its replay is done (`relearn`): an issue later than a replayed step is never read, but
    // the replay's older issues, given after it, would be dropped from the bounded store as the oldest.
    if (this.shadow && this.shadowRain.length < RAIN_LOG_CAP) this.shadowRain.push({ id, issuedAt, stepMs, mm });
    if (this.rainLog) {
      this.rainLog.push({ id, issuedAt, stepMs, mm });
      if (this.rainLog.length > RAIN_LOG_CAP) {
        const drop = this.rainLog.length - RAIN_LOG_CAP;
        this.rainLog.splice(0, drop);
        this.rainLogDropped += drop;
      }
    }
  }

  /** Rain forecasts kept for `relearn` (for the bound's test). */
  get rainLogSize(): number {
    return this.rainLog?.length ?? 0;
  }

  /**
   * Forgets what the models learnt and learns them again, beside the live ones: a rehearsal, once its fleet's
   * learning period is in the store. `feed` gives fresh models the stored levels and rain up to `now` and says
   * where they start; their 10-minute issues from 3 h after that up to `now` are replayed, each with the rain
   * forecasts logged up to it (none issued later is read), awaiting `pause` (the caller's turn of the event
   * loop: the domain has no timers) every `yieldEvery` steps.
   * Readings arriving meanwhile reach both; the live models keep issuing until the fresh ones replace them.
   * Returns the steps replayed.
   */
  async relearn(feed: (fresh: ForecastService) => Promise<number | undefined>, now: number, pause: () => Promise<void>, yieldEvery = 20): Promise<number> {
    if (this.shadow) throw new Error('the river forecasts are already learning again');
    const fresh = new ForecastService(this.basins, this.indexOf, this.cfg);
    this.shadow = fresh;
    try {
      const first = await feed(fresh);
      // In time order: the log is in arrival order (live issues first, then the learning period's, gauges interleaved).
      const log = [...(this.rainLog ?? [])].sort((a, b) => a.issuedAt - b.issuedAt);
      let steps = 0;
      if (first !== undefined) {
        for (const n of fresh.replaying(first, now, log)) {
          steps = n;
          if (n % yieldEvery === 0) await pause();
        }
      }
      for (const f of this.shadowRain) fresh.forecaster.addRainForecast(f.id, f.issuedAt, f.stepMs, f.mm);
      this.forecaster = fresh.forecaster;
      this.latest = fresh.latest;
      this.errors = fresh.errors;
      this.lastStep = fresh.lastStep;
      return steps;
    } finally {
      this.shadow = null;
      this.shadowRain = [];
    }
  }

  /**
   * Steps these models every 10 minutes from FIRST_ISSUE_AFTER_MS after `first` up to `now` (the warm start, a
   * rehearsal learning again): each step verifies what came due and learns from it, with `rain` (forecasts in
   * time order) given up to it and the rest after the last. Yields the number of steps so far after each, so a
   * caller may pause between them.
   */
  *replaying(first: number, now: number, rain: readonly LoggedRainForecast[] = []): Generator<number> {
    let k = 0;
    const give = (upTo: number) => {
      while (k < rain.length && rain[k]!.issuedAt <= upTo) {
        const f = rain[k++]!;
        this.forecaster.addRainForecast(f.id, f.issuedAt, f.stepMs, f.mm);
      }
    };
    let steps = 0;
    for (let t = Math.ceil((first + FIRST_ISSUE_AFTER_MS) / REPLAY_STEP_MS) * REPLAY_STEP_MS; t < now; t += REPLAY_STEP_MS) {
      give(t);
      this.step(t);
      yield ++steps;
    }
    give(Number.POSITIVE_INFINITY);
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
