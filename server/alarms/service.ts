/**
 * Alarms as the app runs them: the engine over the SQLite store, fed once per tick with the
 * signals that domain changes produced, its changes buffered (in rev order) for the next frame, repeats
 * as the fields that moved (shared/alarms.ts `toRepeat`).
 * Owns its store; `close()` releases it.
 */
import {
  alarmForWire,
  isOpenState,
  sameAlarmTotals,
  toRepeat,
  type Alarm,
  type AlarmActionResult,
  type AlarmTotals,
  type Signal,
  type WireAlarmChange,
} from '../../shared/alarms';
import type { AlarmsDelta, AlarmsSnapshot } from '../../shared/events';
import { AlarmStore } from '../store/alarmStore';
import { defaultRules } from './defaultRules';
import { AlarmEngine, type AlarmEngineOptions } from './engine';

/** Pending signals are keyed by (signal, source): only the latest per key waits for the tick. */
export const PENDING_SIGNALS_CAP = 100_000;
/** Changes kept for the next frame; past it, viewers are told to take a fresh snapshot. */
export const CHANGE_BUFFER_CAP = 5_000;
/** Open alarms in a snapshot, most urgent first; the rest are paged from GET /api/alarms. */
export const SNAPSHOT_ALARMS_CAP = 500;

const SEVERITY_ORDER = { critical: 0, major: 1, warning: 2 } as const;
const STATE_ORDER: Record<Alarm['state'], number> = { active: 0, cleared: 1, assigned: 2, acknowledged: 3, resolved: 4, closed: 5 };

/** Most urgent first: unacknowledged, severity, escalation, newest. */
export function urgency(a: Alarm, b: Alarm): number {
  return (
    STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    b.escalationLevel - a.escalationLevel ||
    b.raisedAt - a.raisedAt
  );
}

export interface AlarmServiceOptions extends Partial<Omit<AlarmEngineOptions, 'store' | 'now'>> {
  /** The store to keep alarms and their audit log in (the service closes it), or a SQLite file / ':memory:'. */
  store: AlarmStore | { dbPath: string };
  now: () => number;
}

export class AlarmService {
  readonly store: AlarmStore;
  readonly engine: AlarmEngine;
  private pending = new Map<string, Signal>();
  private changes: WireAlarmChange[] = [];
  /**
   * Each open alarm as its latest change left it (the change's own copy, not another): what the next repeat
   * is compared with, so that it goes on the wire as the fields that moved.
   */
  private readonly lastSent = new Map<number, Alarm>();
  private overflowed = false;
  /** Totals as of the latest change; null when a change came since (counted again on the next read). */
  private totalsNow: AlarmTotals | null = null;
  /** The totals the previous delta carried (or would have): a delta carries them only when they differ. */
  private totalsSent: AlarmTotals | null = null;
  private readonly unsubscribe: () => void;

  constructor(private readonly opts: AlarmServiceOptions) {
    this.store = opts.store instanceof AlarmStore ? opts.store : new AlarmStore(opts.store.dbPath);
    this.engine = new AlarmEngine({ rules: opts.rules ?? defaultRules(), ...opts, store: this.store, now: opts.now });
    this.unsubscribe = this.engine.subscribe((c) => {
      this.totalsNow = null;
      const prev = this.lastSent.get(c.alarm.id);
      if (isOpenState(c.alarm.state)) this.lastSent.set(c.alarm.id, c.alarm);
      else this.lastSent.delete(c.alarm.id);
      if (this.changes.length >= CHANGE_BUFFER_CAP) {
        this.overflowed = true;
        return;
      }
      const repeat = prev && toRepeat(prev, c);
      if (repeat) this.changes.push(repeat);
      else {
        const alarm = alarmForWire(c.alarm);
        this.changes.push(alarm === c.alarm ? c : { ...c, alarm });
      }
    });
  }

  push(sig: Signal): void {
    const key = `${sig.signal}|${sig.source}`;
    if (!this.pending.has(key) && this.pending.size >= PENDING_SIGNALS_CAP) return;
    this.pending.set(key, sig);
  }

  /** Evaluates the tick's signals in one transaction, then lets time move the engine on. */
  tick(now: number): void {
    if (this.pending.size > 0) {
      const batch = [...this.pending.values()];
      this.pending = new Map();
      this.engine.evaluateMany(batch);
    }
    this.engine.tick(now);
  }

  /**
   * The changes since the last call, in rev order, as the views' delta: `resync` when some were dropped,
   * `totals` when the counts changed. Called once per tick.
   */
  takeChanges(): AlarmsDelta {
    const out: AlarmsDelta = { changes: this.changes };
    if (this.overflowed) out.resync = true;
    const totals = this.totals();
    if (!this.totalsSent || !sameAlarmTotals(totals, this.totalsSent)) out.totals = totals;
    this.totalsSent = totals;
    this.changes = [];
    this.overflowed = false;
    return out;
  }

  /** The most urgent open alarms (capped, member lists cut for the wire) and the counts over all of them. */
  snapshot(): AlarmsSnapshot {
    const s = this.engine.snapshot();
    return {
      rev: s.rev,
      open: s.alarms.sort(urgency).slice(0, SNAPSHOT_ALARMS_CAP).map(alarmForWire),
      openTotal: s.alarms.length,
      totals: this.totals(),
    };
  }

  /** Counted once after changes, not per request: every view and every subscribe shares the count. */
  totals(): AlarmTotals {
    return (this.totalsNow ??= this.engine.totals());
  }

  acknowledge(id: number, actor: string, note?: string): AlarmActionResult<Alarm> {
    return this.engine.acknowledge(id, actor, note);
  }

  assign(id: number, actor: string, assignee: string): AlarmActionResult<Alarm> {
    return this.engine.assign(id, actor, assignee);
  }

  resolve(id: number, actor: string, note: string): AlarmActionResult<Alarm> {
    return this.engine.resolve(id, actor, note);
  }

  close(): Promise<void> {
    this.unsubscribe();
    this.store.close();
    return Promise.resolve();
  }
}
