/**
 * Forecast alarms end to end below the pipeline: a synthetic river fed to the ForecastService on a
 * 10-minute clock that the test moves, each issued forecast turned into its 'river.forecast.stage' signal
 * (signals.ts) and evaluated by the engine with the default rule.
 */
import { describe, expect, it } from 'vitest';
import type { Alarm } from '../../shared/alarms';
import type { Device } from '../../shared/devices';
import type { HydroDerived } from '../../shared/environment';
import { decodeForecastStage } from '../../shared/forecast';
import { alarmStage } from '../domain/hydro/riverLevel';
import { ForecastService } from '../domain/forecast/service';
import type { GaugeForecast } from '../domain/forecast/forecaster';
import { defaultRules } from './defaultRules';
import { forecastStageSignal } from './signals';
import { makeHarness } from './testing';

const HOUR = 3_600_000;
const STEP = 10 * 60_000;
const T0 = Date.UTC(2026, 9, 1);
// BĐ III well above the wave's 6.5 m peak: after the wave grows, the interval widens (its residuals include
// the model's errors while it adapts) and its upper bound reaches 7.5 m.
const BD: [number, number, number] = [5, 6, 8];
const OMEGA = (2 * Math.PI) / (24 * HOUR);

const gauge = { id: 'g', commune: '51001', kind: 'river-gauge', type: 'hydro' } as unknown as Device;

function derived(level: number): HydroDerived {
  return { kind: 'hydro', level, stage: alarmStage(level, { bd1: BD[0], bd2: BD[1], bd3: BD[2] }), bd: BD, rateCmH: null, nextLevelInMs: null };
}

/** Days of a small daily wave under BĐ I (1–3 m) to train on, then a big one from the same trough (1–6.5 m). */
const TRAIN_DAYS = 3;
function river(t: number): number {
  const c = Math.cos(OMEGA * (t - T0));
  return t < T0 + TRAIN_DAYS * 24 * HOUR ? 2 - c : 1 + 2.75 * (1 - c);
}

function setup(level: (t: number) => number) {
  const fc = new ForecastService([{ gaugeId: 'g', upstream: [], rainGauges: [] }], (id) => (id === 'g' ? 0 : undefined));
  const h = makeHarness(defaultRules().filter((r) => r.id === 'river-forecast-stage'), { startAt: T0 });
  const values: { t: number; value: number | null }[] = [];
  const run = (from: number, to: number): void => {
    for (let t = from; t <= to; t += STEP) {
      const lv = level(t);
      fc.addLevel('g', t, lv);
      h.clock.t = t;
      for (const id of fc.step(t)) {
        const f = fc.forecastOf(id)!;
        if (f.issuedAt !== t) continue;
        const sig = forecastStageSignal(gauge, f, derived(lv), t);
        values.push({ t, value: sig.value });
        h.engine.evaluate(sig);
      }
      h.engine.tick(t);
    }
  };
  const alarms = (): Alarm[] => h.engine.snapshot().alarms.filter((a) => a.ruleId === 'river-forecast-stage');
  return { fc, h, values, run, alarms };
}

