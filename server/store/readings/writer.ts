/**
 * The bounded write queue in front of a reading store: the tick hands over its batch and returns at once
 * (DESIGN.md: writes leave the hot path). Batches are merged or split into transactions of about `txRows`
 * value rows, written one at a time. The queue holds at most `capRows` value rows, in flight included; what
 * does not fit is dropped and counted, so a stalled disk or database costs history, never memory.
 */
import { readingProblem, valueRows, type Reading, type ReadingStore } from './port';

export interface WriterStats {
  /** Value rows waiting or being written. */
  queued: number;
  /** Most value rows the queue holds (what `queued` is measured against). */
  capRows: number;
  /** Value rows the store inserted. */
  written: number;
  /** Value rows the store already had (same device, metric and ts). */
  duplicates: number;
  /** Value rows refused because the queue was full (or the writer closed). */
  dropped: number;
  /** Value rows of readings that fail the store's edge checks (never sent, so they cannot fail a batch). */
  rejected: number;
  /** Value rows given up after `maxAttempts` failed writes. */
  failed: number;
  /** Duration of the last successful write, ms (null before the first). */
  lastWriteMs: number | null;
  lastError: string | null;
  /** When the writes started failing (the first failed attempt since the last success); null while they succeed. */
  failingSince: number | null;
}

export interface ReadingWriterOptions {
  store: Pick<ReadingStore, 'append'>;
  /** Most value rows held (default 200,000: about 40 s of 2,300 devices at 1 Hz, about 60 MB). */
  capRows?: number;
  /** Value rows per transaction (default 20,000; a reading is never split). */
  txRows?: number;
  /**
   * Attempts per transaction before its rows count as failed (default 3), when the store answered with an error.
   * While the database cannot be reached (`isUnreachable`) the rows are held and retried until it is back.
   */
  maxAttempts?: number;
  /** Pause before a retry (default 1 s). */
  retryDelayMs?: number;
  now?: () => number;
  /** Told each successful write's duration (ms) and value rows: the store's latency histogram (/metrics). */
  onWrite?: (ms: number, rows: number) => void;
  /**
   * Told the settled position (value rows written or given up since start) after each transaction: held
   * acknowledgements wait on it (server/ingest/heldAcks.ts).
   */
  onSettled?: (position: number) => void;
}

interface Queued {
  reading: Reading;
  rows: number;
}

export class ReadingWriter {
  private readonly store: Pick<ReadingStore, 'append'>;
  private readonly capRows: number;
  private readonly txRows: number;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly now: () => number;
  private readonly onWrite: ((ms: number, rows: number) => void) | undefined;
  // A plain array with a moving head: shift() on a 100k-element array is O(n) per call.
  private queue: (Queued | undefined)[] = [];
  private head = 0;
  private pumping: Promise<void> | null = null;
  private closed = false;
  private readonly onSettled: ((position: number) => void) | undefined;
  /** Value rows ever queued, and ever settled (written or given up): the positions held acks wait on. */
  private queuedTotal = 0;
  private settledTotal = 0;
  private readonly s: WriterStats = {
    queued: 0,
    capRows: 0,
    written: 0,
    duplicates: 0,
    dropped: 0,
    rejected: 0,
    failed: 0,
    lastWriteMs: null,
    lastError: null,
    failingSince: null,
  };

  constructor(opts: ReadingWriterOptions) {
    this.store = opts.store;
    this.capRows = this.s.capRows = positiveInt(opts.capRows ?? 200_000, 'capRows');
    this.txRows = positiveInt(opts.txRows ?? 20_000, 'txRows');
    this.maxAttempts = positiveInt(opts.maxAttempts ?? 3, 'maxAttempts');
    this.retryDelayMs = opts.retryDelayMs ?? 1_000;
    this.now = opts.now ?? Date.now;
    this.onWrite = opts.onWrite;
    this.onSettled = opts.onSettled;
  }

