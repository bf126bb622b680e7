/**
 * Industrial wastewater compliance (STANDARDS.md §2). The limits are data keyed by regulation id, and the
 * regulation is a per-station setting: QCVN 40:2025 replaces 2011 for new facilities but its table could not
 * be retrieved, so adding it must be a data change (a new key in WASTEWATER_REGULATIONS), not a code change.
 */

export const WATER_PARAMS = ['temperature', 'color', 'pH', 'bod5', 'cod', 'tss', 'nh4', 'totalN', 'totalP'] as const;
export type WaterParam = (typeof WATER_PARAMS)[number];

export type DischargeColumn = 'A' | 'B';

/** A ceiling, or (pH) an allowed range, both bounds inclusive. */
export type WaterLimit = { kind: 'max'; max: number } | { kind: 'range'; min: number; max: number };

export interface ParamLimit {
  unit: string;
  /** Whether Cmax = C · Kq · Kf; false where the regulation says Cmax = C (temperature, colour, pH). */
  scaledByKqKf: boolean;
  A: WaterLimit;
  B: WaterLimit;
}

export interface WastewaterRegulation {
  title: string;
  /** Partial so a later regulation may drop or add parameters. */
  limits: Readonly<Partial<Record<WaterParam, ParamLimit>>>;
}

const max = (m: number): WaterLimit => ({ kind: 'max', max: m });
const scaled = (unit: string, a: number, b: number): ParamLimit => ({ unit, scaledByKqKf: true, A: max(a), B: max(b) });

export const WASTEWATER_REGULATIONS = {
  'QCVN40:2011': {
    title: 'QCVN 40:2011/BTNMT',
    limits: {
      temperature: { unit: '°C', scaledByKqKf: false, A: max(40), B: max(40) },
      color: { unit: 'Pt/Co', scaledByKqKf: false, A: max(50), B: max(150) },
      pH: {
        unit: '',
        scaledByKqKf: false,
        A: { kind: 'range', min: 6, max: 9 },
        B: { kind: 'range', min: 5.5, max: 9 },
      },
      bod5: scaled('mg/L', 30, 50),
      cod: scaled('mg/L', 75, 150),
      tss: scaled('mg/L', 50, 100),
      nh4: scaled('mg/L', 5, 10), // as NH4⁺-N
      totalN: scaled('mg/L', 20, 40),
      totalP: scaled('mg/L', 4, 6),
    },
  },
} as const satisfies Record<string, WastewaterRegulation>;

export type RegulationId = keyof typeof WASTEWATER_REGULATIONS;

/**
 * Permitted maximum for a station: Cmax = C · Kq · Kf, or C for the unscaled parameters. Null when the
 * regulation has no limit for the parameter. Kq and Kf come from station configuration (⚠ STANDARDS.md §2).
 */
export function permittedMax(
  reg: RegulationId,
  column: DischargeColumn,
  param: WaterParam,
  kq: number,
  kf: number,
): WaterLimit | null {
  if (!(kq > 0 && Number.isFinite(kq)) || !(kf > 0 && Number.isFinite(kf))) {
    throw new RangeError(`Kq and Kf must be positive numbers (got Kq=${kq}, Kf=${kf})`);
  }
  const limits: WastewaterRegulation['limits'] = WASTEWATER_REGULATIONS[reg].limits;
  const p = limits[param];
  if (!p) return null;
  const limit = p[column];
  if (!p.scaledByKqKf) return limit;
  // Trim binary noise so 75 · 0.9 · 1.2 reads 81, not 80.99999999999999, on the wall.
  const factor = (v: number): number => Number((v * kq * kf).toFixed(9));
  return limit.kind === 'max'
    ? { kind: 'max', max: factor(limit.max) }
    : { kind: 'range', min: factor(limit.min), max: factor(limit.max) };
}

export type ComplianceStatus = 'within' | 'near' | 'exceeding';

/** 'near' starts at this share of a ceiling (issue 3). */
export const NEAR_FRACTION = 0.8;

/**
 * For a range (pH) "80 % of the limit" means nothing, so 'near' is: inside the range but within this
 * distance of either bound. 0.5 pH unit is our choice, not the regulation's.
 */