describe('forecast alarm (river-forecast-stage)', () => {
  it('opens before the river reaches BĐ II, updates one alarm as forecasts come, clears as the river recedes', () => {
    const trainEnd = T0 + TRAIN_DAYS * 24 * HOUR;
    // Rising on the big wave until 8 h after its trough (≈ 5.1 m, stage I), then falling 0.3 m/h.
    const turn = trainEnd + 8 * HOUR;
    const level = (t: number): number => (t <= turn ? river(t) : river(turn) - 0.3 * ((t - turn) / HOUR));
    const s = setup(level);
    s.run(T0, trainEnd);
    // The small wave never comes near BĐ I: no alarm while training.
    expect(s.alarms()).toHaveLength(0);

    s.run(trainEnd + STEP, turn);
    const open = s.alarms();
    expect(open).toHaveLength(1);
    const a = open[0]!;
    expect(a.state).toBe('active');
    expect(a.title).toBe('Dự báo vượt BĐ II trong 6 giờ tới');
    expect(a.severity).toBe('warning');
    expect(level(turn)).toBeLessThan(BD[1]); // a warning ahead of the river, not after it
    // Raised when the model saw BĐ I or II ahead, then updated by each forecast: one alarm, many signals.
    expect(a.count).toBeGreaterThan(5);
    const decoded = decodeForecastStage(a.value!);
    expect(decoded?.stage).toBe(2);
    // The big wave reaches 6 m about 9.7 h after its trough: at 8 h the crossing is 1–3 hours ahead.
    expect(decoded!.leadH).toBeGreaterThanOrEqual(1);
    expect(decoded!.leadH).toBeLessThanOrEqual(3);
    const raised = s.h.changes.filter((c) => c.alarm.ruleId === 'river-forecast-stage' && c.change === 'raised');
    expect(raised).toHaveLength(1);

    s.run(turn + STEP, turn + 5 * HOUR);
    const after = s.alarms();
    expect(after).toHaveLength(1);
    expect(after[0]!.id).toBe(a.id);
    expect(after[0]!.state).toBe('cleared');
    expect(after[0]!.conditionActive).toBe(false);
    expect(s.values.at(-1)!.value).toBe(0);
    expect(s.h.changes.filter((c) => c.alarm.ruleId === 'river-forecast-stage' && c.change === 'raised')).toHaveLength(1);
  });

  it('raises nothing while the model is warming up, though its forecasts are issued', () => {
    // The big wave from the first hour: it reaches BĐ II within 10 h, before any lead has learnt 50 pairs.
    const s = setup((t) => 1 + 2.75 * (1 - Math.cos(OMEGA * (t - T0))));
    s.run(T0, T0 + 10 * HOUR);
    expect(s.values.length).toBeGreaterThan(30);
    expect(s.fc.forecastOf('g')!.leads.every((l) => l.warmingUp)).toBe(true);
    expect(s.values.every((v) => v.value === 0)).toBe(true);
    expect(s.alarms()).toHaveLength(0);
  });
});

describe('forecastStageSignal', () => {
  const forecast = (levels: number[], warmingUp: boolean, upper?: number[]): GaugeForecast => ({
    gaugeId: 'g',
    issuedAt: T0,
    level: 4,
    missing: [],
    leads: levels.map((level, k) => ({
      leadH: k + 1,
      validAt: T0 + (k + 1) * HOUR,
      level,
      weights: { model: 1, trend: 0, mean: 0 },
      change: level - 4,
      trainedOn: warmingUp ? 3 : 80,
      warmingUp,
      ...(upper ? { lower: level - 0.3, upper: upper[k]! } : {}),
    })),
  });

  it('carries the highest level crossed and the first lead crossing it; none while warming up', () => {
    const rising = [4.5, 5.2, 6.1, 6.4, 6.6, 6.8];
    expect(forecastStageSignal(gauge, forecast(rising, false), derived(4), T0).value).toBe(2.3);
    expect(forecastStageSignal(gauge, forecast(rising, true), derived(4), T0).value).toBe(0);
    // BĐ III is read from the upper bound: 6.6 + 1.4 reaches 8 at lead 5, while the central value never does.
    expect(forecastStageSignal(gauge, forecast(rising, false, rising.map((l) => l + 1.4)), derived(4), T0).value).toBe(3.5);
    expect(forecastStageSignal(gauge, forecast(rising, false, rising.map((l) => l + 1.1)), derived(4), T0).value).toBe(2.3);
    // The river already at BĐ II: the observed alarm has it, the forecast has nothing higher to say.
    expect(forecastStageSignal(gauge, forecast(rising, false), derived(6.05), T0).value).toBe(0);
  });

  it('reads the upper bound for BĐ III only where the central value rises above the river now', () => {
    // After a peak: the river at 7.5 m (BĐ II) and falling, a wide band whose upper bound still reaches BĐ III.
    const falling = { ...forecast([7.3, 7.1, 6.9, 6.7, 6.5, 6.3], false, [8.3, 8.4, 8.5, 8.5, 8.5, 8.5]), level: 7.5 };
    expect(forecastStageSignal(gauge, falling, derived(7.5), T0).value).toBe(0);
    // The same band on a forecast that rises from 7.5 m: BĐ III is warned from the upper bound at lead 1.
    const rising = { ...forecast([7.6, 7.7, 7.8, 7.8, 7.8, 7.8], false, [8.3, 8.4, 8.5, 8.5, 8.5, 8.5]), level: 7.5 };
    expect(forecastStageSignal(gauge, rising, derived(7.5), T0).value).toBe(3.1);
  });
});
