/**
 * The open-alarm book: the open alarms and their indices, revs and ids, escalation deadlines, operator
 * actions, and the write-then-notify path. AlarmEngine (engine.ts) extends it with the rules that raise and
 * clear alarms; the split keeps "what an alarm is and who changed it" apart from "when a signal means one".
 *
 * Every change gets the next `rev`, is written to the store (one transaction per call) and only then handed
 * to listeners, so nothing reaches the wall that a restart could forget.
 */
import { alarmKey, copyAlarm, isUnacknowledged } from './alarm';
import { runAction, type ActionContext } from './actions';
import {
  SYSTEM_ACTOR,
  type Alarm,
  type AlarmActionResult,
  type AlarmChange,
  type ChangeKind,
  type Severity,
} from '../../shared/alarms';

/** What the engine needs from persistence; AlarmStore implements it (unit tests use it on ':memory:'). */
export interface AlarmStorePort {
  /** Highest alarm id and rev ever written, so both continue after a restart. */
  maxIds(): { alarmId: number; rev: number };
  /** Every alarm not resolved or closed, with its timers. */
  loadOpen(): Alarm[];
  /** All changes of one engine call, in rev order, in one transaction. */
  write(changes: readonly AlarmChange[]): void;
  get(id: number): Alarm | undefined;
}

export type AlarmListener = (change: AlarmChange) => void;

export interface EscalationConfig {
  /** A critical alarm unacknowledged this long escalates one level, then again every further period. */
  afterMs: number;
  maxLevel: number;
  severities: readonly Severity[];
}

export interface BookOptions {
  now: () => number;
  store?: AlarmStorePort;
  escalation: EscalationConfig;
  /** A failed store write outside an operator action; default: rethrown after listeners got the changes. */
  onStoreError?: (err: unknown) => void;
}

export class AlarmBook {
  protected readonly now: () => number;
  protected readonly store: AlarmStorePort | undefined;
  protected readonly escalation: EscalationConfig;
  private readonly onStoreError: ((err: unknown) => void) | undefined;
  protected readonly open = new Map<number, Alarm>();
  /** alarmKey(rule, source) → open alarm id; sources of groups and overflows are synthetic. */
  protected readonly byKey = new Map<string, number>();
  private readonly deadlines = new Set<number>();
  /** Alarms with coalesced repeats or new members, emitted once per tick. */
  protected readonly dirty = new Map<number, 'updated' | 'grouped'>();
  private readonly listeners = new Set<AlarmListener>();
  private batch: AlarmChange[] = [];
  protected rev: number;
  protected nextId: number;
  /** Open alarms that count towards maxOpen (all but the overflow groups). */
  protected capped = 0;
  /** Time of the current call: every change of one call carries the same `at`. */
  protected at = 0;

  constructor(opts: BookOptions) {
    this.now = opts.now;
    this.store = opts.store;
    this.escalation = opts.escalation;
    this.onStoreError = opts.onStoreError;
    const ids = this.store?.maxIds() ?? { alarmId: 0, rev: 0 };
    this.rev = ids.rev;
    this.nextId = ids.alarmId + 1;
    for (const a of this.store?.loadOpen() ?? []) this.add(a);
  }