export const NEAR_RANGE_MARGIN: Readonly<Partial<Record<WaterParam, number>>> = { pH: 0.5 };
const DEFAULT_RANGE_MARGIN = 0.5;

// Comparisons at exact edges (value = 0.8 · limit) must not depend on binary rounding.
const EPS = 1e-9;

/** Status of one value against its permitted limit. The limit itself is allowed (= limit is not exceeding). */
export function assess(param: WaterParam, value: number, limit: WaterLimit): ComplianceStatus {
  if (!Number.isFinite(value)) throw new RangeError(`${param}: value must be a finite number (got ${value})`);
  if (limit.kind === 'range') {
    if (value < limit.min - EPS || value > limit.max + EPS) return 'exceeding';
    const margin = NEAR_RANGE_MARGIN[param] ?? DEFAULT_RANGE_MARGIN;
    if (value <= limit.min + margin + EPS || value >= limit.max - margin - EPS) return 'near';
    return 'within';
  }
  if (value > limit.max + EPS * Math.max(1, limit.max)) return 'exceeding';
  if (value >= NEAR_FRACTION * limit.max - EPS * Math.max(1, limit.max)) return 'near';
  return 'within';
}

/** Running state of one parameter's exceedance; start from EXCEEDANCE_INITIAL. */
export interface ExceedanceState {
  /** Timestamp (ms) of the first sample of the current unbroken exceedance, or null when not exceeding. */
  since: number | null;
  /** Timestamp of the last sample accepted. */
  lastTs: number | null;
  /** How long it has exceeded as of lastTs (ms); 0 when not exceeding. */
  durationMs: number;
}

export const EXCEEDANCE_INITIAL: ExceedanceState = { since: null, lastTs: null, durationMs: 0 };

/**
 * Feed samples in time order; returns the new state (the input is not modified). A sample older than the
 * last one is ignored (state returned unchanged) because a late sample cannot tell whether the run was
 * unbroken. 'near' ends an exceedance. When consecutive samples are more than `maxGapMs` apart (a station
 * offline), the run restarts at the new sample: nobody knows what happened during the gap.
 */
export function exceedanceSince(
  prev: ExceedanceState,
  ts: number,
  status: ComplianceStatus,
  maxGapMs = Infinity,
): ExceedanceState {
  if (prev.lastTs !== null && ts < prev.lastTs) return prev;
  if (status !== 'exceeding') return { since: null, lastTs: ts, durationMs: 0 };
  const gap = prev.lastTs === null ? 0 : ts - prev.lastTs;
  const since = prev.since !== null && gap <= maxGapMs ? prev.since : ts;
  return { since, lastTs: ts, durationMs: ts - since };
}

/**
 * Whether one station's samples of a window, fed in order from no state, leave every limited parameter's
 * exceedance where a feed of all its earlier samples too would: each ends outside an exceedance, or in one that
 * began after the parameter's first sample in the window (a non-exceeding sample or a gap restarted it there,
 * and nothing before a restart counts). A run going on since the window's first sample may have begun before it.
 */
export function exceedanceSettledWithin(
  limits: Readonly<Partial<Record<WaterParam, WaterLimit>>>,
  maxGapMs: number,
  samples: readonly { ts: number; values: Readonly<Record<string, number>> }[],
): boolean {
  const state = new Map<WaterParam, ExceedanceState>();
  const first = new Map<WaterParam, number>();
  for (const s of samples) {
    for (const [k, v] of Object.entries(s.values)) {
      const p = k as WaterParam;
      const limit = limits[p];
      if (!limit) continue;
      if (!first.has(p)) first.set(p, s.ts);
      state.set(p, exceedanceSince(state.get(p) ?? EXCEEDANCE_INITIAL, s.ts, assess(p, v, limit), maxGapMs));
    }
  }
  for (const [p, st] of state) if (st.since !== null && st.since === first.get(p)) return false;
  return true;
}

/** How long it has exceeded as of `now` (ms), or null when not exceeding. */
export function exceedingForMs(state: ExceedanceState, now: number): number | null {
  return state.since === null ? null : Math.max(0, now - state.since);
}
