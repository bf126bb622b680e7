/**
 * Operator actions: acknowledge, assign, resolve. Each is validated before anything changes, written to
 * the store before anyone is told, and rolled back in memory if the write fails, so the operator's screen
 * never shows an acknowledgement the audit log does not have.
 */
import { copyAlarm, isUnacknowledged } from './alarm';
import type { AlarmStorePort } from './book';
import {
  actionError,
  ALARM_ERROR_CODES,
  ERROR_CODES,
  type Alarm,
  type AlarmActionResult,
  type AlarmChange,
  type ChangeKind,
  type Severity,
} from '../../shared/alarms';

/** The slice of the engine an action may touch. */
export interface ActionContext {
  /** Fixes and returns the time of this action. */
  at(): number;
  open: ReadonlyMap<number, Alarm>;
  store: AlarmStorePort | undefined;
  emit(a: Alarm, change: ChangeKind, extra?: { actor?: string; note?: string; previousSeverity?: Severity }): void;
  finish(a: Alarm, state: 'closed' | 'resolved', actor: string, note?: string): void;
  setDeadline(a: Alarm, at: number | null): void;
  add(a: Alarm): void;
  remove(a: Alarm): void;
  takeBatch(): AlarmChange[];
  rev: { get(): number; set(rev: number): void };
  notify(batch: readonly AlarmChange[]): void;
}

export type ActionRequest =
  | { kind: 'acknowledge'; id: number; actor: string; note?: string }
  | { kind: 'assign'; id: number; actor: string; assignee: string }
  | { kind: 'resolve'; id: number; actor: string; note: string };

export const MAX_NAME = 64;
export const MAX_NOTE = 2000;

const text = (s: unknown, max: number): string | null => {
  if (typeof s !== 'string') return null;
  const t = s.trim();
  return t.length > 0 && t.length <= max ? t : null;
};

export function runAction(ctx: ActionContext, req: ActionRequest): AlarmActionResult<Alarm> {
  // Until login exists the operator name comes with the request (issue 5 item 4).
  const actor = text(req.actor, MAX_NAME);
  if (!actor) return actionError(ERROR_CODES.BAD_REQUEST, `an operator name of 1–${MAX_NAME} characters is required`);
  if (!Number.isSafeInteger(req.id)) return actionError(ERROR_CODES.BAD_REQUEST, 'alarm id must be an integer');
  const a = ctx.open.get(req.id);
  if (!a) {
    const old = ctx.store?.get(req.id);
    return old
      ? actionError(ALARM_ERROR_CODES.ALARM_CLOSED, `alarm ${req.id} is already ${old.state}`)
      : actionError(ERROR_CODES.NOT_FOUND, `no alarm ${req.id}`);
  }
  const before = copyAlarm(a);
  const rev0 = ctx.rev.get();
  const err = apply(ctx, a, req, actor, ctx.at());
  if (err) return err;
  const batch = ctx.takeBatch();
  try {
    ctx.store?.write(batch);
  } catch (e) {
    const now = ctx.open.get(a.id);
    if (now) ctx.remove(now);
    ctx.add(before);
    ctx.rev.set(rev0);
    return actionError(ALARM_ERROR_CODES.ALARM_STORE_FAILED, `could not save: ${e instanceof Error ? e.message : String(e)}`);
  }
  ctx.notify(batch);
  return { data: copyAlarm(a) };
}

/** Checks first, then mutates: an error return means nothing changed. */
function apply(ctx: ActionContext, a: Alarm, req: ActionRequest, actor: string, at: number) {
  switch (req.kind) {
    case 'acknowledge': {
      if (!isUnacknowledged(a.state)) {
        return actionError(ALARM_ERROR_CODES.ALARM_INVALID_TRANSITION, `alarm ${a.id} is already ${a.state}`);
      }
      const note = req.note === undefined ? undefined : text(req.note, MAX_NOTE);
      if (note === null) return actionError(ERROR_CODES.BAD_REQUEST, `a note must have 1–${MAX_NOTE} characters`);
      acknowledge(ctx, a, actor, at, note);
      // Cleared and now seen: nothing left to do. An assigned alarm stays with its owner.
      if (!a.conditionActive && a.state === 'acknowledged') ctx.finish(a, 'closed', actor);
      return undefined;
    }
    case 'assign': {
      const assignee = text(req.assignee, MAX_NAME);
      if (!assignee) return actionError(ERROR_CODES.BAD_REQUEST, `an assignee name of 1–${MAX_NAME} characters is required`);
      if (a.state === 'assigned' && a.assignee === assignee) {
        return actionError(ALARM_ERROR_CODES.ALARM_INVALID_TRANSITION, `alarm ${a.id} is already assigned to ${assignee}`);
      }
      // Assigning implies having seen it: one keystroke for the operator, two honest audit rows.
      if (isUnacknowledged(a.state)) acknowledge(ctx, a, actor, at, undefined);
      a.assignee = assignee;
      a.assignedAt = at;
      a.state = 'assigned';
      ctx.emit(a, 'assigned', { actor });
      return undefined;
    }
    case 'resolve': {
      const note = text(req.note, MAX_NOTE);
      if (!note) return actionError(ALARM_ERROR_CODES.ALARM_NOTE_REQUIRED, `resolving needs a note of 1–${MAX_NOTE} characters`);
      // The first operator action counts as the acknowledgement for time-to-acknowledge.
      a.ackAt ??= at;
      a.ackBy ??= actor;
      a.resolvedAt = at;
      a.resolvedBy = actor;
      a.note = note;
      ctx.finish(a, 'resolved', actor, note);
      return undefined;
    }
  }
}

/** ackAt/ackBy keep the first acknowledgement (a severity step-up may ask for another). */
function acknowledge(ctx: ActionContext, a: Alarm, actor: string, at: number, note: string | undefined): void {
  a.ackAt ??= at;
  a.ackBy ??= actor;
  ctx.setDeadline(a, null);
  a.state = a.assignee ? 'assigned' : 'acknowledged';
  ctx.emit(a, 'acknowledged', { actor, note });
}
