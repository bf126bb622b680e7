/**
 * The leader's alarm engine on PostgreSQL. The engine is synchronous and keeps its open alarms in memory (it
 * answers in microseconds, every tick); the shared store is asynchronous. This port takes the engine's writes at
 * once, in order, and writes them behind it, one transaction each, each alarm row updated only if its version
 * (rev) in the database is still the one this leader last wrote: two instances never both apply a change (a
 * second leader in a split brain gets a conflict, writes nothing of that batch, and is told to reload).
 *
 * While PostgreSQL is away the writes wait in a bounded queue and are retried in order; past the cap the
 * oldest is dropped and counted (the alarm stays on the walls; its row catches up with its next change).
 */
import type { Alarm } from '../../shared/alarms';
import type { AlarmStorePort, AlarmWrite } from '../alarms/storePort';

export interface AlarmRecordsWriter {
  /** One write in one transaction; rows updated only `WHERE rev = prevRev(id)` (inserted when undefined). */
  write(w: AlarmWrite, prevRev: (id: number) => number | undefined): Promise<{ conflicts: number[] }>;
}

export const WRITE_BEHIND_CAP = 10_000;
const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 5_000;

export interface WriteBehindStats {
  queued: number;
  written: number;
  dropped: number;
  conflicts: number;
  errors: number;
  lastError: string | null;
  /** Duration of the last successful write, ms. */
  lastWriteMs: number | null;
}

interface Pending {
  w: AlarmWrite;
  prev: Map<number, number | undefined>;
}

export class WriteBehindAlarmPort implements AlarmStorePort {
  private queue: Pending[] = [];
  /** Each alarm's rev as the last queued write leaves it: the version the next write of it expects. */
  private readonly known = new Map<number, number>();
  private draining: Promise<void> | null = null;
  private closed = false;
  private readonly st: WriteBehindStats = { queued: 0, written: 0, dropped: 0, conflicts: 0, errors: 0, lastError: null, lastWriteMs: null };

  constructor(
    private readonly records: AlarmRecordsWriter,
    private readonly preload: { open: Alarm[]; ids: { alarmId: number; rev: number } },
    private readonly hooks: { onConflict?: (ids: number[]) => void; onError?: (err: unknown) => void } = {},
    private readonly cap = WRITE_BEHIND_CAP,
  ) {
    for (const a of preload.open) this.known.set(a.id, a.rev);
  }

  maxIds(): { alarmId: number; rev: number } {
    return this.preload.ids;
  }

  loadOpen(): Alarm[] {
    return this.preload.open;
  }

  /** Closed alarms are not held here: an action on one answers "not found" (the list and history say why). */
  get(): Alarm | undefined {
    return undefined;
  }

  write(w: AlarmWrite): void {
    if (this.closed) return;
    const prev = new Map<number, number | undefined>();
    for (const a of w.alarms) {
      prev.set(a.id, this.known.get(a.id));
      this.known.set(a.id, a.rev);
    }
    if (this.queue.length >= this.cap) {
      this.queue.shift();
      this.st.dropped++;
    }
    this.queue.push({ w, prev });
    this.kick();
  }

  stats(): WriteBehindStats {
    return { ...this.st, queued: this.queue.length };
  }

  /**
   * Resolves when everything queued so far is written (or dropped), or after `timeoutMs` (PostgreSQL away: the
   * writes stay queued and retried).
   */
  async flush(timeoutMs = Infinity): Promise<void> {
    const drained = (async () => {
      while (this.draining) await this.draining;
    })();
    if (!Number.isFinite(timeoutMs)) return drained;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([drained, new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
  }

  /** Stops taking writes; waits at most `timeoutMs` for the queue to drain. */
  async close(timeoutMs = 5_000): Promise<void> {
    this.closed = true;
    await this.flush(timeoutMs);
    this.queue = [];
  }

  private kick(): void {
    if (this.draining) return;
    this.draining = this.drain().finally(() => (this.draining = null));
  }

  private async drain(): Promise<void> {
    let delay = RETRY_MIN_MS;
    while (this.queue.length > 0) {
      const item = this.queue[0]!;
      const t0 = performance.now();
      try {
        const { conflicts } = await this.records.write(item.w, (id) => item.prev.get(id));
        this.queue.shift();
        delay = RETRY_MIN_MS;
        if (conflicts.length > 0) {
          this.st.conflicts += conflicts.length;
          // What the database holds is not what this leader thinks: forget its versions of them.
          for (const id of conflicts) this.known.delete(id);
          this.hooks.onConflict?.(conflicts);
        } else {
          this.st.written++;
          this.st.lastWriteMs = performance.now() - t0;
          this.st.lastError = null;
        }
      } catch (err) {
        this.st.errors++;
        this.st.lastError = (err as Error).message;
        this.hooks.onError?.(err);
        if (this.closed) return;
        await new Promise((r) => setTimeout(r, delay).unref());
        delay = Math.min(delay * 2, RETRY_MAX_MS);
      }
    }
  }
}
