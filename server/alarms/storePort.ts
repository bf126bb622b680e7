/**
 * What the alarm engine needs from persistence, and nothing more: the SQLite AlarmStore implements it today
 * (unit tests use it on ':memory:'), PostgreSQL next. Queries for the API and health are not part of it:
 * they belong to whoever serves them, not to the engine.
 */
import type { Alarm, AlarmChange } from '../../shared/alarms';

/** What one engine call (evaluate, tick or an operator action) changed. */
export interface AlarmWrite {
  /** The latest state of each alarm the call changed, once per alarm: the alarm rows (counts, last seen). */
  alarms: readonly Alarm[];
  /**
   * The decisions among the changes, in rev order: the audit log's rows. Raises, severity and level steps,
   * clears, escalations and operator actions; not the coalesced repeats, which only move the alarm row.
   */
  audit: readonly AlarmChange[];
}

export interface AlarmStorePort {
  /** Highest alarm id and rev ever written, so both continue after a restart. */
  maxIds(): { alarmId: number; rev: number };
  /** Every alarm not resolved or closed, with its timers. */
  loadOpen(): Alarm[];
  /** All changes of one engine call in one transaction. */
  write(batch: AlarmWrite): void;
  /** Any alarm, open or not (an action on a closed alarm says so). */
  get(id: number): Alarm | undefined;
}

/** A write of decisions only (every change audited, each alarm's row from its last change): tests and the bench. */
export function decisionsWrite(changes: readonly AlarmChange[]): AlarmWrite {
  const latest = new Map<number, Alarm>();
  for (const c of changes) latest.set(c.alarm.id, c.alarm);
  return { alarms: [...latest.values()], audit: changes };
}
