/**
 * Escalation: a critical alarm unacknowledged past its deadline goes up one level per elapsed period.
 * Reads and writes the book's deadlines; each level is its own change in the journal.
 */
import { isUnacknowledged } from './alarm';
import type { OpenAlarms } from './book';
import type { ChangeJournal } from './journal';
import type { Severity } from '../../shared/alarms';

export interface EscalationConfig {
  /** A critical alarm unacknowledged this long escalates one level, then again every further period. */
  afterMs: number;
  maxLevel: number;
  severities: readonly Severity[];
}

export class Escalation {
  constructor(
    private readonly cfg: EscalationConfig,
    private readonly book: OpenAlarms,
    private readonly journal: ChangeJournal,
  ) {}

  /** When an alarm of this severity raised now must be acknowledged before it escalates; null if it never does. */
  deadlineFor(s: Severity): number | null {
    return this.cfg.severities.includes(s) ? this.journal.at + this.cfg.afterMs : null;
  }

  /**
   * One level per elapsed period, each its own change; a long outage catches up, capped at maxLevel. A
   * cleared alarm still escalates while unacknowledged: the point is that nobody has looked at a critical one.
   */
  run(now: number): void {
    const { afterMs, maxLevel } = this.cfg;
    for (const id of this.book.withDeadline()) {
      const a = this.book.get(id);
      if (!a || a.ackDeadline === null || !isUnacknowledged(a.state)) {
        if (a) a.ackDeadline = null;
        this.book.dropDeadline(id);
        continue;
      }
      while (a.ackDeadline !== null && a.ackDeadline <= now) {
        a.escalationLevel++;
        this.book.setDeadline(a, a.escalationLevel >= maxLevel ? null : a.ackDeadline + afterMs);
        this.journal.emit(a, 'escalated');
      }
    }
  }
}
