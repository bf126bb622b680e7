/**
 * The SQLite reading store with its writes on a worker thread (issue 15: the server must keep reading). SQLite
 * is synchronous: a transaction of 4,000 rows with its rollups holds the thread that runs it for tens of ms, and
 * at tens of thousands of messages a second the writes filled the event loop (p99 delay of 300–400 ms in the
 * ingest bench). Here the appends and the retention deletes run on a connection of their own in a worker
 * (sqliteWriterThread.ts) while this thread's connection serves the reads; WAL lets both work at once and the
 * reads see each write once it commits. New devices and metrics a write adds come back with its answer, so the
 * reading connection can name them.
 *
 * Only for a file (an in-memory database is private to its connection). If the worker dies, every pending and
 * later write fails with the reason (the writer counts them; the reads go on).
 */
import { Worker } from 'node:worker_threads';
import type { AppendResult, PruneRequest, Reading, ReadingStore } from './port';
import { SqliteReadingStore, type NewDims, type SqliteReadingStoreOptions } from './sqliteEngine';

type WriterOp = { op: 'append'; batch: readonly Reading[] } | { op: 'prune'; req: PruneRequest } | { op: 'close' };
export type WriterRequest = WriterOp & { id: number };

export type WriterReply =
  | { id: number; ok: true; ready?: true; result?: AppendResult; created?: NewDims; pruned?: { rawRows: number } }
  | { id: number; ok: false; error: string };

/** The worker runs TypeScript: under `tsx` and under Vitest alike, its JavaScript entry registers tsx first. */
const WORKER_URL = new URL('./sqliteWriterThread.boot.mjs', import.meta.url);

export async function openThreadedSqliteReadingStore(opts: Omit<SqliteReadingStoreOptions, 'now'>): Promise<ReadingStore> {
  if (opts.file === ':memory:') throw new Error('a threaded SQLite store needs a file');
  // This connection first: it runs the migrations before the writer opens the file.
  const reader = new SqliteReadingStore(opts);
  const worker = new Worker(WORKER_URL, { workerData: opts });
  const store = new ThreadedSqliteReadingStore(reader, worker);
  try {
    await store.ready;
  } catch (err) {
    await reader.close();
    throw err;
  }
  return store;
}

class ThreadedSqliteReadingStore implements ReadingStore {
  readonly ready: Promise<void>;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (r: WriterReply & { ok: true }) => void; reject: (e: Error) => void }>();
  private broken: Error | null = null;
  private closed = false;

  constructor(
    private readonly reader: SqliteReadingStore,
    private readonly worker: Worker,
  ) {
    this.ready = new Promise((resolve, reject) => {
      this.pending.set(0, { resolve: () => resolve(), reject });
    });
    worker.on('message', (m: WriterReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m);
      else p.reject(new Error(`reading store writer: ${m.error}`));
    });
    const fail = (err: Error) => {
      this.broken = err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', (err) => fail(new Error(`reading store writer thread failed: ${err.message}`)));
    worker.on('exit', (code) => {
      if (!this.closed) fail(new Error(`reading store writer thread exited (${code})`));
    });
  }

  private call(req: WriterOp): Promise<WriterReply & { ok: true }> {
    if (this.broken) return Promise.reject(this.broken);
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const msg: WriterRequest = { ...req, id };
      this.worker.postMessage(msg);
    });
  }

  async append(batch: readonly Reading[]): Promise<AppendResult> {
    const r = await this.call({ op: 'append', batch });
    if (r.created) this.reader.learnDims(r.created);
    return r.result!;
  }

  async prune(req: PruneRequest): Promise<{ rawRows: number }> {
    return (await this.call({ op: 'prune', req })).pruned!;
  }

  range: ReadingStore['range'] = (...a) => this.reader.range(...a);
  rangeBucketed: ReadingStore['rangeBucketed'] = (...a) => this.reader.rangeBucketed(...a);
  rangeBucketedMany: ReadingStore['rangeBucketedMany'] = (...a) => this.reader.rangeBucketedMany(...a);
  latestAt: ReadingStore['latestAt'] = (...a) => this.reader.latestAt(...a);
  exportRange: ReadingStore['exportRange'] = (...a) => this.reader.exportRange(...a);
  sizeBytes: ReadingStore['sizeBytes'] = () => this.reader.sizeBytes();
  coverage: ReadingStore['coverage'] = () => this.reader.coverage();

  async close(): Promise<void> {
    if (this.closed) return;
    if (!this.broken) await this.call({ op: 'close' }).catch(() => undefined);
    this.closed = true;
    await this.worker.terminate();
    await this.reader.close();
  }
}