  /** Queues what fits of a batch; returns the value rows accepted. Never waits and never throws. */
  offer(batch: readonly Reading[]): number {
    let accepted = 0;
    for (const reading of batch) {
      const rows = valueRows([reading]);
      if (this.closed || this.s.queued + rows > this.capRows) {
        this.s.dropped += rows;
        continue;
      }
      if (readingProblem(reading) !== null) {
        this.s.rejected += rows;
        continue;
      }
      this.queue.push({ reading, rows });
      this.s.queued += rows;
      this.queuedTotal += rows;
      accepted += rows;
    }
    if (accepted > 0) this.kick();
    return accepted;
  }

  /** Value rows ever queued: what `onSettled` reaches once everything queued so far is settled. */
  position(): number {
    return this.queuedTotal;
  }

  stats(): Readonly<WriterStats> {
    return { ...this.s };
  }

  /** Resolves once everything queued so far is written, given up, or the queue is empty. */
  async flush(): Promise<void> {
    while (this.pumping !== null) await this.pumping;
  }

  /** Refuses new batches (counted as dropped) and writes what is queued. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private kick(): void {
    if (this.pumping !== null) return;
    this.pumping = this.pump().finally(() => {
      this.pumping = null;
    });
  }

  private async pump(): Promise<void> {
    while (this.head < this.queue.length) {
      const chunk = this.take();
      const rows = valueRows(chunk);
      await this.writeWithRetry(chunk, rows);
      this.s.queued -= rows;
      this.settledTotal += rows;
      this.onSettled?.(this.settledTotal);
      // SQLite writes synchronously: give sockets and the tick a turn between transactions of a backlog.
      await new Promise<void>((resolve) => setImmediate(resolve));
      // Compact once the consumed head dominates, so the array does not keep references to written readings.
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
    }
    this.queue = [];
    this.head = 0;
  }

  /** Readings from the head making up at most txRows value rows (at least one reading). */
  private take(): Reading[] {
    const chunk: Reading[] = [];
    let rows = 0;
    while (this.head < this.queue.length) {
      const q = this.queue[this.head]!;
      if (chunk.length > 0 && rows + q.rows > this.txRows) break;
      chunk.push(q.reading);
      rows += q.rows;
      // Release the reference now: the written reading must not wait for the next compaction to be freed.
      this.queue[this.head] = undefined;
      this.head++;
    }
    return chunk;
  }

  private async writeWithRetry(chunk: readonly Reading[], rows: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const t0 = this.now();
      try {
        const res = await this.store.append(chunk);
        const ms = this.now() - t0;
        this.s.lastWriteMs = ms;
        this.s.written += res.inserted;
        this.s.duplicates += res.duplicates;
        this.s.failingSince = null;
        this.onWrite?.(ms, rows);
        return;
      } catch (err) {
        this.s.lastError = err instanceof Error ? err.message : String(err);
        this.s.failingSince ??= t0;
        // The database unreachable (down, restarting, a fail-over): the rows are held and retried until it is
        // back, while new ones queue up to the cap (beyond it, dropped and counted). Anything else the store
        // answered counts its attempts. On close, everything counts its attempts: shutdown must end.
        if (attempt >= this.maxAttempts && (this.closed || !isUnreachable(err))) {
          this.s.failed += rows;
          return;
        }
        await this.pause(attempt);
      }
    }
  }

  private pause(attempt: number): Promise<void> {
    if (this.retryDelayMs <= 0) return Promise.resolve();
    // Backing off to 5 s while a database stays away; unref: a pending retry must not keep the process alive.
    const ms = Math.min(this.retryDelayMs * 2 ** Math.max(0, attempt - this.maxAttempts), Math.max(this.retryDelayMs, 5_000));
    return new Promise((resolve) => setTimeout(resolve, ms).unref());
  }
}

/**
 * Whether an error says the database could not be reached, rather than that it refused the write: a network
 * error (ECONNREFUSED, ECONNRESET, a lost connection: no SQLSTATE) or PostgreSQL's connection and shutdown
 * classes (08, 57P01–57P03: admin or crash shutdown, cannot connect now). SQLite errors are the store answering.
 */
export function isUnreachable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^SQLITE_/.test(code)) return false;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code.startsWith('08') || /^57P0[1-3]$/.test(code);
  return err instanceof Error;
}

function positiveInt(n: number, name: string): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`reading writer: ${name} must be a positive integer`);
  return n;
}
