/**
 * Open alarms as the views see them, kept outside React (STYLE.md 11) and bounded.
 *
 * The wall and the console get a snapshot (rev N, the most urgent open alarms) and then every change in rev
 * order, repeats as the fields that moved (applied to the alarm held, if newer than its own rev: the server
 * paces repeats, so one may be older than other alarms' changes already seen); a whole change at or below the
 * rev already held is ignored, so a change that arrives twice (in a snapshot
 * and the next delta, or in an action's answer and the next delta) is applied once. The phone gets a small
 * summary each frame instead. Listeners are told at most once per animation frame.
 *
 * The counts (by severity, unacknowledged, escalated) are the server's totals over every open alarm, never a
 * count of the held list: in a storm the list is the 500 most urgent of thousands.
 *
 * A raise, or a step up in severity (BĐ I → II), is an announcement: the wall panel flies the map there
 * and plays a cue. Each (alarm, severity) is announced at most once, whatever the path it arrived by.
 */
import type { Alarm, AlarmChange, AlarmHealth, AlarmTotals, Severity } from '../../shared/alarms';
import { applyRepeat, isAlarmRepeat, wholeFromWire, type AlarmRepeat } from '../../shared/alarmWire';
import type { AlarmsDelta, AlarmsSnapshot, MobileSnapshot } from '../../shared/events';
import { byUrgency, isOpen } from './order';

export type MobileAlarmSummary = NonNullable<MobileSnapshot['alarms']>;

export interface Announcement {
  alarm: Alarm;
  /** raised: a new alarm; stepUp: its severity rose; escalated: still unacknowledged past the deadline. */
  kind: 'raised' | 'stepUp' | 'escalated';
  previousSeverity?: Severity;
}

export type Scheduler = (callback: () => void) => void;

export interface AlarmStoreOptions {
  schedule?: Scheduler;
  /** Open alarms held; past it the least urgent are dropped (and counted in `openTotal`). */
  maxOpen?: number;
  /** See `setCalm`; 0 (the default): listeners are told on the next frame after any change. */
  calmMs?: number;
  /** The clock and the timer behind `calmMs` (tests pass fakes). */
  now?: () => number;
  later?: (callback: () => void, ms: number) => void;
}

/** The wall's calm interval (`setCalm`): its panel re-renders at most this often while a storm lasts. */
export const WALL_ALARM_CALM_MS = 1000;
/** More than the server's snapshot (500) so that changes on top of a full snapshot still fit. */
export const MAX_OPEN = 1000;
/** Announcements waiting for the next frame; a flood keeps the newest (the panel acts on the worst anyway). */
export const MAX_PENDING_ANNOUNCEMENTS = 50;
/** (alarm, severity) pairs remembered as announced, and removed alarm ids remembered against late changes. */
export const MEMORY_CAP = 5000;

const defaultSchedule: Scheduler = (cb) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => cb());
  else setTimeout(cb, 16);
};

/** A Map used as a bounded insertion-ordered memory: the oldest key goes first. */
class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly cap: number) {
    super();
  }
  override set(key: K, value: V): this {
    if (this.has(key)) this.delete(key);
    super.set(key, value);
    while (this.size > this.cap) this.delete(this.keys().next().value as K);
    return this;
  }
}

const SEVERITIES_DESC: readonly Severity[] = ['critical', 'major', 'warning'];
const NO_COUNTS: Readonly<Record<Severity, number>> = Object.freeze({ critical: 0, major: 0, warning: 0 });

export class AlarmStore {
  /** Bumped at most once per frame when anything changed. */
  version = 0;
  /** Rev the held list is current to; null before the first snapshot (and on the phone, which has none). */
  rev: number | null = null;
  /** After a resync request: deltas are ignored until the next snapshot. */
  awaitingSnapshot = true;
  health: AlarmHealth | null = null;
  /** The server's counts over all open alarms; null before the first frame. */
  totals: AlarmTotals | null = null;

