/**
 * Alarm health (issue 5 item 9): is the alarm system useful or noise? Alarms per hour, how fast operators
 * acknowledge, and what has stood open longer than a shift. Deterministic given the store and `now`.
 * It is a few dozen queries (on PostgreSQL, round trips): AlarmHealthCache computes it at most every few
 * seconds, for the console frames and GET /api/health alike.
 */
import type { Alarm, AlarmHealth } from '../../shared/alarms';

export type { AlarmHealth } from '../../shared/alarms';

const HOUR_MS = 3_600_000;

/** What health needs from the store; AlarmRecords implements it with indexed queries. */
export interface AlarmHealthSource {
  countRaised(from: number, to: number): Promise<number>;
  medianAckMs(from: number, to: number): Promise<{ median: number | null; count: number }>;
  standing(before: number, limit: number): Promise<{ total: number; oldest: Alarm[] }>;
}

export interface AlarmHealthOptions {
  /** An alarm open longer than this is "standing": nobody dealt with it during a whole shift. */
  shiftMs?: number;
  /** How many of the oldest standing alarms to list. */
  standingLimit?: number;
}

export const DEFAULT_SHIFT_MS = 8 * HOUR_MS;

export async function alarmHealth(src: AlarmHealthSource, now: number, opts: AlarmHealthOptions = {}): Promise<AlarmHealth> {
  const shiftMs = opts.shiftMs ?? DEFAULT_SHIFT_MS;
  const currentHour = Math.floor(now / HOUR_MS) * HOUR_MS;
  const hours: { hourStart: number; end: number }[] = [];
  for (let i = 23; i >= 0; i--) {
    const hourStart = currentHour - i * HOUR_MS;
    // The current bucket ends at now, not at the end of the hour: nothing after now exists yet.
    hours.push({ hourStart, end: i === 0 ? now + 1 : hourStart + HOUR_MS });
  }
  const [raised, ack, st] = await Promise.all([
    Promise.all(hours.map((h) => src.countRaised(h.hourStart, h.end))),
    src.medianAckMs(now - 24 * HOUR_MS, now + 1),
    src.standing(now - shiftMs, opts.standingLimit ?? 20),
  ]);
  const perHour: AlarmHealth['perHour'] = hours.map((h, i) => ({ hourStart: h.hourStart, raised: raised[i]! }));
  return {
    at: now,
    perHour,
    raisedTotal: perHour.reduce((n, b) => n + b.raised, 0),
    medianAckMs: ack.median,
    acknowledged24h: ack.count,
    standing: {
      shiftMs,
      total: st.total,
      oldest: st.oldest.map(({ id, title, severity, state, raisedAt, commune, source }) => ({
        id,
        title,
        severity,
        state,
        raisedAt,
        commune,
        source,
      })),
    },
  };
}

export interface AlarmHealthCacheOptions extends AlarmHealthOptions {
  /** A value younger than this is answered again (default 5 s). */
  maxAgeMs?: number;
  /** A failed computation (the next `get` tries again). */
  onError?: (err: unknown) => void;
}

/**
 * Health computed at most every `maxAgeMs` of the given clock, once however many ask meanwhile: the console's
 * frames and GET /api/health share it.
 */
export class AlarmHealthCache {
  private value: AlarmHealth | undefined;
  private pending: Promise<AlarmHealth> | undefined;

  constructor(
    private readonly src: AlarmHealthSource,
    private readonly opts: AlarmHealthCacheOptions = {},
  ) {}

  /** Health as of `now`, or of at most `maxAgeMs` before it. */
  get(now: number): Promise<AlarmHealth> {
    const v = this.value;
    // A clock that went back (a rehearsal restarted) makes the cached value one of the future: recomputed.
    if (v && now >= v.at && now - v.at <= (this.opts.maxAgeMs ?? 5000)) return Promise.resolve(v);
    return (this.pending ??= alarmHealth(this.src, now, this.opts).then(
      (h) => {
        this.pending = undefined;
        return (this.value = h);
      },
      (err: unknown) => {
        this.pending = undefined;
        this.opts.onError?.(err);
        throw err;
      },
    ));
  }
}
