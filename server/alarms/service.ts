/**
 * Alarms as the app runs them: the engine over the SQLite store, fed once per tick with the
 * signals that domain changes produced, its changes buffered (in rev order) for the next frame, repeats
 * as the fields that moved (shared/alarmWire.ts `toRepeat`).
 * Owns its store; `close()` releases it.
 */
import { ERROR_CODES } from '../../shared/protocol';
import type { AlarmStorePort } from './storePort';
import { isOpenState, sameAlarmTotals, type Alarm, type AlarmActionResult, type AlarmChange, type AlarmTotals, type Signal } from '../../shared/alarms';
import { alarmForWire, isRoutineChange, toRepeat, wholeToWire, type WireAlarmChange } from '../../shared/alarmWire';
import type { AlarmsDelta, AlarmsSnapshot } from '../../shared/events';
import { AlarmStore } from '../store/alarmStore';
import { defaultRules } from './defaultRules';
import { AlarmEngine, type AlarmEngineOptions } from './engine';

/** Pending signals are keyed by (signal, source): only the latest per key waits for the tick. */
export const PENDING_SIGNALS_CAP = 100_000;
/** Changes kept for the next frame; past it, viewers are told to take a fresh snapshot. */
export const CHANGE_BUFFER_CAP = 5_000;
/** A routine change waits at most this many deltas less one (under a second at the 250 ms tick) for its alarm's slot. */
export const ROUTINE_EVERY_TICKS = 4;
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

/**
 * In a cluster (server/cluster/clusterAlarms.ts) only the leader's engine evaluates; a follower's mirrors the
 * leader's changes and forwards operators' actions to it. Alone, the instance is 'solo' and does everything.
 */
export type AlarmRole = 'solo' | 'leader' | 'follower';

/** An operator action as a follower forwards it to the leader. */
export type AlarmActionRequest =
  | { kind: 'acknowledge'; id: number; actor: string; note?: string }
  | { kind: 'assign'; id: number; actor: string; assignee: string }
  | { kind: 'resolve'; id: number; actor: string; note: string };

export class AlarmService {
  readonly store: AlarmStore;
  private current: AlarmEngine;
  private role: AlarmRole = 'solo';
  /** A follower's way to the leader; answers an error when no leader answers. */
  private forward: ((req: AlarmActionRequest) => Promise<AlarmActionResult<Alarm>>) | null = null;
  private durable: (() => Promise<void>) | null = null;
  /** A leader's changes since the last tick, for the followers (bounded like the views' buffer). */
  private outbox: AlarmChange[] = [];
  private outboxOverflowed = false;
  private pending = new Map<string, Signal>();
  private changes: WireAlarmChange[] = [];
  /**
   * Routine changes (shared/alarmWire.ts `isRoutineChange`: counts, a group's members, a condition clearing or
   * coming back) wait for their alarm's slot, one delta in ROUTINE_EVERY_TICKS (by id), and go as one repeat
   * from what the views hold: in a storm every group moved every tick, and told each tick, all together, they
   * made the alarm part of a delta 17–18 KB; paced and spread, each group is told once a second (the wall's
   * panel changes no more often). A raise, a step, a decision or closing goes at once, whole, in place of a
   * held one. A repeat released late has an older rev than changes of other alarms sent before it: the views
   * apply a repeat by its own alarm's rev (client/alarms/alarmStore.ts).
   */
  private readonly held = new Map<number, { base: Alarm | undefined; change: AlarmChange }>();
  private deltas = 0;
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
  private unsubscribe: () => void;

  constructor(private readonly opts: AlarmServiceOptions) {
    this.store = opts.store instanceof AlarmStore ? opts.store : new AlarmStore(opts.store.dbPath);
    this.current = new AlarmEngine({ rules: opts.rules ?? defaultRules(), ...opts, store: this.store, now: opts.now });
    this.unsubscribe = this.listen(this.current);
  }

  get engine(): AlarmEngine {
    return this.current;
  }

  get alarmRole(): AlarmRole {
    return this.role;
  }

  /**
   * Takes a new engine (a leader's on the shared store, or a follower's mirror loaded from it) in a role.
   * Viewers are told to take a fresh snapshot: what they hold came from the engine before.
   */
  /**
   * `durable` (a leader writing behind, server/cluster/alarmWriteBehind.ts): awaited after an operator's action
   * applied and before it is answered, so that an action answered is in the shared store (a leader killed right
   * after answering loses none).
   */
  useEngine(port: AlarmStorePort, role: AlarmRole, forward?: (req: AlarmActionRequest) => Promise<AlarmActionResult<Alarm>>, durable?: () => Promise<void>): void {
    this.unsubscribe();
    this.current = new AlarmEngine({ rules: this.opts.rules ?? defaultRules(), ...this.opts, store: port, now: this.opts.now });
    this.unsubscribe = this.listen(this.current);
    this.role = role;
    this.forward = forward ?? null;
    this.durable = durable ?? null;
    this.pending = new Map();
    this.lastSent.clear();
    this.changes = [];
    this.held.clear();
    this.overflowed = true;
    this.outbox = [];
    this.totalsNow = null;
  }

