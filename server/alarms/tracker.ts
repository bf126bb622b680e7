/**
 * Per-(rule, source) condition state: pure functions the engine calls. Kept apart from the alarm lifecycle
 * so "is the condition met, since when, at which level" can be reasoned about (and tested) on its own.
 */
import { beyond, levelsOf, type LeveledRule, type Rule } from './rules';

export interface RateSample {
  ts: number;
  v: number;
}

export interface Tracker {
  key: string;
  rule: Rule;
  source: string;
  commune: string | null;
  /** Signal time of the latest accepted sample; -Infinity before the first. */
  lastTs: number;
  /** Latest evaluated value (the rate for rate rules). */
  lastValue: number | null;
  /** Per level: signal time its current run began, or null. */
  runs: (number | null)[];
  /** The hysteretic condition: on from the first met level until the value passes clearAt. */
  active: boolean;
  /** Highest level reached in this episode, -1 when none; only a higher level raises or steps up. */
  met: number;
  /** The open alarm (single or group) this source feeds; may have closed since (checked lazily). */
  alarmId: number | null;
  /** Rate rules only: recent samples, bounded by RATE_MAX_SAMPLES. */
  samples: RateSample[] | null;
  /** No-data rules: signal time of the latest non-null value. */
  lastData: number;
}

/** Bound of a rate rule's sample window per source (an hour of one report every 15 s). */
export const RATE_MAX_SAMPLES = 240;

export function newTracker(key: string, rule: Rule, source: string, commune: string | null): Tracker {
  return {
    key,
    rule,
    source,
    commune,
    lastTs: -Infinity,
    lastValue: null,
    runs: levelsOf(rule).map(() => null),
    active: false,
    met: -1,
    alarmId: null,
    samples: rule.kind === 'rate' ? [] : null,
    lastData: -Infinity,
  };
}

/**
 * Feeds one sample: extends or breaks each level's run. A gap longer than maxGapMs breaks every run first,
 * because nobody knows whether the value stayed beyond the threshold while the source was silent.
 */
export function feed(t: Tracker, rule: LeveledRule, ts: number, value: number): void {
  if (ts - t.lastTs > rule.maxGapMs) t.runs.fill(null);
  rule.levels.forEach((l, i) => {
    if (!beyond(rule, value, l.at)) t.runs[i] = null;
    else if (t.runs[i] === null) t.runs[i] = ts;
  });
  t.lastTs = ts;
  t.lastValue = value;
}

/** Durations count up to `at`, but never further than maxGapMs past the latest sample. */
function effectiveTime(t: Tracker, rule: LeveledRule, at: number): number {
  return Math.min(at, t.lastTs + rule.maxGapMs);
}

/** Highest level met at time `at`, or -1. */
export function metLevel(t: Tracker, rule: LeveledRule, at: number): number {
  const eff = effectiveTime(t, rule, at);
  for (let i = rule.levels.length - 1; i >= 0; i--) {
    const since = t.runs[i];
    if (since !== null && since !== undefined && eff - since >= rule.levels[i]!.forMs) return i;
  }
  return -1;
}

/** Whether some level is running towards its duration and could still be met by time passing alone. */
export function hasPending(t: Tracker, rule: LeveledRule, at: number): boolean {
  if (at > t.lastTs + rule.maxGapMs) return false;
  const eff = effectiveTime(t, rule, at);
  return rule.levels.some((l, i) => {
    const since = t.runs[i];
    return since !== null && since !== undefined && l.forMs > 0 && eff - since < l.forMs && i > t.met;
  });
}

/**
 * Rate rules: adds the sample and returns the least-squares slope in signal units per hour over the
 * window, or null until the samples span minSpanMs. Least squares, not first/last, so one noisy reading at
 * either end does not swing it (same reasoning as riverLevel.ts).
 */
export function rateOf(t: Tracker, rule: Extract<Rule, { kind: 'rate' }>, ts: number, value: number): number | null {
  const s = t.samples ?? (t.samples = []);
  s.push({ ts, v: value });
  const from = ts - rule.windowMs;
  let drop = 0;
  while (drop < s.length && s[drop]!.ts < from) drop++;
  if (s.length - drop > RATE_MAX_SAMPLES) drop = s.length - RATE_MAX_SAMPLES;
  if (drop > 0) s.splice(0, drop);
  if (s.length < 2 || s[s.length - 1]!.ts - s[0]!.ts < rule.minSpanMs) return null;
  const t0 = s[0]!.ts;
  const n = s.length;
  // Centre before squaring: epoch milliseconds squared lose precision.
  let tMean = 0;
  let vMean = 0;
  for (const p of s) {
    tMean += p.ts - t0;
    vMean += p.v;
  }
  tMean /= n;
  vMean /= n;
  let sxy = 0;
  let sxx = 0;
  for (const p of s) {
    const dt = p.ts - t0 - tMean;
    sxy += dt * (p.v - vMean);
    sxx += dt * dt;
  }
  return sxx === 0 ? null : (sxy / sxx) * 3_600_000;
}
