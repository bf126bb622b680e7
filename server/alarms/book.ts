/**
 * The open-alarm book: the alarms not yet resolved or closed and their indices (by id, by rule and source,
 * those waiting to escalate). It only holds and indexes; who changes an alarm and how is elsewhere
 * (evaluator.ts for the rules, actions.ts for operators, escalation.ts for time).
 */
import { alarmKey } from './alarm';
import type { Alarm } from '../../shared/alarms';

export class OpenAlarms {
  private readonly byId = new Map<number, Alarm>();
  /** alarmKey(rule, source) → open alarm id; sources of groups and overflows are synthetic. */
  private readonly byKey = new Map<string, number>();
  /** Alarms with an acknowledgement deadline (escalation.ts walks them each tick). */
  private readonly deadlines = new Set<number>();
  private cappedCount = 0;

  get size(): number {
    return this.byId.size;
  }

  /** Open alarms that count towards maxOpen (all but the overflow groups). */
  get capped(): number {
    return this.cappedCount;
  }

  /** The live record (not a copy): only the engine's parts hold the book. */
  get(id: number): Alarm | undefined {
    return this.byId.get(id);
  }

  /** The open alarm of a (rule, source), if any. */
  find(ruleId: string, source: string): Alarm | undefined {
    const id = this.byKey.get(alarmKey(ruleId, source));
    return id === undefined ? undefined : this.byId.get(id);
  }

  values(): IterableIterator<Alarm> {
    return this.byId.values();
  }

  /** Ids of alarms with a deadline; the caller may clear deadlines while iterating. */
  withDeadline(): IterableIterator<number> {
    return this.deadlines.values();
  }

  add(a: Alarm): void {
    this.byId.set(a.id, a);
    this.byKey.set(alarmKey(a.ruleId, a.source), a.id);
    if (a.kind !== 'overflow') this.cappedCount++;
    if (a.ackDeadline !== null) this.deadlines.add(a.id);
  }

  remove(a: Alarm): void {
    this.byId.delete(a.id);
    const key = alarmKey(a.ruleId, a.source);
    if (this.byKey.get(key) === a.id) this.byKey.delete(key);
    if (a.kind !== 'overflow') this.cappedCount--;
    this.deadlines.delete(a.id);
  }

  setDeadline(a: Alarm, at: number | null): void {
    a.ackDeadline = at;
    if (at === null) this.deadlines.delete(a.id);
    else this.deadlines.add(a.id);
  }

  dropDeadline(id: number): void {
    this.deadlines.delete(id);
  }
}
