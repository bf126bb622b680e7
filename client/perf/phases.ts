/**
 * Where an update's main-thread time goes, for the bench's frame-rate part (issue 18 part 4): applying a delta
 * to the store, the store's notification of its listeners, the map's layer update (ours and deck.gl's), deck.gl's
 * draw and React's render, each as its own time
 * (a phase inside another is not counted twice). Sums and counts only, so nothing grows; `window.__iocPhases`
 * lets bench/frame/instrument.ts read and reset them. Two clock reads per phase: cheap enough to stay on.
 */
export const PHASES = ['store', 'notify', 'layers', 'draw', 'react'] as const;
export type Phase = (typeof PHASES)[number];

export interface PhaseTotals {
  /** Own time per phase, ms. */
  ms: Record<Phase, number>;
  /** How often each phase ran. */
  runs: Record<Phase, number>;
}

const zero = (): Record<Phase, number> => ({ store: 0, notify: 0, layers: 0, draw: 0, react: 0 });

export class PhaseClock {
  private totals: PhaseTotals = { ms: zero(), runs: zero() };
  /** Time spent in phases nested in the one running now. */
  private nested = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Runs `fn` as `phase`; the phases it runs itself are taken out of its time. */
  time<T>(phase: Phase, fn: () => T): T {
    const t0 = this.now();
    const outer = this.nested;
    this.nested = 0;
    try {
      return fn();
    } finally {
      const d = this.now() - t0;
      this.add(phase, d - this.nested);
      this.nested = outer + d;
    }
  }

  /**
   * From now until the microtasks queued before this call have run, as `phase`: a store's listeners have
   * scheduled React's render, which React 18+ runs for an external store's change in a microtask of the same
   * task (render, commit and layout effects).
   */
  untilMicrotasks(phase: Phase): void {
    const t0 = this.now();
    queueMicrotask(() => this.add(phase, this.now() - t0));
  }

  /** Time measured elsewhere (deck.gl's render callbacks). */
  add(phase: Phase, ms: number): void {
    this.totals.ms[phase] += ms;
    this.totals.runs[phase]++;
  }

  read(): PhaseTotals {
    return { ms: { ...this.totals.ms }, runs: { ...this.totals.runs } };
  }

  reset(): void {
    this.totals = { ms: zero(), runs: zero() };
  }
}

export const phases = new PhaseClock();

if (typeof window !== 'undefined') {
  (window as unknown as { __iocPhases?: PhaseClock }).__iocPhases = phases;
}
