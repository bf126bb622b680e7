/**
 * The write-then-notify path of the alarm engine: every change gets the next `rev`, is written to the store
 * (one transaction per engine call) and only then handed to listeners, so nothing reaches the wall that a
 * restart could forget. Also keeps the repeats waiting for the tick, and the ids and revs, which continue
 * from the store after a restart.
 */
import { copyAlarm } from './alarm';
import type { AlarmStorePort, AlarmWrite } from './storePort';
import { SYSTEM_ACTOR, type Alarm, type AlarmChange, type ChangeKind, type Severity } from '../../shared/alarms';

export type AlarmListener = (change: AlarmChange) => void;

export interface ChangeExtra {
  actor?: string;
  note?: string;
  previousSeverity?: Severity;
}

/** A coalesced change waiting for the tick: repeats ('updated') or members joining or leaving ('grouped'). */
export type RepeatKind = 'updated' | 'grouped';

export class ChangeJournal {
  private readonly listeners = new Set<AlarmListener>();
  private batch: AlarmChange[] = [];
  /** Changes of the batch that are coalesced repeats: sent to the views and saved on the row, not audited. */
  private readonly repeatChanges = new Set<AlarmChange>();
  private readonly repeats = new Map<number, RepeatKind>();
  private lastRev: number;
  private lastId: number;
  /** Time of the current engine call: every change of one call carries the same `at`. */
  at = 0;

  constructor(
    private readonly store: AlarmStorePort | undefined,
    /** A failed store write outside an operator action; default: rethrown after listeners got the changes. */
    private readonly onStoreError?: (err: unknown) => void,
  ) {
    const ids = store?.maxIds() ?? { alarmId: 0, rev: 0 };
    this.lastRev = ids.rev;
    this.lastId = ids.alarmId;
  }

  get rev(): number {
    return this.lastRev;
  }

  newId(): number {
    return ++this.lastId;
  }

  /** Every change in rev order; returns the unsubscribe (STYLE.md 10). */
  subscribe(fn: AlarmListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** A decision (by the engine or a person): sent, saved and audited. */
  emit(a: Alarm, change: ChangeKind, extra: ChangeExtra = {}): void {
    this.push(a, change, extra);
  }

  private push(a: Alarm, change: ChangeKind, extra: ChangeExtra): AlarmChange {
    a.rev = ++this.lastRev;
    a.updatedAt = this.at;
    const c: AlarmChange = { rev: a.rev, change, alarm: copyAlarm(a), actor: extra.actor ?? SYSTEM_ACTOR, at: this.at };
    if (extra.note !== undefined) c.note = extra.note;
    if (extra.previousSeverity !== undefined) c.previousSeverity = extra.previousSeverity;
    this.batch.push(c);
    this.repeats.delete(a.id); // this snapshot already carries any coalesced repeats
    return c;
  }

  /** Marks an alarm for one coalesced change at the next tick; a membership change wins over a repeat. */
  markRepeat(id: number, kind: RepeatKind): void {
    if (kind === 'grouped' || !this.repeats.has(id)) this.repeats.set(id, kind);
  }

  /** Emits one change per alarm with coalesced repeats or members since the last tick. */
  flushRepeats(open: { get(id: number): Alarm | undefined }): void {
    for (const [id, kind] of this.repeats) {
      const a = open.get(id);
      // A repeat moves the alarm row and the views, but is nobody's decision: not audited.
      if (a) this.repeatChanges.add(this.push(a, kind, {}));
    }
    this.repeats.clear();
  }

  /** Writes the batch in one transaction, then tells the listeners (even if the write failed). */
  flush(): void {
    if (this.batch.length === 0) return;
    const batch = this.batch;
    const write = this.toWrite(batch);
    this.batch = [];
    let failed: { err: unknown } | undefined;
    try {
      this.store?.write(write);
    } catch (err) {
      // The wall still gets the alarms: an alarm nobody sees is worse than one a restart may forget.
      failed = { err };
    }
    this.notify(batch);
    if (failed) {
      if (this.onStoreError) this.onStoreError(failed.err);
      else throw failed.err;
    }
  }

  /**
   * An operator action's batch: written, then told; or, if the write fails, forgotten with its revs and
   * `undo` run, so the operator's screen never shows what the audit log does not have. Returns the error.
   */
  commitOrUndo(undo: () => void): { err: unknown } | undefined {
    const batch = this.batch;
    const write = this.toWrite(batch);
    this.batch = [];
    try {
      this.store?.write(write);
    } catch (err) {
      if (batch[0]) this.lastRev = batch[0].rev - 1;
      undo();
      return { err };
    }
    this.notify(batch);
    return undefined;
  }

  /**
   * A change another instance (the leader) made and wrote: the revs move on past it and listeners hear of it;
   * nothing is written here.
   */
  mirror(c: AlarmChange): void {
    if (c.rev > this.lastRev) this.lastRev = c.rev;
    if (c.alarm.id > this.lastId) this.lastId = c.alarm.id;
    this.notify([c]);
  }

  /** The rows (latest snapshot per alarm, in order of first change) and the audited changes of a batch. */
  private toWrite(batch: readonly AlarmChange[]): AlarmWrite {
    const latest = new Map<number, Alarm>();
    const audit: AlarmChange[] = [];
    for (const c of batch) {
      latest.set(c.alarm.id, c.alarm);
      if (this.repeatChanges.has(c)) this.repeatChanges.delete(c);
      else audit.push(c);
    }
    return { alarms: [...latest.values()], audit };
  }

  private notify(batch: readonly AlarmChange[]): void {
    const errors: unknown[] = [];
    for (const c of batch) {
      for (const fn of this.listeners) {
        try {
          fn(c);
        } catch (err) {
          errors.push(err);
        }
      }
    }
    if (errors.length) throw errors[0];
  }
}
