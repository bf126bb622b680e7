/**
 * Alarm health (issue 5 item 9): is the alarm system useful or noise? Alarms per hour, how fast operators
 * acknowledge, and what has stood open longer than a shift. Deterministic given the store and `now`.
 */
import type { Alarm, AlarmHealth } from '../../shared/alarms';

export type { AlarmHealth } from '../../shared/alarms';

const HOUR_MS = 3_600_000;

/** What health needs from the store; AlarmStore implements it with indexed queries. */
export interface AlarmHealthSource {
  countRaised(from: number, to: number): number;
  medianAckMs(from: number, to: number): { median: number | null; count: number };
  standing(before: number, limit: number): { total: number; oldest: Alarm[] };
}

export interface AlarmHealthOptions {
  /** An alarm open longer than this is "standing": nobody dealt with it during a whole shift. */
  shiftMs?: number;
  /** How many of the oldest standing alarms to list. */
  standingLimit?: number;
}


export const DEFAULT_SHIFT_MS = 8 * HOUR_MS;

export function alarmHealth(src: AlarmHealthSource, now: number, opts: AlarmHealthOptions = {}): AlarmHealth {
  const shiftMs = opts.shiftMs ?? DEFAULT_SHIFT_MS;
  const currentHour = Math.floor(now / HOUR_MS) * HOUR_MS;
  const perHour: AlarmHealth['perHour'] = [];
  for (let i = 23; i >= 0; i--) {
    const hourStart = currentHour - i * HOUR_MS;
    // The current bucket ends at now, not at the end of the hour: nothing after now exists yet.
    const end = i === 0 ? now + 1 : hourStart + HOUR_MS;
    perHour.push({ hourStart, raised: src.countRaised(hourStart, end) });
  }
  const ack = src.medianAckMs(now - 24 * HOUR_MS, now + 1);
  const st = src.standing(now - shiftMs, opts.standingLimit ?? 20);
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
