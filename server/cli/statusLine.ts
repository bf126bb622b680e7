/**
 * The progress line of the server's command-line tools: a small copy of simulators/progress.ts (server/ may
 * not import simulators/). On a terminal one line rewritten in place; in a pipe a plain line every few seconds.
 */
export interface StatusOutput {
  write(s: string): unknown;
  isTTY?: boolean;
}

export interface StatusLine {
  print(line: string): void;
  refresh(): void;
  stop(): void;
}

export function createStatusLine(out: StatusOutput, render: () => string, opts: { ttyRefreshMs?: number; plainEveryMs?: number } = {}): StatusLine {
  const tty = out.isTTY === true;
  let shown = false;
  const clear = () => {
    if (tty && shown) out.write('\r\x1b[2K');
    shown = false;
  };
  const refresh = () => {
    const line = render();
    if (tty) {
      out.write(`\r\x1b[2K${line}`);
      shown = true;
    } else out.write(`${line}\n`);
  };
  const timer = setInterval(refresh, tty ? (opts.ttyRefreshMs ?? 500) : (opts.plainEveryMs ?? 5000));
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

/** A status line that prints nothing (the functions' default when called from code or tests). */
export const SILENT: StatusOutput = { write: () => true };
