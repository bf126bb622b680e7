/**
 * Retention of the reading store (issue 13): raw rows older than `rawDays` go, minute rollups older than
 * `minuteDays` when set, hourly rollups are kept. Runs shortly after start and then every hour; one run at a
 * time (a slow database never stacks prunes); on the leader only in a cluster (the caller decides). What it did
 * is in /api/health (`store.retention`).
 */
import type { Logger } from 'pino';
import type { ReadingStore } from './port';

const DAY = 86_400_000;

export interface RetentionPolicy {
  /** Raw readings are kept this many days (default 90). */
  rawDays: number;
  /** Minute rollups are kept this many days; null: kept (default). Hourly rollups are always kept. */
  minuteDays: number | null;
}

export const DEFAULT_RETENTION: RetentionPolicy = { rawDays: 90, minuteDays: null };

export interface RetentionStats {
  policy: RetentionPolicy;
  runs: number;
  failures: number;
  lastRunAt: number | null;
  lastRawRows: number | null;
  lastMs: number | null;
  lastError: string | null;
}

export interface RetentionOptions {
  store: Pick<ReadingStore, 'prune'>;
  policy?: Partial<RetentionPolicy>;
  /** The clock readings are stamped with (simulated in a rehearsal). */
  now: () => number;
  log?: Pick<Logger, 'info' | 'warn'>;
  /** Whether this instance should prune now (a cluster's leader); default always. */
  shouldRun?: () => boolean;
  intervalMs?: number;
  firstDelayMs?: number;
}

export class RetentionJob {
  readonly policy: RetentionPolicy;
  private running: Promise<void> | null = null;
  private timers: ReturnType<typeof setTimeout>[] = [];
  private readonly s: Omit<RetentionStats, 'policy'> = { runs: 0, failures: 0, lastRunAt: null, lastRawRows: null, lastMs: null, lastError: null };

  constructor(private readonly opts: RetentionOptions) {
    this.policy = { ...DEFAULT_RETENTION, ...opts.policy };
    if (!(this.policy.rawDays > 0)) throw new RangeError('rawDays must be positive');
    if (this.policy.minuteDays !== null && this.policy.minuteDays < this.policy.rawDays) {
      throw new RangeError('minute rollups must be kept at least as long as raw readings');
    }
  }

  /** Prunes once; a call while a run is in progress joins it. */
  runOnce(): Promise<void> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<void> {
    if (this.opts.shouldRun && !this.opts.shouldRun()) return;
    const now = this.opts.now();
    const t0 = performance.now();
    try {
      const { rawRows } = await this.opts.store.prune({
        rawBefore: now - this.policy.rawDays * DAY,
        ...(this.policy.minuteDays !== null ? { minuteBefore: now - this.policy.minuteDays * DAY } : {}),
      });
      this.s.lastRawRows = rawRows;
      this.s.lastError = null;
      if (rawRows > 0) this.opts.log?.info({ rawRows, rawDays: this.policy.rawDays }, 'reading store: old raw readings pruned');
    } catch (err) {
      this.s.failures++;
      this.s.lastError = String(err);
      this.opts.log?.warn({ err }, 'reading store: retention prune failed; retried next hour');
    } finally {
      this.s.runs++;
      this.s.lastRunAt = now;
      this.s.lastMs = Math.round(performance.now() - t0);
    }
  }

  start(): void {
    const first = setTimeout(() => void this.runOnce(), this.opts.firstDelayMs ?? 60_000);
    const every = setInterval(() => void this.runOnce(), this.opts.intervalMs ?? 3_600_000);
    first.unref();
    every.unref();
    this.timers.push(first, every);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    await this.running;
  }

  stats(): RetentionStats {
    return { policy: this.policy, ...this.s };
  }
}
