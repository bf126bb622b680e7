/**
 * Wire-level constants shared by server and client. Bump PROTOCOL_VERSION on any
 * incompatible change to the Socket.IO events in events.ts; a client with another
 * version is refused in the handshake and asked to reload (STYLE.md 4).
 */
// 3: alarm repeats travel as the fields that moved (AlarmRepeat), not whole alarms.
export const PROTOCOL_VERSION = 3;

export const ERROR_CODES = {
  PROTOCOL_MISMATCH: 'PROTOCOL_MISMATCH',
  BAD_REQUEST: 'BAD_REQUEST',
  UNKNOWN_VIEW: 'UNKNOWN_VIEW',
  NOT_FOUND: 'NOT_FOUND',
  /** The alarm is resolved or closed: nothing more can happen to it. */
  ALARM_CLOSED: 'ALARM_CLOSED',
  /** The action does not apply in the alarm's state (e.g. acknowledging twice). */
  ALARM_INVALID_TRANSITION: 'ALARM_INVALID_TRANSITION',
  ALARM_NOTE_REQUIRED: 'ALARM_NOTE_REQUIRED',
  /** The store refused the write; the in-memory alarm was left unchanged. */
  ALARM_STORE_FAILED: 'ALARM_STORE_FAILED',
  /** No session (or an expired one): log in. */
  UNAUTHORIZED: 'UNAUTHORIZED',
  /** Logged in, but the role or the commune scope does not allow it. */
  FORBIDDEN: 'FORBIDDEN',
  /** A cookie-authenticated write without the session's CSRF token. */
  CSRF: 'CSRF',
  /** Too many failed logins: the account or the address is locked until `unlockAt`. */
  LOCKED: 'LOCKED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /**
   * A store the request needs did not answer (its database is down or slow), or in a cluster no instance leading
   * the alarms answered (a fail-over under way): try again in a few seconds.
   */
  UNAVAILABLE: 'UNAVAILABLE',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export interface AckError {
  code: ErrorCode;
  message: string;
}
/** Every socket request is acknowledged with exactly one of these. */
export type Ack<T> = { data: T } | { error: AckError };

export function assertNever(x: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(x)}`);
}

/** Default interval of the realtime coalescer (ms). */
export const DEFAULT_TICK_MS = 250;
/** How many seconds of ingest-rate history the wall chart shows. */
export const RATE_HISTORY_SEC = 600;
