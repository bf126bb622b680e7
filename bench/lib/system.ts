/** What the runner reads from the machine: /proc for CPU and memory of a pid, machine facts. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { cpus, loadavg, totalmem, release } from 'node:os';
import { cpuTicksFromStat } from '../stats';

let ticksPerSec: number | undefined;

export function clockTicks(): number {
  if (ticksPerSec === undefined) {
    try {
      ticksPerSec = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    } catch {
      ticksPerSec = 100;
    }
  }
  return ticksPerSec;
}

/** utime + stime of the process, in clock ticks; NaN when it is gone. */
export function cpuTicks(pid: number): number {
  try {
    return cpuTicksFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return NaN;
  }
}

/** utime + stime of each thread of a process (by thread id), in clock ticks; empty when it is gone. */
export function threadTicks(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      out.set(Number(tid), cpuTicksFromStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

/**
 * The CPU seconds each thread of a process used since `before` (threadTicks), busiest first; the main
 * thread (its id is the pid) is marked.
 */
export function threadSeconds(pid: number, before: Map<number, number>): { tid: number; main: boolean; seconds: number }[] {
  const now = threadTicks(pid);
  return [...now]
    .map(([tid, t]) => ({ tid, main: tid === pid, seconds: (t - (before.get(tid) ?? 0)) / clockTicks() }))
    .sort((a, b) => b.seconds - a.seconds);
}

/** Resident set size in bytes; NaN when the process is gone. */
export function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * Every descendant of `pid` (PostgreSQL's backends under its postmaster, itself under `runuser` when started
 * as root; nginx's workers), from /proc.
 */
export function descendantPids(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Field 4 (ppid) follows the command in parentheses, which may itself hold spaces or parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      (children.get(ppid) ?? children.set(ppid, []).get(ppid)!).push(Number(name));
    } catch {
      // Gone meanwhile.
    }
  }
  const out: number[] = [];
  const todo = [...(children.get(pid) ?? [])];
  while (todo.length > 0) {
    const p = todo.pop()!;
    out.push(p);
    todo.push(...(children.get(p) ?? []));
  }
  return out;
}

/** Ticks of one process, or the sum over a group (a process gone meanwhile counts what it had at the start). */
function groupTicks(pids: number | readonly number[]): number[] {
  return (typeof pids === 'number' ? [pids] : pids).map(cpuTicks);
}

/**
 * CPU use of a set of processes over a window: call start(), then stop() → percent of one core each. A key
 * may name a group of processes (PostgreSQL and its backends): their sum.
 */
export function cpuMeter(pids: Record<string, number | readonly number[]>): { stop(): Record<string, number> } {
  const t0 = performance.now();
  const before = Object.fromEntries(Object.entries(pids).map(([k, p]) => [k, groupTicks(p)]));
  return {
    stop() {
      const sec = (performance.now() - t0) / 1000;
      const out: Record<string, number> = {};
      for (const [k, p] of Object.entries(pids)) {
        const b = before[k]!;
        const ticks = groupTicks(p).reduce((s, t, i) => s + (Number.isNaN(t) ? 0 : t - b[i]!), 0);
        out[k] = typeof p === 'number' && Number.isNaN(cpuTicks(p)) ? NaN : (ticks / clockTicks() / sec) * 100;
      }
      return out;
    },
  };
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memGB: number;
  node: string;
  kernel: string;
  loadAvgStart: [number, number, number];
  mosquitto: string | null;
  commit: string | null;
}

export function findMosquitto(): string | null {
  for (const p of ['/usr/sbin/mosquitto', '/usr/local/sbin/mosquitto', '/usr/bin/mosquitto']) if (existsSync(p)) return p;
  return null;
}

export function machineInfo(): MachineInfo {
  const bin = findMosquitto();
  let mosquitto: string | null = null;
  if (bin) {
    try {
      execFileSync(bin, ['-h'], { stdio: 'pipe' });
    } catch (e) {
      // `mosquitto -h` prints its version and exits non-zero.
      const out = String((e as { stdout?: Buffer }).stdout ?? '');
      mosquitto = /mosquitto version (\S+)/.exec(out)?.[1] ?? 'unknown version';
    }
    mosquitto ??= 'unknown version';
  }
  let commit: string | null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    commit = null;
  }
  const la = loadavg();
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memGB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    kernel: release(),
    loadAvgStart: [la[0]!, la[1]!, la[2]!].map((x) => Math.round(x * 100) / 100) as [number, number, number],
    mosquitto: bin ? `${bin} ${mosquitto}` : null,
    commit,
  };
}

export function loadAvg1(): number {
  return Math.round(loadavg()[0]! * 100) / 100;
}