  private readonly maxOpen: number;
  private readonly schedule: Scheduler;
  private readonly open = new Map<number, Alarm>();
  /** Fed by the phone's frames (no revs to follow) rather than by snapshot and deltas. */
  private phone = false;
  /** Open alarms the server has that this store does not hold (beyond the snapshot's cap, or evicted). */
  private unheld = 0;
  private readonly announced = new BoundedMap<string, true>(MEMORY_CAP);
  private readonly removed = new BoundedMap<number, number>(MEMORY_CAP);
  /** Action answers newer than the phone's last frame: kept over that frame's copy until it catches up. */
  private readonly fresher = new BoundedMap<number, Alarm>(100);
  private pending: Announcement[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly announceListeners = new Set<(batch: readonly Announcement[]) => void>();
  private framePending = false;
  private timerPending = false;
  /** Bumped by each flush: a timer set before it has nothing left to tell. */
  private timerGen = 0;
  /** A critical announcement was queued by the delta being applied. */
  private criticalQueued = false;
  private changeCount = 0;
  /** `changeCount` at the last flush: a timer that finds nothing new since tells nobody. */
  private flushedCount = 0;
  private lastFlushAt = -Infinity;
  private calmMs: number;
  private readonly now: () => number;
  private readonly later: (callback: () => void, ms: number) => void;
  private sortedCache: { at: number; list: Alarm[] } | null = null;

  constructor(options: AlarmStoreOptions = {}) {
    this.maxOpen = options.maxOpen ?? MAX_OPEN;
    this.schedule = options.schedule ?? defaultSchedule;
    this.calmMs = options.calmMs ?? 0;
    this.now = options.now ?? (() => performance.now());
    this.later = options.later ?? ((cb, ms) => void setTimeout(cb, ms));
  }

  /**
   * Routine changes (counts moving, clears, acknowledgements by others, raises below critical) tell the
   * listeners at most once per `ms`: in a storm the wall's panel re-renders once a second, not every tick.
   * A critical raise, step-up or escalation, a snapshot and this screen's own action answers are told on
   * the next frame, as before.
   */
  setCalm(ms: number): void {
    this.calmMs = ms;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** New raises and step-ups, delivered once per frame in arrival order. */
  onAnnounce(listener: (batch: readonly Announcement[]) => void): () => void {
    this.announceListeners.add(listener);
    return () => {
      this.announceListeners.delete(listener);
    };
  }

  getVersion = (): number => this.version;

  /** All open alarms the server has, held or not. */
  get openTotal(): number {
    return this.open.size + this.unheld;
  }

  get(id: number): Alarm | undefined {
    return this.open.get(id);
  }

  /** Held open alarms, most urgent first; the same array until something changes. */
  list(): readonly Alarm[] {
    if (this.sortedCache?.at !== this.changeCount) {
      this.sortedCache = { at: this.changeCount, list: [...this.open.values()].sort(byUrgency) };
    }
    return this.sortedCache.list;
  }

  /** Open alarms per severity, from the server's totals. */
  countsBySeverity(): Record<Severity, number> {
    return this.totals?.bySeverity ?? NO_COUNTS;
  }

  /** Open alarms nobody has acknowledged, from the server's totals. */
  get unacknowledged(): number {
    return this.totals?.unacknowledged ?? 0;
  }

  /** Open alarms that escalated at least once, from the server's totals. */
  get escalated(): number {
    return this.totals?.escalated ?? 0;
  }

  /**
   * `quiet`: the alarms open at a past instant (the wall's time machine): shown, never announced (no cue, no
   * flight to their place), and remembered as announced so the return to live does not announce them either.
   */
  applySnapshot(s: AlarmsSnapshot, options: { quiet?: boolean } = {}): void {
    const first = this.rev === null || options.quiet === true;
    const before = new Map(this.open);
    this.open.clear();
    for (const a of s.open) if (isOpen(a)) this.open.set(a.id, a);
    this.unheld = Math.max(0, s.openTotal - this.open.size);
    this.totals = s.totals;
    this.rev = s.rev;
    this.awaitingSnapshot = false;
    this.fresher.clear();
    this.evictBeyondCap();
    for (const a of this.open.values()) {
      const key = announceKey(a);
      // The first snapshot is what was already there when the screen started: no fanfare. A later one
      // (after a reconnect or a resync) may carry raises whose changes never reached us: announce those.
      if (!first && !this.announced.has(key) && before.get(a.id)?.severity !== a.severity && a.state === 'active') {
        this.queueAnnouncement({ alarm: a, kind: before.has(a.id) ? 'stepUp' : 'raised' });
      }
      this.announced.set(key, true);
    }
    this.changed();
  }

  /** `resync`: the server dropped changes; the caller must resubscribe (deltas are ignored until then). */
  applyDelta(d: AlarmsDelta): 'applied' | 'resync' | 'dropped' {
    if (this.awaitingSnapshot || this.rev === null) return 'dropped';
    let any = false;
    this.criticalQueued = false;
    for (const c of d.changes) {
      // A repeat goes by its own alarm's rev: the server paces them (one per alarm a second, in its slot), so
      // one may come after newer changes of other alarms. It only ever moves an alarm held here.
      if (isAlarmRepeat(c)) {
        if (this.applyRepeat(c)) any = true;
        continue;
      }
      if (c.rev <= this.rev) continue;
      this.rev = c.rev;
      if (this.applyChange(wholeFromWire(c))) any = true;
    }
    // Once per delta, not per raise: in a storm (hundreds of raises a tick at the cap) sorting
    // the held alarms for each one cost tens of ms of the wall's main thread per delta.
    if (any) this.evictBeyondCap();
    if (d.totals) this.totals = d.totals;
    if (any || d.totals) this.changed(this.criticalQueued);
    if (d.resync) {
      this.awaitingSnapshot = true;
      return 'resync';
    }
    return 'applied';
  }

  /** The phone's frame: its short list replaces what is held (it has no revs to follow). */
  applyMobile(m: MobileAlarmSummary): void {
    this.open.clear();
    for (const a of m.top) {
      const f = this.fresher.get(a.id);
      if (f && f.rev > a.rev) {
        if (isOpen(f)) this.open.set(f.id, f);
        continue;
      }
      if (f) this.fresher.delete(a.id);
      this.open.set(a.id, a);
    }
    this.unheld = Math.max(0, m.totals.open - this.open.size);
    this.totals = m.totals;
    this.phone = true;
    this.awaitingSnapshot = false;
    for (const a of this.open.values()) this.announced.set(announceKey(a), true);
    this.changed();
  }

  setHealth(h: AlarmHealth): void {
    this.health = h;
    this.changed();
  }

  /** An action's answer: authoritative, and newer than anything held for that alarm. */
  upsert(a: Alarm): void {
    const held = this.open.get(a.id);
    if (held && held.rev >= a.rev) return;
    if ((this.removed.get(a.id) ?? -1) >= a.rev) return;
    if (this.phone) this.fresher.set(a.id, a);
    if (isOpen(a)) {
      if (!held && this.unheld > 0) this.unheld--;
      this.open.set(a.id, a);
    } else {
      if (held) this.open.delete(a.id);
      else if (this.unheld > 0) this.unheld--;
      this.removed.set(a.id, a.rev);
    }
    this.changed();
  }

  /** Returns whether anything visible changed. */
  private applyChange(c: AlarmChange | AlarmRepeat): boolean {
    if (isAlarmRepeat(c)) return this.applyRepeat(c);
    const a = c.alarm;
    const held = this.open.get(a.id);
    if (held && held.rev >= a.rev) return false;
    if ((this.removed.get(a.id) ?? -1) >= a.rev) return false;
    if (isOpen(a)) {
      // A change to an open alarm we do not hold is either new, or one of those beyond the snapshot's cap.
      if (!held && c.change !== 'raised' && this.unheld > 0) this.unheld--;
      this.open.set(a.id, a);
      this.maybeAnnounce(c);
    } else {
      if (held) this.open.delete(a.id);
      else if (c.change !== 'raised' && this.unheld > 0) this.unheld--;
      this.removed.set(a.id, a.rev);
    }
    return true;
  }

  /**
   * A repeat carries only what moved, so it applies to an alarm held here; one not held (beyond the
   * snapshot's cap, or evicted) stays with the server until a whole change brings it.
   */
  private applyRepeat(r: AlarmRepeat): boolean {
    const held = this.open.get(r.id);
    if (!held || held.rev >= r.rev) return false;
    this.open.set(r.id, applyRepeat(held, r));
    return true;
  }

  private maybeAnnounce(c: AlarmChange): void {
    const a = c.alarm;
    if (c.change === 'escalated') {
      this.queueAnnouncement({ alarm: a, kind: 'escalated' });
      return;
    }
    const key = announceKey(a);
    if (this.announced.has(key)) return;
    this.announced.set(key, true);
    if (c.change === 'raised') this.queueAnnouncement({ alarm: a, kind: 'raised' });
    else if (c.previousSeverity !== undefined) this.queueAnnouncement({ alarm: a, kind: 'stepUp', previousSeverity: c.previousSeverity });
  }

  private queueAnnouncement(x: Announcement): void {
    if (x.alarm.severity === 'critical') this.criticalQueued = true;
    this.pending.push(x);
    if (this.pending.length > MAX_PENDING_ANNOUNCEMENTS) this.pending.splice(0, this.pending.length - MAX_PENDING_ANNOUNCEMENTS);
  }

  private evictBeyondCap(): void {
    if (this.open.size <= this.maxOpen) return;
    const sorted = [...this.open.values()].sort(byUrgency);
    for (const a of sorted.slice(this.maxOpen)) {
      this.open.delete(a.id);
      this.unheld++;
    }
  }

  /** `urgent`: told on the next frame whatever `calmMs` says. */
  private changed(urgent = true): void {
    this.changeCount++;
    if (this.framePending) return;
    const wait = urgent ? 0 : this.lastFlushAt + this.calmMs - this.now();
    if (wait <= 0) {
      this.framePending = true;
      this.schedule(this.flush);
      return;
    }
    if (this.timerPending) return;
    this.timerPending = true;
    const gen = this.timerGen;
    // Half an interval late on purpose: while the storm's deltas keep coming, the first one after the interval
    // tells (on its own frame, with the map's update); the timer only tells a change no delta followed.
    this.later(() => {
      if (gen !== this.timerGen) return;
      this.timerPending = false;
      if (this.framePending || this.changeCount === this.flushedCount) return;
      this.framePending = true;
      this.schedule(this.flush);
    }, wait + this.calmMs / 2);
  }

  private readonly flush = (): void => {
    this.framePending = false;
    this.timerPending = false;
    this.timerGen += 1;
    this.flushedCount = this.changeCount;
    this.lastFlushAt = this.now();
    this.version += 1;
    for (const l of [...this.listeners]) l();
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    for (const l of [...this.announceListeners]) l(batch);
  };
}

function announceKey(a: Alarm): string {
  return `${a.id}:${a.severity}`;
}

/** The most severe announcement of a batch, the newest among equals: what the wall acts on. */
export function worstAnnouncement(batch: readonly Announcement[]): Announcement | undefined {
  let best: Announcement | undefined;
  for (const x of batch) {
    if (!best || SEVERITIES_DESC.indexOf(x.alarm.severity) <= SEVERITIES_DESC.indexOf(best.alarm.severity)) best = x;
  }
  return best;
}
