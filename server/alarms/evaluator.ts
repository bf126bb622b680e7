/**
 * Rule evaluation: signals and time → raises, step-ups, repeats and clears of open alarms, one open alarm per
 * (rule, source), storms folded into groups. Holds the per-(rule, source) condition trackers and the storm
 * window; changes alarms only through the book, the journal and the escalation deadlines it is given.
 *
 * Immediate: raises, severity step-ups, clears and closes. Coalesced into one change per alarm per tick:
 * repeats (count, lastSeen, value, levelNow) and members joining, leaving or coming back to a group, so
 * 1,000 repeats cost one write per tick, not 1,000. A rule with `group: 'commune'` groups from its first
 * source (rules.ts); the others only once a storm starts.
 */
import { finishAlarm } from './actions';
import { alarmKey, groupSource, makeAlarm, OVERFLOW_SOURCE } from './alarm';
import type { OpenAlarms } from './book';
import type { Escalation } from './escalation';
import type { ChangeJournal } from './journal';
import { clears, levelsOf, type LeveledRule, type Rule } from './rules';
import { StormWindow } from './storm';
import { feed, hasPending, metLevel, newTracker, rateOf, type Tracker } from './tracker';
import { severityRank, SYSTEM_ACTOR, type Alarm, type AlarmKind, type ChangeKind, type Signal } from '../../shared/alarms';

export interface EvaluatorConfig {
  maxOpen: number;
  maxTrackers: number;
  maxMembers: number;
  storm: { threshold: number; windowMs: number };
}

export class RuleEvaluator {
  private readonly rulesBySignal = new Map<string, Rule[]>();
  private readonly rulesById = new Map<string, Rule>();
  private readonly trackers = new Map<string, Tracker>();
  /** Trackers with a level running towards its minimum duration (checked by tick). */
  private readonly pending = new Set<string>();
  private readonly noData = new Set<string>();
  private readonly storm = new StormWindow();
  readonly counters = { rejected: 0, late: 0, evicted: 0, folded: 0, overflowed: 0 };

  constructor(
    rules: readonly Rule[],
    private readonly cfg: EvaluatorConfig,
    private readonly book: OpenAlarms,
    private readonly journal: ChangeJournal,
    private readonly escalation: Escalation,
  ) {
    for (const r of rules) {
      if (!r.enabled) continue;
      this.rulesById.set(r.id, r);
      const list = this.rulesBySignal.get(r.signal) ?? [];
      list.push(r);
      this.rulesBySignal.set(r.signal, list);
    }
  }

  /** One signal, at the journal's current time; the caller flushes the journal. */
  evaluate(sig: Signal): void {
    for (const rule of this.rulesBySignal.get(sig.signal) ?? []) this.evalRule(rule, sig);
  }

  /** What time alone changes: durations reached, no-data rules due, the storm window sliding on. */
  advance(now: number): void {
    for (const key of this.pending) {
      const t = this.trackers.get(key);
      if (t && t.rule.kind !== 'noData') this.step(t, t.rule, now, false);
      else this.pending.delete(key);
    }
    for (const key of this.noData) {
      const t = this.trackers.get(key);
      if (!t || t.rule.kind !== 'noData') this.noData.delete(key);
      else if (!t.active && now - t.lastData >= t.rule.afterMs) {
        t.active = true;
        this.raise(t, t.rule, 0, t.lastData + t.rule.afterMs);
      }
    }
  }

  pruneStorm(now: number): void {
    this.storm.prune(now, this.maxStormWindow());
  }

  stats() {
    return { trackers: this.trackers.size, pending: this.pending.size, stormKeys: this.storm.size, ...this.counters };
  }

  // ── signals ──────────────────────────────────────────────────────────────────────────────────────────

