/**
 * Operator actions: acknowledge, assign, resolve. Each is validated before anything changes, written to
 * the store before anyone is told, and rolled back in memory if the write fails, so the operator's screen
 * never shows an acknowledgement the audit log does not have.
 */
import { copyAlarm, isUnacknowledged } from './alarm';
import type { OpenAlarms } from './book';
import type { ChangeJournal } from './journal';
import type { AlarmStorePort } from './storePort';
import {
  actionError,
  ALARM_ERROR_CODES,
  ERROR_CODES,
  type Alarm,
  type AlarmActionResult,
} from '../../shared/alarms';

/** The engine's parts an action works with (each through its own public methods). */
export interface ActionParts {
  book: OpenAlarms;
  journal: ChangeJournal;
  /** Only to tell a closed alarm from one that never existed. */
  store: AlarmStorePort | undefined;
  now: () => number;
}

/** The end of an alarm's life, by an operator (resolved) or by the engine (closed): told, then dropped. */
export function finishAlarm(
  parts: Pick<ActionParts, 'book' | 'journal'>,
  a: Alarm,
  state: 'closed' | 'resolved',
  actor: string,
  note?: string,
): void {
  a.state = state;
  a.ackDeadline = null;
  if (state === 'closed') a.closedAt = parts.journal.at;
  parts.journal.emit(a, state, { actor, note });
  parts.book.remove(a);
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

export function runAction(parts: ActionParts, req: ActionRequest): AlarmActionResult<Alarm> {
  // Until login exists the operator name comes with the request (issue 5 item 4).
  const actor = text(req.actor, MAX_NAME);
  if (!actor) return actionError(ERROR_CODES.BAD_REQUEST, `an operator name of 1–${MAX_NAME} characters is required`);
  if (!Number.isSafeInteger(req.id)) return actionError(ERROR_CODES.BAD_REQUEST, 'alarm id must be an integer');
  const a = parts.book.get(req.id);
  if (!a) {
    const old = parts.store?.get(req.id);
    return old
      ? actionError(ALARM_ERROR_CODES.ALARM_CLOSED, `alarm ${req.id} is already ${old.state}`)
      : actionError(ERROR_CODES.NOT_FOUND, `no alarm ${req.id}`);
  }
  const before = copyAlarm(a);
  const at = (parts.journal.at = parts.now());
  const err = apply(parts, a, req, actor, at);
  if (err) return err;
  const failed = parts.journal.commitOrUndo(() => {
    const now = parts.book.get(a.id);
    if (now) parts.book.remove(now);
    parts.book.add(before);
  });
  if (failed) {
    const e = failed.err;
    return actionError(ALARM_ERROR_CODES.ALARM_STORE_FAILED, `could not save: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { data: copyAlarm(a) };
}

/** Checks first, then mutates: an error return means nothing changed. */
function apply(parts: ActionParts, a: Alarm, req: ActionRequest, actor: string, at: number) {
  switch (req.kind) {
    case 'acknowledge': {
      if (!isUnacknowledged(a.state)) {
        return actionError(ALARM_ERROR_CODES.ALARM_INVALID_TRANSITION, `alarm ${a.id} is already ${a.state}`);
      }
      const note = req.note === undefined ? undefined : text(req.note, MAX_NOTE);
      if (note === null) return actionError(ERROR_CODES.BAD_REQUEST, `a note must have 1–${MAX_NOTE} characters`);
      acknowledge(parts, a, actor, at, note);
      // Cleared and now seen: nothing left to do. An assigned alarm stays with its owner.
      if (!a.conditionActive && a.state === 'acknowledged') finishAlarm(parts, a, 'closed', actor);
      return undefined;
    }
    case 'assign': {
      const assignee = text(req.assignee, MAX_NAME);
      if (!assignee) return actionError(ERROR_CODES.BAD_REQUEST, `an assignee name of 1–${MAX_NAME} characters is required`);
      if (a.state === 'assigned' && a.assignee === assignee) {
        return actionError(ALARM_ERROR_CODES.ALARM_INVALID_TRANSITION, `alarm ${a.id} is already assigned to ${assignee}`);
      }
      // Assigning implies having seen it: one keystroke for the operator, two honest audit rows.
      if (isUnacknowledged(a.state)) acknowledge(parts, a, actor, at, undefined);
      a.assignee = assignee;
      a.assignedAt = at;
      a.state = 'assigned';
      parts.journal.emit(a, 'assigned', { actor });
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
      finishAlarm(parts, a, 'resolved', actor, note);
      return undefined;
    }
  }
}

/** ackAt/ackBy keep the first acknowledgement (a severity step-up may ask for another). */
function acknowledge(parts: ActionParts, a: Alarm, actor: string, at: number, note: string | undefined): void {
  a.ackAt ??= at;
  a.ackBy ??= actor;
  parts.book.setDeadline(a, null);
  a.state = a.assignee ? 'assigned' : 'acknowledged';
  parts.journal.emit(a, 'acknowledged', { actor, note });
}
