/**
 * Progress output for every long-running simulator command: on a terminal one live status line,
 * rewritten in place; in a pipe or a log a plain line every few seconds; log lines in between never
 * tangle with the status line. The caller prints its own summary at the end.
 */

export const TTY_REFRESH_MS = 500;
export const PLAIN_EVERY_MS = 5000;

export interface StatusOutput {
  write(s: string): unknown;
  isTTY?: boolean;
  /** Terminal width: a live line longer than this would wrap and could not be redrawn in place. */
  columns?: number;
}

export interface StatusLine {
  /** Prints a line above the status line. */
  print(line: string): void;
  /** Redraws now (the timer also does). */
  refresh(): void;
  /** Stops refreshing and clears the live line. */
  stop(): void;
}

export function createStatusLine(
  out: StatusOutput,
  render: () => string,
  opts: { ttyRefreshMs?: number; plainEveryMs?: number } = {},
): StatusLine {
  const tty = out.isTTY === true;
  let shown = false;
  const clear = () => {
    if (tty && shown) out.write('\r\x1b[2K');
    shown = false;
  };
  const refresh = () => {
    const line = render();
    if (tty) {
      const width = out.columns ?? 0;
      out.write(`\r\x1b[2K${width > 1 && line.length >= width ? `${line.slice(0, width - 2)}…` : line}`);
      shown = true;
    } else out.write(`${line}\n`);
  };
  const timer = setInterval(refresh, tty ? (opts.ttyRefreshMs ?? TTY_REFRESH_MS) : (opts.plainEveryMs ?? PLAIN_EVERY_MS));
  timer.unref?.();
  return {
    print(line) {
      clear();
      out.write(`${line}\n`);
    },
    refresh,
    stop() {
      clearInterval(timer);
      clear();
    },
  };
}

/** Events per second over a sliding window, from counts added as they happen. Bounded: one slot per second. */
export class RateMeter {
  private readonly slots: number[];
  private readonly slotSec: number[];

  constructor(
    private readonly clock: () => number = Date.now,
    private readonly windowSec = 5,
  ) {
    this.slots = new Array<number>(windowSec + 1).fill(0);
    this.slotSec = new Array<number>(windowSec + 1).fill(-1);
  }

  add(n = 1): void {
    const sec = Math.floor(this.clock() / 1000);
    const k = sec % this.slots.length;
    if (this.slotSec[k] !== sec) {
      this.slotSec[k] = sec;
      this.slots[k] = 0;
    }
    this.slots[k]! += n;
  }

  /** Mean over the last `windowSec` complete seconds. */
  perSec(): number {
    const sec = Math.floor(this.clock() / 1000);
    let sum = 0;
    for (let k = 0; k < this.slots.length; k++) {
      const s = this.slotSec[k]!;
      if (s < sec && s >= sec - this.windowSec) sum += this.slots[k]!;
    }
    return sum / this.windowSec;
  }
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(s / 3600))}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
}

const int = new Intl.NumberFormat('en-US');
export const formatInt = (n: number): string => int.format(Math.round(n));

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