  private evalRule(rule: Rule, sig: Signal): void {
    const t = this.tracker(rule, sig.source, sig.commune ?? null);
    if (rule.kind === 'noData') {
      if (sig.value === null) return;
      if (sig.ts < t.lastData) {
        this.counters.late++;
        return;
      }
      t.lastData = sig.ts;
      this.noData.add(t.key);
      if (t.active) this.clearCondition(t);
      return;
    }
    // A late sample cannot be placed in a run without knowing what came between: ignore it.
    if (sig.ts < t.lastTs) {
      this.counters.late++;
      return;
    }
    if (sig.value === null) return;
    let v: number | null = sig.value;
    if (rule.kind === 'rate') {
      v = rateOf(t, rule, sig.ts, sig.value);
      if (v === null) return;
    }
    feed(t, rule, sig.ts, v);
    this.step(t, rule, sig.ts, true);
  }

  /** Re-evaluates a tracker after a sample (`sample`) or when time passed (tick). */
  private step(t: Tracker, rule: LeveledRule, at: number, sample: boolean): void {
    if (sample && t.active && clears(rule, t.lastValue!)) {
      this.clearCondition(t);
    } else {
      const lvl = metLevel(t, rule, at);
      if (!t.active) {
        if (lvl >= 0) {
          t.active = true;
          this.raise(t, rule, lvl, at);
        }
      } else {
        const a = this.linked(t);
        if (a && sample) this.touch(a, t);
        if (lvl > t.met) {
          // No open alarm while the condition holds means it was resolved: only a higher level is news.
          if (a) {
            t.met = lvl;
            // A group (or an alarm that peaked in an earlier episode) may already be higher: never step down.
            if (lvl > a.level) this.stepUp(a, rule, lvl);
          } else {
            this.raise(t, rule, lvl, at);
          }
        }
      }
    }
    if (hasPending(t, rule, at)) this.pending.add(t.key);
    else this.pending.delete(t.key);
  }

  /**
   * The open alarm a tracker feeds. Once it is resolved or closed the link drops; the tracker keeps `met`, so
   * an alarm resolved while its condition held stays quiet until a higher level or a clear and a new crossing.
   */
  private linked(t: Tracker): Alarm | undefined {
    if (t.alarmId === null) return undefined;
    const a = this.book.get(t.alarmId);
    if (a) return a;
    t.alarmId = null;
    return undefined;
  }

  private raise(t: Tracker, rule: Rule, lvl: number, at: number): void {
    t.met = Math.max(t.met, lvl);
    const existing = this.linked(t);
    if (existing?.members && existing.conditionActive) return this.rejoin(existing, t, rule, lvl, at);
    if (existing) return this.reactivate(existing, t, rule, lvl);
    const stormKey = alarmKey(rule.id, t.commune ?? '-');
    const threshold = rule.storm?.threshold ?? this.cfg.storm.threshold;
    const windowMs = rule.storm?.windowMs ?? this.cfg.storm.windowMs;
    const group = this.book.find(rule.id, groupSource(t.commune));
    if (group) return this.fold(group, t, rule, lvl, at);
    const full = this.book.capped >= this.cfg.maxOpen;
    if (!full && (rule.group === 'commune' || this.storm.isStorm(stormKey, this.journal.at, threshold, windowMs))) {
      return this.fold(this.create('group', rule, groupSource(t.commune), t.commune, lvl, at, t), t, rule, lvl, at);
    }
    if (full) {
      this.counters.overflowed++;
      const o = this.book.find(rule.id, OVERFLOW_SOURCE) ?? this.create('overflow', rule, OVERFLOW_SOURCE, null, lvl, at, t);
      return this.fold(o, t, rule, lvl, at);
    }
    this.storm.record(stormKey, this.journal.at, threshold);
    const a = this.create('single', rule, t.source, t.commune, lvl, at, t);
    t.alarmId = a.id;
    this.journal.emit(a, 'raised');
  }

