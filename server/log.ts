import { hostname } from 'node:os';
import pino, { type Logger } from 'pino';

export type { Logger };

/** Names this server process in logs, /api/health and /metrics: which instance answered. */
export function instanceId(): string {
  return `${hostname()}-${process.pid}`;
}

/**
 * JSON lines (pino) carrying the instance id, for log collectors; readable lines (pino-pretty) when a
 * person watches the terminal.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info', opts: { instance?: string; pretty?: boolean } = {}): Logger {
  const base = opts.instance ? { instance: opts.instance } : undefined;
  if (opts.pretty) {
    return pino({ level, base, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'instance,src', messageFormat: '{if src}[{src}] {end}{msg}' } } });
  }
  return pino({ level, base });
}
