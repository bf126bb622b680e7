/**
 * The alarm engine: one object that holds its parts and says what an engine call does. Pure (STYLE.md 8): an
 * injected clock, no timers; the owner calls `tick(now)` for everything time alone can change (durations,
 * no-data, escalation) and to flush coalesced updates.
 *
 * Parts: the open-alarm book (book.ts), the rule evaluation (evaluator.ts), escalation (escalation.ts), the
 * operator actions (actions.ts), and the journal (journal.ts) that numbers every change, writes it through the
 * store port (storePort.ts) and only then tells listeners.
 */
import { runAction, type ActionParts, type ActionRequest } from './actions';
import { copyAlarm } from './alarm';
import { OpenAlarms } from './book';
import { Escalation, type EscalationConfig } from './escalation';
import { RuleEvaluator } from './evaluator';
import { ChangeJournal, type AlarmListener } from './journal';
import type { Rule } from './rules';
import type { AlarmStorePort } from './storePort';
import { DEFAULT_ALARM_TIMINGS } from './timings';
import { countAlarmTotals, isOpenState, isValidSignal, type Alarm, type AlarmActionResult, type AlarmChange, type AlarmTotals, type Signal } from '../../shared/alarms';

export type { AlarmListener } from './journal';
export type { AlarmStorePort } from './storePort';

export interface AlarmEngineOptions {
  rules: readonly Rule[];
  now: () => number;
  store?: AlarmStorePort;
  /** Cap of open alarms (singles and groups); beyond it new alarms fold into one overflow group per rule. */
  maxOpen?: number;
  /** Cap of per-(rule, source) condition trackers; the least recently updated is dropped first. */
  maxTrackers?: number;
  /** Cap of the member list kept on a group alarm (its `total` keeps counting). */
  maxMembers?: number;
  storm?: { threshold?: number; windowMs?: number };
  escalation?: Partial<EscalationConfig>;
  /** A failed store write outside an operator action; default: rethrown after listeners got the changes. */
  onStoreError?: (err: unknown) => void;
}

export const ENGINE_DEFAULTS = {
  maxOpen: 10_000,
  maxTrackers: 200_000,
  maxMembers: 500,
  // Timings are data (timings.ts): a province overrides them in its alarms.json.
  storm: DEFAULT_ALARM_TIMINGS.storm,
  escalation: DEFAULT_ALARM_TIMINGS.escalation,
} as const;

export class AlarmEngine {
  private readonly now: () => number;
  private readonly book = new OpenAlarms();
  private readonly journal: ChangeJournal;
  private readonly escalation: Escalation;
  private readonly evaluator: RuleEvaluator;
  private readonly actions: ActionParts;

  constructor(opts: AlarmEngineOptions) {
    this.now = opts.now;
    this.journal = new ChangeJournal(opts.store, opts.onStoreError);
    for (const a of opts.store?.loadOpen() ?? []) this.book.add(a);
    this.escalation = new Escalation({ ...ENGINE_DEFAULTS.escalation, ...opts.escalation }, this.book, this.journal);
    this.evaluator = new RuleEvaluator(
      opts.rules,
      {
        maxOpen: opts.maxOpen ?? ENGINE_DEFAULTS.maxOpen,
        maxTrackers: opts.maxTrackers ?? ENGINE_DEFAULTS.maxTrackers,
        maxMembers: opts.maxMembers ?? ENGINE_DEFAULTS.maxMembers,
        storm: { ...ENGINE_DEFAULTS.storm, ...opts.storm },
      },
      this.book,
      this.journal,
      this.escalation,
    );
    this.actions = { book: this.book, journal: this.journal, store: opts.store, now: opts.now };
  }

  /** Every change in rev order; returns the unsubscribe (STYLE.md 10). */
  subscribe(fn: AlarmListener): () => void {
    return this.journal.subscribe(fn);
  }

  /** One signal; its changes are written in one transaction before listeners hear of them. */
  evaluate(sig: Signal): void {
    this.evaluateMany([sig]);
  }

  /**
   * Many signals (say, all of one ingest tick) with one store transaction for all their changes: a write
   * costs mostly its commit, so a burst of raises is far cheaper batched (numbers in the store's bench).
   */
  evaluateMany(signals: Iterable<Signal>): void {
    this.journal.at = this.now();
    for (const sig of signals) {
      if (isValidSignal(sig)) this.evaluator.evaluate(sig);
      else this.evaluator.counters.rejected++;
    }
    this.journal.flush();
  }

  /** The order of a tick: time-driven conditions, escalation, coalesced repeats, then one write. */
  tick(now: number = this.now()): void {
    this.journal.at = now;
    this.evaluator.advance(now);
    this.escalation.run(now);
    this.journal.flushRepeats(this.book);
    this.evaluator.pruneStorm(now);
    this.journal.flush();
  }

  /** The open alarms (copies) and the rev they are current to: the realtime snapshot. */
  snapshot(): { rev: number; alarms: Alarm[] } {
    return { rev: this.journal.rev, alarms: [...this.book.values()].map(copyAlarm) };
  }

  /** Counts over every open alarm: one pass, no copies (the service calls it at most once per tick). */
  totals(): AlarmTotals {
    return countAlarmTotals(this.book.values());
  }

  /** A copy of one open alarm. */
  get(id: number): Alarm | undefined {
    const a = this.book.get(id);
    return a && copyAlarm(a);
  }

  acknowledge(id: number, actor: string, note?: string): AlarmActionResult<Alarm> {
    return this.act({ kind: 'acknowledge', id, actor, note });
  }

  assign(id: number, actor: string, assignee: string): AlarmActionResult<Alarm> {
    return this.act({ kind: 'assign', id, actor, assignee });
  }

  resolve(id: number, actor: string, note: string): AlarmActionResult<Alarm> {
    return this.act({ kind: 'resolve', id, actor, note });
  }

  /**
   * A change the leader made (server/cluster/clusterAlarms.ts): the book follows it, listeners hear it, nothing
   * is written. Older than what the book holds (a change seen twice, or after a reload): ignored. Returns
   * whether it applied. Only a follower's engine is fed this way; it evaluates nothing itself.
   */
  mirror(c: AlarmChange): boolean {
    const cur = this.book.get(c.alarm.id);
    if (cur && cur.rev >= c.alarm.rev) return false;
    if (cur) this.book.remove(cur);
    if (isOpenState(c.alarm.state)) this.book.add(copyAlarm(c.alarm));
    this.journal.mirror(c);
    return true;
  }

  stats() {
    return { open: this.book.size, rev: this.journal.rev, ...this.evaluator.stats() };
  }

  private act(req: ActionRequest): AlarmActionResult<Alarm> {
    return runAction(this.actions, req);
  }
}