  private create(kind: AlarmKind, rule: Rule, source: string, commune: string | null, lvl: number, at: number, t: Tracker): Alarm {
    const level = levelsOf(rule)[lvl]!;
    const runs = t.runs.filter((r): r is number => r !== null);
    const a = makeAlarm({
      id: this.journal.newId(),
      kind,
      ruleId: rule.id,
      source,
      signal: rule.signal,
      domain: rule.domain,
      commune,
      title: level.title,
      severity: level.severity,
      level: lvl,
      value: t.lastValue,
      raisedAt: this.journal.at,
      lastSeen: Number.isFinite(t.lastTs) ? t.lastTs : at,
      conditionSince: runs.length ? Math.min(...runs) : at,
      runs: kind === 'single' ? [...t.runs] : [],
      ackDeadline: this.escalation.deadlineFor(level.severity),
    });
    this.book.add(a);
    return a;
  }

  /** Adds a member to a group or overflow alarm; the first member raises it, later ones coalesce per tick. */
  private fold(g: Alarm, t: Tracker, rule: Rule, lvl: number, at: number): void {
    const m = g.members!;
    m.total++;
    m.active++;
    this.listMember(g, t.source);
    g.count++;
    g.lastSeen = Math.max(g.lastSeen, at);
    t.alarmId = g.id;
    this.counters.folded++;
    if (m.total === 1) return this.journal.emit(g, 'raised');
    if (!g.conditionActive) return this.reactivate(g, t, rule, lvl, true);
    if (lvl > g.level) return this.stepUp(g, rule, lvl, 'grouped');
    this.journal.markRepeat(g.id, 'grouped');
  }

  /**
   * A member of a group whose condition still holds comes back into it (a street light off again): one more
   * active member, not a new one, coalesced with the group's other comings and goings of this tick.
   */
  private rejoin(g: Alarm, t: Tracker, rule: Rule, lvl: number, at: number): void {
    g.members!.active++;
    this.listMember(g, t.source);
    g.count++;
    g.lastSeen = Math.max(g.lastSeen, at);
    if (lvl > g.level) return this.stepUp(g, rule, lvl, 'grouped');
    this.journal.markRepeat(g.id, 'grouped');
  }

  /** Lists an active member, up to maxMembers: the list is what a restart uses to re-link members. */
  private listMember(g: Alarm, source: string): void {
    const list = g.members!.sources;
    if (list.length < this.cfg.maxMembers && !list.includes(source)) list.push(source);
  }

  /** The condition came back while the alarm was still open (e.g. cleared but not yet acknowledged). */
  private reactivate(a: Alarm, t: Tracker, rule: Rule, lvl: number, alreadyCounted = false): void {
    if (a.members && !alreadyCounted) {
      a.members.active++;
      this.listMember(a, t.source);
    }
    if (!alreadyCounted) a.count++;
    a.lastSeen = Math.max(a.lastSeen, t.lastTs);
    a.value = t.lastValue;
    if (a.kind === 'single') a.runs = [...t.runs];
    a.conditionActive = true;
    a.clearedAt = null;
    if (a.state === 'cleared') a.state = 'active';
    if (lvl > a.level) return this.stepUp(a, rule, lvl);
    a.levelNow = lvl;
    this.journal.emit(a, 'updated');
  }

  private stepUp(a: Alarm, rule: Rule, lvl: number, change: ChangeKind = 'updated'): void {
    const level = levelsOf(rule)[lvl]!;
    const prev = a.severity;
    a.level = lvl;
    a.levelNow = lvl;
    a.title = level.title;
    if (severityRank(level.severity) <= severityRank(prev)) return this.journal.emit(a, change);
    a.severity = level.severity;
    // A worse severity needs a fresh look, even from whoever acknowledged or owns the milder alarm.
    if (a.state === 'acknowledged' || a.state === 'assigned') a.state = 'active';
    if (a.ackDeadline === null) this.book.setDeadline(a, this.escalation.deadlineFor(a.severity));
    this.journal.emit(a, change, { previousSeverity: prev });
  }

