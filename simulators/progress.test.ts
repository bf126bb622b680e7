import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateMeter, createStatusLine, formatBytes, formatDuration } from './progress';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

function sink(tty: boolean, columns?: number) {
  let text = '';
  return { out: { isTTY: tty, columns, write: (s: string) => (text += s) }, text: () => text };
}

describe('createStatusLine', () => {
  it('on a terminal rewrites one line in place and keeps log lines above it', () => {
    const s = sink(true, 30);
    let n = 0;
    const line = createStatusLine(s.out, () => `status ${++n}`);
    vi.advanceTimersByTime(1000);
    line.print('a log line');
    vi.advanceTimersByTime(500);
    line.stop();
    expect(s.text()).toBe('\r\x1b[2Kstatus 1\r\x1b[2Kstatus 2\r\x1b[2Ka log line\n\r\x1b[2Kstatus 3\r\x1b[2K');
  });

  it('cuts a live line to the terminal width so it never wraps', () => {
    const s = sink(true, 12);
    const line = createStatusLine(s.out, () => 'a very long status line');
    line.refresh();
    line.stop();
    expect(s.text()).toBe('\r\x1b[2Ka very lon…\r\x1b[2K');
  });

  it('in a pipe prints a plain line every 5 s', () => {
    const s = sink(false);
    const line = createStatusLine(s.out, () => 'status');
    vi.advanceTimersByTime(12_000);
    line.print('log');
    line.stop();
    expect(s.text()).toBe('status\nstatus\nlog\n');
  });
});

describe('RateMeter', () => {
  it('averages over the last complete seconds', () => {
    const m = new RateMeter(Date.now, 5);
    for (let sec = 0; sec < 10; sec++) {
      m.add(sec < 5 ? 10 : 20);
      vi.advanceTimersByTime(1000);
    }
    expect(m.perSec()).toBe(20);
    vi.advanceTimersByTime(10_000);
    expect(m.perSec()).toBe(0);
  });
});

describe('formatting', () => {
  it('durations and sizes', () => {
    expect(formatDuration(3_723_000)).toBe('01:02:03');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(12_000)).toBe('11.7 KiB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MiB');
  });
});