  /** A follower: the leader's changes, in its rev order. */
  mirror(changes: readonly AlarmChange[]): void {
    if (this.role !== 'follower') return;
    for (const c of changes) this.current.mirror(c);
  }

  /** A leader: its changes since the last call, for the followers; `resync` when some were dropped. */
  takeOutbox(): { changes: AlarmChange[]; resync: boolean } {
    const out = { changes: this.outbox, resync: this.outboxOverflowed };
    this.outbox = [];
    this.outboxOverflowed = false;
    return out;
  }

  private listen(engine: AlarmEngine): () => void {
    return engine.subscribe((c) => {
      if (this.role === 'leader') {
        if (this.outbox.length < CHANGE_BUFFER_CAP) this.outbox.push(c);
        else this.outboxOverflowed = true;
      }
      this.totalsNow = null;
      const id = c.alarm.id;
      const prev = this.lastSent.get(id);
      if (isOpenState(c.alarm.state)) this.lastSent.set(id, c.alarm);
      else this.lastSent.delete(id);
      if (isRoutineChange(c)) {
        // Held for the alarm's slot; a later routine change replaces it, still from what the views hold.
        const held = this.held.get(id);
        if (held) held.change = c;
        else if (this.held.size < CHANGE_BUFFER_CAP) this.held.set(id, { base: prev, change: c });
        else this.send(prev, c);
        return;
      }
      // A whole change carries everything a held one would have.
      this.held.delete(id);
      this.send(prev, c);
    });
  }

  /** Into the next delta: as a repeat against what the views hold when it can be one, else whole. */
  private send(base: Alarm | undefined, c: AlarmChange): void {
    if (this.changes.length >= CHANGE_BUFFER_CAP) {
      this.overflowed = true;
      return;
    }
    const repeat = base && toRepeat(base, c);
    if (repeat) this.changes.push(repeat);
    else {
      const alarm = alarmForWire(c.alarm);
      this.changes.push(wholeToWire(alarm === c.alarm ? c : { ...c, alarm }));
    }
  }

  push(sig: Signal): void {
    // A follower's signals are the leader's too (every instance has the province's state): it alone decides.
    if (this.role === 'follower') return;
    const key = `${sig.signal}|${sig.source}`;
    if (!this.pending.has(key) && this.pending.size >= PENDING_SIGNALS_CAP) return;
    this.pending.set(key, sig);
  }

  /** Evaluates the tick's signals in one transaction, then lets time move the engine on. */
  tick(now: number): void {
    if (this.role === 'follower') return;
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
    const slot = this.deltas++ % ROUTINE_EVERY_TICKS;
    for (const [id, h] of this.held) {
      if (id % ROUTINE_EVERY_TICKS !== slot) continue;
      this.held.delete(id);
      this.send(h.base, h.change);
    }
    const out: AlarmsDelta = { changes: this.changes.sort((a, b) => a.rev - b.rev) };
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

  acknowledge(id: number, actor: string, note?: string): AlarmActionResult<Alarm> | Promise<AlarmActionResult<Alarm>> {
    return this.act({ kind: 'acknowledge', id, actor, note });
  }

  assign(id: number, actor: string, assignee: string): AlarmActionResult<Alarm> | Promise<AlarmActionResult<Alarm>> {
    return this.act({ kind: 'assign', id, actor, assignee });
  }

  resolve(id: number, actor: string, note: string): AlarmActionResult<Alarm> | Promise<AlarmActionResult<Alarm>> {
    return this.act({ kind: 'resolve', id, actor, note });
  }

  /** Runs an action here (solo, leader), or has the leader run it (follower). */
  act(req: AlarmActionRequest): AlarmActionResult<Alarm> | Promise<AlarmActionResult<Alarm>> {
    if (this.role === 'follower') {
      return this.forward ? this.forward(req) : { error: { code: ERROR_CODES.UNAVAILABLE, message: 'chưa liên lạc được máy chủ chủ trì cảnh báo; thử lại sau vài giây' } };
    }
    const result = req.kind === 'acknowledge' ? this.current.acknowledge(req.id, req.actor, req.note) : req.kind === 'assign' ? this.current.assign(req.id, req.actor, req.assignee) : this.current.resolve(req.id, req.actor, req.note);
    const durable = this.durable;
    if (!durable || !('data' in result)) return result;
    return durable().then(
      () => result,
      () => result,
    );
  }

  close(): Promise<void> {
    this.unsubscribe();
    this.store.close();
    return Promise.resolve();
  }
}
