/**
 * Every piece of a part runs as its own process in its own process group (detached), talking to
 * the runner over IPC. The runner keeps the list of live groups and kills them all in `finally`
 * and on SIGINT/SIGTERM; each child also exits when its IPC channel closes, so even a runner
 * killed with SIGKILL leaves nothing behind.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const live = new Set<BenchChild>();

export interface ChildMessage {
  type: string;
  [k: string]: unknown;
}

export class BenchChild {
  readonly proc: ChildProcess;
  private readonly stderrTail: string[] = [];
  private exited: { code: number | null; signal: string | null } | null = null;
  private readonly waiters = new Set<{ type: string; resolve: (m: ChildMessage) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(m: ChildMessage) => void>();

  constructor(
    readonly name: string,
    entry: string,
    args: string[],
    env: NodeJS.ProcessEnv = {},
    execArgv: string[] = [],
    private readonly graceMs = 3000,
  ) {
    const file = fileURLToPath(new URL(`../${entry}`, import.meta.url));
    this.proc = fork(file, args, {
      execArgv: ['--import', 'tsx', ...execArgv],
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    });
    live.add(this);
    const keep = (chunk: Buffer) => {
      this.stderrTail.push(chunk.toString());
      if (this.stderrTail.length > 20) this.stderrTail.shift();
    };
    this.proc.stdout?.on('data', keep);
    this.proc.stderr?.on('data', keep);
    this.proc.on('message', (m: ChildMessage) => {
      for (const w of this.waiters) {
        if (m.type === w.type) {
          this.waiters.delete(w);
          w.resolve(m);
        } else if (m.type === 'error') {
          this.waiters.delete(w);
          w.reject(new Error(`${this.name}: ${String(m.message)}`));
        }
      }
      for (const l of this.listeners) l(m);
    });
    this.proc.on('exit', (code, signal) => {
      this.exited = { code, signal };
      live.delete(this);
      for (const w of this.waiters) w.reject(new Error(`${this.name} exited (${code ?? signal}) ${this.tail()}`));
      this.waiters.clear();
    });
  }

  get pid(): number {
    return this.proc.pid ?? -1;
  }

  get exitDescription(): string {
    return this.exited ? `code ${this.exited.code ?? '-'}, signal ${this.exited.signal ?? '-'}` : 'running';
  }

  get alive(): boolean {
    return this.exited === null;
  }

  tail(): string {
    return this.stderrTail.join('').trim().split('\n').slice(-6).join(' | ');
  }

  send(msg: object): void {
    if (this.alive && this.proc.connected) this.proc.send(msg);
  }

  on(listener: (m: ChildMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the next message of `type`; rejects on an 'error' message, exit or timeout. */
  waitFor<T extends ChildMessage = ChildMessage>(type: string, timeoutMs: number): Promise<T> {
    if (!this.alive) return Promise.reject(new Error(`${this.name} is not running ${this.tail()}`));
    const p = new Promise<T>((resolve, reject) => {
      const w = {
        type,
        resolve: (m: ChildMessage) => {
          clearTimeout(timer);
          resolve(m as T);
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(w);
        reject(new Error(`${this.name}: no '${type}' within ${timeoutMs} ms ${this.tail()}`));
      }, timeoutMs);
      this.waiters.add(w);
    });
    // A caller that gave up on this wait (its part failed first) must not crash the runner when
    // the child exits later: the rejection still reaches whoever awaits it.
    p.catch(() => {});
    return p;
  }

  /** SIGTERM to the whole group, SIGKILL after `graceMs`. */
  async stop(graceMs = this.graceMs): Promise<void> {
    if (!this.alive) return;
    const gone = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    killGroup(this.pid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(this.pid, 'SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
    // Whatever the child started in its group (mosquitto) goes too.
    killGroup(this.pid, 'SIGKILL');
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  if (pid <= 0) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((c) => c.stop()));
}

/** Synchronous last resort (signal handlers, 'exit'): SIGKILL every group still alive. */
export function killAllNow(): void {
  for (const c of live) killGroup(c.pid, 'SIGKILL');
}

/** Child side: exit when the runner goes away (IPC closed), so nothing outlives it. */
export function exitWithParent(cleanup: () => Promise<void> | void = () => {}): void {
  const bye = () => {
    Promise.resolve(cleanup())
      .catch(() => {})
      .finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('disconnect', bye);
  process.on('SIGTERM', bye);
  process.on('SIGINT', bye);
}

export function report(msg: ChildMessage): void {
  process.send?.(msg);
}

/** Child side: the JSON config the runner passed as the first argument. */
export function childConfig<T>(): T {
  const raw = process.argv[2];
  if (!raw) throw new Error('missing config argument');
  return JSON.parse(raw) as T;
}
