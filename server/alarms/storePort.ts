/**
 * What the alarm engine needs from persistence, and nothing more: the SQLite AlarmStore implements it today
 * (unit tests use it on ':memory:'), PostgreSQL next. Queries for the API and health are not part of it:
 * they belong to whoever serves them, not to the engine.
 */
import type { Alarm, AlarmChange } from '../../shared/alarms';

export interface AlarmStorePort {
  /** Highest alarm id and rev ever written, so both continue after a restart. */
  maxIds(): { alarmId: number; rev: number };
  /** Every alarm not resolved or closed, with its timers. */
  loadOpen(): Alarm[];
  /** All changes of one engine call, in rev order, in one transaction. */
  write(changes: readonly AlarmChange[]): void;
  /** Any alarm, open or not (an action on a closed alarm says so). */
  get(id: number): Alarm | undefined;
}
