/**
 * Quantitative rain forecasts (QPF) of one rain gauge's point, as the hydro-meteorological service issues them
 * (MQTT `rain/<id>/forecast`, shared/mqtt.ts): at `issuedAt`, the rain expected in each of the next steps.
 * The river forecaster reads the forecast rain over its lead from the latest issue known at its issue time:
 * a forecast issued after that instant is never read, even when it is already here (a replay fed in bulk).
 */

export interface RainForecastIssue {
  issuedAt: number;
  stepMs: number;
  /** Rain in (issuedAt + k·stepMs, issuedAt + (k+1)·stepMs], mm, k = 0, 1, … */
  mm: readonly number[];
}

/** Issues kept per gauge: a day of hourly issues is far more than any read needs (the latest one). */
export const MAX_RAIN_FORECAST_ISSUES = 24;

export class RainForecasts {
  private readonly issues: RainForecastIssue[] = [];

  constructor(readonly cap = MAX_RAIN_FORECAST_ISSUES) {}

  get size(): number {
    return this.issues.length;
  }

  /** Adds an issue in time order (a repeat of an issue time replaces it); beyond `cap` the oldest goes. */
  add(f: RainForecastIssue): void {
    if (!Number.isFinite(f.issuedAt) || !(f.stepMs > 0) || f.mm.length === 0 || !f.mm.every((v) => Number.isFinite(v) && v >= 0)) return;
    let i = this.issues.length;
    while (i > 0 && this.issues[i - 1]!.issuedAt > f.issuedAt) i--;
    if (i > 0 && this.issues[i - 1]!.issuedAt === f.issuedAt) this.issues[i - 1] = f;
    else this.issues.splice(i, 0, f);
    if (this.issues.length > this.cap) this.issues.splice(0, this.issues.length - this.cap);
  }

  /** Drops issues made before `ts`, but never the newest one made at or before it (it may still be read). */
  dropBefore(ts: number): void {
    let n = 0;
    while (n + 1 < this.issues.length && this.issues[n + 1]!.issuedAt <= ts) n++;
    if (n > 0) this.issues.splice(0, n);
  }

  /** The latest issue made at or before `asOf` and at most `maxAgeMs` before it. */
  latest(asOf: number, maxAgeMs: number): RainForecastIssue | undefined {
    for (let i = this.issues.length - 1; i >= 0; i--) {
      const f = this.issues[i]!;
      if (f.issuedAt <= asOf) return asOf - f.issuedAt <= maxAgeMs ? f : undefined;
    }
    return undefined;
  }

  /**
   * Forecast rain in (from, to] (mm) from the latest issue known at `asOf`, each step's rain spread evenly
   * over it; the part of the window beyond the issue's last step counts nothing. Undefined with no issue.
   */
  sumIn(from: number, to: number, asOf: number, maxAgeMs: number): number | undefined {
    const f = this.latest(asOf, maxAgeMs);
    if (!f) return undefined;
    let s = 0;
    for (let k = 0; k < f.mm.length; k++) {
      const a = f.issuedAt + k * f.stepMs;
      const b = a + f.stepMs;
      const overlap = Math.min(b, to) - Math.max(a, from);
      if (overlap > 0) s += (f.mm[k]! * overlap) / f.stepMs;
    }
    return s;
  }
}