  /** Every change in rev order; returns the unsubscribe (STYLE.md 10). */
  subscribe(fn: AlarmListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The open alarms (copies) and the rev they are current to: the realtime snapshot. */
  snapshot(): { rev: number; alarms: Alarm[] } {
    return { rev: this.rev, alarms: [...this.open.values()].map(copyAlarm) };
  }

  /** A copy of one open alarm. */
  get(id: number): Alarm | undefined {
    const a = this.open.get(id);
    return a && copyAlarm(a);
  }

  acknowledge(id: number, actor: string, note?: string): AlarmActionResult<Alarm> {
    return runAction(this.actionContext(), { kind: 'acknowledge', id, actor, note });
  }

  assign(id: number, actor: string, assignee: string): AlarmActionResult<Alarm> {
    return runAction(this.actionContext(), { kind: 'assign', id, actor, assignee });
  }

  resolve(id: number, actor: string, note: string): AlarmActionResult<Alarm> {
    return runAction(this.actionContext(), { kind: 'resolve', id, actor, note });
  }

  // ── escalation ───────────────────────────────────────────────────────────────────────────────────────

  protected escalates(s: Severity): boolean {
    return this.escalation.severities.includes(s);
  }

  /** When an alarm of this severity raised now must be acknowledged before it escalates; null if it never does. */
  protected deadlineFor(s: Severity): number | null {
    return this.escalates(s) ? this.at + this.escalation.afterMs : null;
  }

  protected setDeadline(a: Alarm, at: number | null): void {
    a.ackDeadline = at;
    if (at === null) this.deadlines.delete(a.id);
    else this.deadlines.add(a.id);
  }

  /**
   * One level per elapsed period, each its own change; a long outage catches up, capped at maxLevel. A
   * cleared alarm still escalates while unacknowledged: the point is that nobody has looked at a critical one.
   */
  protected escalate(now: number): void {
    const { afterMs, maxLevel } = this.escalation;
    for (const id of this.deadlines) {
      const a = this.open.get(id);
      if (!a || a.ackDeadline === null || !isUnacknowledged(a.state)) {
        if (a) a.ackDeadline = null;
        this.deadlines.delete(id);
        continue;
      }
      while (a.ackDeadline !== null && a.ackDeadline <= now) {
        a.escalationLevel++;
        this.setDeadline(a, a.escalationLevel >= maxLevel ? null : a.ackDeadline + afterMs);
        this.emit(a, 'escalated');
      }
    }
  }

  /** Emits one change per alarm with coalesced repeats or members since the last tick. */
  protected flushDirty(): void {
    for (const [id, change] of this.dirty) {
      const a = this.open.get(id);
      if (a) this.emit(a, change);
    }
    this.dirty.clear();
  }

  // ── bookkeeping ──────────────────────────────────────────────────────────────────────────────────────

  protected add(a: Alarm): void {
    this.open.set(a.id, a);
    this.byKey.set(alarmKey(a.ruleId, a.source), a.id);
    if (a.kind !== 'overflow') this.capped++;
    if (a.ackDeadline !== null) this.deadlines.add(a.id);
  }

  protected remove(a: Alarm): void {
    this.open.delete(a.id);
    if (this.byKey.get(alarmKey(a.ruleId, a.source)) === a.id) this.byKey.delete(alarmKey(a.ruleId, a.source));
    if (a.kind !== 'overflow') this.capped--;
    this.deadlines.delete(a.id);
    this.dirty.delete(a.id);
  }

  protected finish(a: Alarm, state: 'closed' | 'resolved', actor: string, note?: string): void {
    a.state = state;
    a.ackDeadline = null;
    if (state === 'closed') a.closedAt = this.at;
    this.emit(a, state, { actor, note });
    this.remove(a);
  }

  protected emit(a: Alarm, change: ChangeKind, extra: { actor?: string; note?: string; previousSeverity?: Severity } = {}): void {
    a.rev = ++this.rev;
    a.updatedAt = this.at;
    const c: AlarmChange = { rev: a.rev, change, alarm: copyAlarm(a), actor: extra.actor ?? SYSTEM_ACTOR, at: this.at };
    if (extra.note !== undefined) c.note = extra.note;
    if (extra.previousSeverity !== undefined) c.previousSeverity = extra.previousSeverity;
    this.batch.push(c);
    this.dirty.delete(a.id); // this snapshot already carries any coalesced repeats
  }

  protected flush(): void {
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    let failed: { err: unknown } | undefined;
    try {
      this.store?.write(batch);
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

  protected notify(batch: readonly AlarmChange[]): void {
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

  protected actionContext(): ActionContext {
    return {
      at: () => (this.at = this.now()),
      open: this.open,
      store: this.store,
      emit: (a, change, extra) => this.emit(a, change, extra),
      finish: (a, state, actor, note) => this.finish(a, state, actor, note),
      setDeadline: (a, at) => this.setDeadline(a, at),
      add: (a) => this.add(a),
      remove: (a) => this.remove(a),
      takeBatch: () => {
        const b = this.batch;
        this.batch = [];
        return b;
      },
      rev: { get: () => this.rev, set: (r) => (this.rev = r) },
      notify: (b) => this.notify(b),
    };
  }
}
