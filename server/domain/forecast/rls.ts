/**
 * Recursive least squares with exponential forgetting: the updating step of a data-based ARX model
 * (Young, "Recursive Estimation and Time-Series Analysis"; Romanowicz, Young & Beven, Water Resources
 * Research 42, 2006, doi:10.1029/2005WR004373). Old pairs weigh λ^age, so the fit follows a river whose
 * response drifts (bed changes, a new dam release rule) without a periodic refit.
 *
 *   e = y − θᵀx,   k = P x / (λ + xᵀ P x),   θ ← θ + k e,   P ← (P − k xᵀ P) / λ
 */

export interface RlsConfig {
  /** Number of regressors, the intercept included if the caller wants one. */
  size: number;
  /** Forgetting factor λ in (0, 1]; 1 is ordinary least squares. Memory is about 1/(1 − λ) updates. */
  lambda: number;
  /** P starts as δ·I: a large δ says "know nothing", so the first pairs move θ freely. */
  delta: number;
  /**
   * Ceiling on P's diagonal. With λ < 1 and a regressor that stays zero (no rain for weeks), P grows as
   * λ^−n in that direction ("covariance wind-up") and the first rain would throw θ about.
   */
  maxVariance: number;
}

export interface Rls {
  readonly theta: readonly number[];
  /** How many pairs the model has learnt from. */
  readonly updates: number;
  predict(x: readonly number[]): number;
  /** Learns one pair; non-finite pairs are refused (returns false) so one bad reading can't poison θ. */
  update(x: readonly number[], y: number): boolean;
}

export const DEFAULT_RLS: Omit<RlsConfig, 'size'> = { lambda: 0.9999, delta: 1e3, maxVariance: 1e4 };

export function createRls(cfg: RlsConfig): Rls {
  const n = cfg.size;
  if (!(cfg.lambda > 0 && cfg.lambda <= 1)) throw new Error(`RLS: lambda ${cfg.lambda} not in (0, 1]`);
  const theta = new Array<number>(n).fill(0);
  // P is symmetric; kept full (n is ~10) for clarity over speed.
  const p: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? cfg.delta : 0)));
  let updates = 0;

  const dot = (a: readonly number[], b: readonly number[]): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
    return s;
  };

  return {
    theta,
    get updates() {
      return updates;
    },
    predict: (x) => dot(theta, x),
    update(x, y) {
      if (x.length !== n) throw new Error(`RLS: expected ${n} regressors, got ${x.length}`);
      if (!Number.isFinite(y) || !x.every(Number.isFinite)) return false;
      const px = p.map((row) => dot(row, x));
      const denom = cfg.lambda + dot(x, px);
      const e = y - dot(theta, x);
      const k = px.map((v) => v / denom);
      for (let i = 0; i < n; i++) theta[i] = (theta[i] ?? 0) + (k[i] ?? 0) * e;
      // P ← (P − k (P x)ᵀ) / λ, using P's symmetry (xᵀP = (Px)ᵀ).
      for (let i = 0; i < n; i++) {
        const row = p[i] as number[];
        const ki = k[i] ?? 0;
        for (let j = 0; j < n; j++) row[j] = ((row[j] ?? 0) - ki * (px[j] ?? 0)) / cfg.lambda;
      }
      // Scale P as D P D (D diagonal, positive) where a variance ran over the ceiling: stays positive definite.
      const d = p.map((row, i) => Math.min(1, Math.sqrt(cfg.maxVariance / Math.max(row[i] ?? 0, Number.MIN_VALUE))));
      if (d.some((v) => v < 1)) {
        for (let i = 0; i < n; i++) {
          const row = p[i] as number[];
          for (let j = 0; j < n; j++) row[j] = (row[j] ?? 0) * (d[i] ?? 1) * (d[j] ?? 1);
        }
      }
      updates++;
      return true;
    },
  };
}
