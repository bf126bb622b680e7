/**
 * Gzip NDJSON parts with rotation by size: FILE, FILE.1, FILE.2, … (format.ts). The compressed output
 * is flushed to disk every second (a sync flush), so a recorder killed hard loses at most that second and
 * the part's size on disk is known: a part is closed once its compressed size reaches `maxBytes`.
 * Memory is bounded: when the disk falls behind by more than `maxPendingBytes`, lines are dropped and
 * counted rather than queued.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { constants, createGzip, type Gzip } from 'node:zlib';
import { partPath } from './format';

const FLUSH_EVERY_MS = 1000;
const DEFAULT_MAX_PENDING_BYTES = 16 * 1024 * 1024;

interface Part {
  n: number;
  path: string;
  gzip: Gzip;
  file: WriteStream;
  compressed: number;
  closed: Promise<void>;
}

export interface WriterStats {
  part: number;
  path: string;
  lines: number;
  /** Compressed bytes written, all parts. */
  bytes: number;
  dropped: number;
}

export class RotatingGzipWriter {
  private part: Part;
  private lines = 0;
  private bytes = 0;
  private dropped = 0;
  /** Parts ended but not yet on disk. */
  private readonly closing = new Set<Promise<void>>();
  private readonly flushTimer: NodeJS.Timeout;
  private ended = false;

  constructor(
    private readonly base: string,
    private readonly maxBytes: number,
    /** The first line of every part. */
    private readonly header: (part: number) => string,
    private readonly maxPendingBytes = DEFAULT_MAX_PENDING_BYTES,
  ) {
    this.part = this.open(0);
    this.flushTimer = setInterval(() => this.part.gzip.flush(constants.Z_SYNC_FLUSH), FLUSH_EVERY_MS);
    this.flushTimer.unref();
  }

  stats(): WriterStats {
    return { part: this.part.n, path: this.part.path, lines: this.lines, bytes: this.bytes, dropped: this.dropped };
  }

  /** Returns false when the line was dropped (the disk is too far behind). */
  write(line: string): boolean {
    if (this.ended) return false;
    if (this.part.compressed >= this.maxBytes) this.rotate();
    if (this.part.gzip.writableLength > this.maxPendingBytes) {
      this.dropped++;
      return false;
    }
    this.part.gzip.write(line);
    this.lines++;
    return true;
  }

  async close(): Promise<WriterStats> {
    if (!this.ended) {
      this.ended = true;
      clearInterval(this.flushTimer);
      this.retire(this.part);
    }
    await Promise.all(this.closing);
    return this.stats();
  }

  private open(n: number): Part {
    const path = partPath(this.base, n);
    const gzip = createGzip();
    // 'wx': never overwrite a recording; the caller checks first and says so plainly.
    const file = createWriteStream(path, { flags: 'wx' });
    const part: Part = {
      n,
      path,
      gzip,
      file,
      compressed: 0,
      closed: new Promise<void>((resolve, reject) => {
        file.once('close', resolve);
        file.once('error', reject);
      }),
    };
    gzip.on('data', (chunk: Buffer) => {
      part.compressed += chunk.length;
      this.bytes += chunk.length;
    });
    gzip.pipe(file);
    gzip.write(this.header(n));
    return part;
  }

  private rotate(): void {
    this.retire(this.part);
    this.part = this.open(this.part.n + 1);
  }

  private retire(part: Part): void {
    part.gzip.end();
    const done = part.closed.finally(() => this.closing.delete(done));
    // Handled here so a failure between rotations is not "unhandled"; close() still reports it.
    done.catch(() => {});
    this.closing.add(done);
  }
}
