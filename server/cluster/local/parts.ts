/**
 * The processes of `npm run cluster`. Each runs in a process group of its own, so a Ctrl-C at the terminal
 * reaches only the cluster script, which stops them in order; its output goes to a log file in the folder.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

export interface PartSpec {
  name: string;
  file: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  log: string;
  /** What it serves, for the summary (a URL, a port). */
  where: string;
  /** How to stop it; default SIGTERM to its group, SIGKILL after graceMs. */
  stop?: (part: Part) => Promise<void>;
  graceMs?: number;
}

export interface Part {
  readonly name: string;
  readonly pid: number;
  readonly where: string;
  readonly log: string;
  /** Exit code or signal, once it has exited. */
  readonly exit: { code: number | null; signal: NodeJS.Signals | null } | null;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  /** Whether stop() was asked (an exit after it is no death). */
  readonly stopping: boolean;
  stop(): Promise<void>;
}

/** Signals the part's process group (the part and what it started), ignoring one already gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Gone already.
  }
}

/** The last lines of a log, to say why a part died. */
export function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export function startPart(spec: PartSpec, onDeath: (part: Part) => void): Part {
  const fd = openSync(spec.log, 'a');
  let child;
  try {
    child = spawn(spec.file, spec.args, { cwd: spec.cwd, env: spec.env ?? process.env, stdio: ['ignore', fd, fd], detached: true });
  } finally {
    closeSync(fd);
  }
  let exit: Part['exit'] = null;
  let stopping = false;
  let stopped: Promise<void> | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    });
    // A program that cannot start at all (ENOENT, EACCES) exits with no process.
    child.once('error', () => {
      exit ??= { code: -1, signal: null };
      resolve();
    });
  });
  const part: Part = {
    name: spec.name,
    pid: child.pid ?? -1,
    where: spec.where,
    log: spec.log,
    get exit() {
      return exit;
    },
    exited,
    get stopping() {
      return stopping;
    },
    stop: () => {
      stopping = true;
      stopped ??= (async () => {
        if (exit || part.pid < 0) return;
        const grace = setTimeout(() => signalGroup(part.pid, 'SIGKILL'), spec.graceMs ?? 10_000);
        try {
          if (spec.stop) await spec.stop(part);
          else signalGroup(part.pid, 'SIGTERM');
        } catch {
          signalGroup(part.pid, 'SIGTERM');
        }
        await exited;
        clearTimeout(grace);
      })();
      return stopped;
    },
  };
  void exited.then(() => {
    if (!stopping) onDeath(part);
  });
  return part;
}
