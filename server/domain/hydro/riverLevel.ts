/**
 * River flood alarm levels (báo động I/II/III, STANDARDS.md §3). The levels are per-gauge configuration,
 * never constants here: the published values are back-calculated from flood bulletins (⚠).
 * Levels are in metres, rates in cm/h (how bulletins state them), times in ms.
 */

export interface AlarmLevels {
  /** BĐ I, BĐ II, BĐ III in metres; strictly increasing. */
  bd1: number;
  bd2: number;
  bd3: number;
}

export type AlarmStage = 0 | 1 | 2 | 3;

export interface LevelSample {
  ts: number;
  /** Water level in metres. */
  level: number;
}

const HOUR_MS = 3_600_000;

/** The rate looks back this far from `now`. */
export const RATE_WINDOW_MS = HOUR_MS;
/** Samples in the window must span at least this long, so two readings a minute apart don't make a trend. */
export const RATE_MIN_SPAN_MS = 30 * 60_000;

function thresholds(cfg: AlarmLevels): readonly [number, number, number] {
  if (!(cfg.bd1 < cfg.bd2 && cfg.bd2 < cfg.bd3)) {
    throw new RangeError(`alarm levels must increase: BĐ I ${cfg.bd1}, BĐ II ${cfg.bd2}, BĐ III ${cfg.bd3}`);
  }
  return [cfg.bd1, cfg.bd2, cfg.bd3];
}

/** Highest alarm level reached; reaching a level exactly counts (bulletins say "at BĐ II" once equal). */
export function alarmStage(level: number, cfg: AlarmLevels): AlarmStage {
  const [b1, b2, b3] = thresholds(cfg);
  if (level >= b3) return 3;
  if (level >= b2) return 2;
  if (level >= b1) return 1;
  return 0;
}

/**
 * Rate of rise (cm/h, negative when falling) over the samples in [now − 1 h, now]: the least-squares slope,
 * so one noisy reading at either end doesn't swing it the way first/last would. Samples after `now` are
 * ignored; order doesn't matter. Null unless there are ≥ 2 samples spanning ≥ 30 min.
 */
export function riseRateCmPerHour(series: readonly LevelSample[], now: number): number | null {
  const win = series.filter(
    (s) => s.ts >= now - RATE_WINDOW_MS && s.ts <= now && Number.isFinite(s.level) && Number.isFinite(s.ts),
  );
  if (win.length < 2) return null;
  let tMin = Infinity;
  let tMax = -Infinity;
  for (const s of win) {
    tMin = Math.min(tMin, s.ts);
    tMax = Math.max(tMax, s.ts);
  }
  if (tMax - tMin < RATE_MIN_SPAN_MS) return null;
  // Centre time and level before squaring: epoch milliseconds squared would lose precision.
  const n = win.length;
  const tMean = win.reduce((a, s) => a + (s.ts - tMin), 0) / n;
  const lMean = win.reduce((a, s) => a + s.level, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const s of win) {
    const dt = s.ts - tMin - tMean;
    sxy += dt * (s.level - lMean);
    sxx += dt * dt;
  }
  const metresPerMs = sxy / sxx;
  return metresPerMs * 100 * HOUR_MS;
}

/**
 * Time until the next alarm level at a constant rate, in ms. Null when the river is steady or falling,
 * when the rate is unknown, or when it is already at or above BĐ III (there is no next level).
 */
export function timeToNextLevelMs(level: number, rateCmH: number | null, cfg: AlarmLevels): number | null {
  const stage = alarmStage(level, cfg);
  if (stage === 3 || rateCmH === null || !(rateCmH > 0)) return null;
  const next = thresholds(cfg)[stage];
  return (((next - level) * 100) / rateCmH) * HOUR_MS;
}