  /** A repeat: counted only when the value is beyond a level (not inside the hysteresis band). */
  private touch(a: Alarm, t: Tracker): void {
    a.value = t.lastValue;
    if (t.runs.some((r) => r !== null)) {
      a.count++;
      a.lastSeen = Math.max(a.lastSeen, t.lastTs);
    }
    if (a.kind === 'single') {
      a.runs = [...t.runs];
      a.levelNow = t.rule.kind === 'noData' ? 0 : metLevel(t, t.rule, t.lastTs);
    }
    this.journal.markRepeat(a.id, 'updated');
  }

  private clearCondition(t: Tracker): void {
    const a = this.linked(t);
    t.active = false;
    t.met = -1;
    t.runs.fill(null);
    if (!a) return;
    if (a.members) {
      a.members.active = Math.max(0, a.members.active - 1);
      const i = a.members.sources.indexOf(t.source);
      if (i >= 0) a.members.sources.splice(i, 1);
      if (a.members.active > 0) {
        this.journal.markRepeat(a.id, 'grouped');
        return;
      }
    }
    a.conditionActive = false;
    a.clearedAt = this.journal.at;
    a.levelNow = -1;
    a.value = t.lastValue;
    if (a.kind === 'single') a.runs = [...t.runs];
    if (a.state === 'active') a.state = 'cleared';
    this.journal.emit(a, 'cleared');
    // Acknowledged and over: nothing left to look at. Assigned stays with its owner until resolved.
    if (a.state === 'acknowledged') finishAlarm({ book: this.book, journal: this.journal }, a, 'closed', SYSTEM_ACTOR);
  }

  private maxStormWindow(): number {
    let w = this.cfg.storm.windowMs;
    for (const r of this.rulesById.values()) w = Math.max(w, r.storm?.windowMs ?? 0);
    return w;
  }

  // ── trackers ─────────────────────────────────────────────────────────────────────────────────────────

  private tracker(rule: Rule, source: string, commune: string | null): Tracker {
    const key = alarmKey(rule.id, source);
    let t = this.trackers.get(key);
    if (t) {
      this.trackers.delete(key); // re-inserted below: Map order is least recently used first
      if (commune !== null) t.commune = commune;
    } else {
      t = newTracker(key, rule, source, commune);
      this.adopt(t, rule);
    }
    this.trackers.set(key, t);
    while (this.trackers.size > this.cfg.maxTrackers) this.evict(this.trackers.values().next().value!);
    return t;
  }

  /**
   * A new tracker takes over the open alarm of its key (after a restart or an eviction). A group member is
   * re-linked only if it is on the group's list of active members; one that is not (beyond the list's cap)
   * will be folded in again and counted twice, which can keep a group open but never clears one early.
   */
  private adopt(t: Tracker, rule: Rule): void {
    const a =
      this.book.find(rule.id, t.source) ??
      [groupSource(t.commune), OVERFLOW_SOURCE]
        .map((s) => this.book.find(rule.id, s))
        .find((g) => g?.members?.sources.includes(t.source));
    if (!a) return;
    t.alarmId = a.id;
    t.active = a.conditionActive;
    t.met = a.level;
    if (a.kind !== 'single') return;
    if (a.runs.length === t.runs.length) t.runs = [...a.runs];
    t.lastTs = a.lastSeen;
    t.lastData = a.lastSeen;
    t.lastValue = a.value;
  }

  private evict(t: Tracker): void {
    this.trackers.delete(t.key);
    this.pending.delete(t.key);
    this.noData.delete(t.key);
    this.counters.evicted++;
    // A dropped member can no longer report its own clear: count it as cleared rather than leave a group open forever.
    const a = t.alarmId === null ? undefined : this.book.get(t.alarmId);
    if (a?.members && t.active) this.clearCondition(t);
  }
}
