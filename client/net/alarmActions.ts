/**
 * Operator actions on alarms (acknowledge, assign, resolve) over the app's one socket, each answered with
 * `{ data } | { error }`, plus the alarm HTTP reads (history list, one alarm with its audit log).
 * Components call these; they never touch the socket (STYLE.md 12).
 */
import type { Alarm, AlarmState, Severity, SignalDomain } from '../../shared/alarms';
import type { AlarmAckRequest, AlarmAssignRequest, AlarmResolveRequest } from '../../shared/requests';
import { ACTION_ERROR_LABELS } from '../alarms/labels';
import { actionAnswerSchema, alarmDetailSchema, alarmPageSchema, type AlarmDetail, type AlarmPage } from '../../shared/alarms';
import { getJson } from './api';
import { apiWrite } from './auth';
import type { IocSocket } from './socket';

export const ACTION_TIMEOUT_MS = 8_000;

export type ActionOutcome =
  | { ok: true; alarm: Alarm }
  /** `message` is Vietnamese, for the operator; `detail` is the server's own text. */
  | { ok: false; code: string; message: string; detail?: string };

let socket: IocSocket | null = null;

/** main.tsx hands over the live connection's socket; without one, actions go over HTTP. */
export function setAlarmSocket(s: IocSocket | null): void {
  socket = s;
}

type ActionName = 'acknowledge' | 'assign' | 'resolve';

function failure(code: string, detail?: string): ActionOutcome {
  return { ok: false, code, message: ACTION_ERROR_LABELS[code] ?? 'Thao tác không thành công', ...(detail ? { detail } : {}) };
}

function outcomeOf(res: unknown): ActionOutcome {
  const parsed = actionAnswerSchema.safeParse(res);
  if (!parsed.success) return failure('BAD_ANSWER', 'unexpected answer from the server');
  return 'data' in parsed.data ? { ok: true, alarm: parsed.data.data } : failure(parsed.data.error.code, parsed.data.error.message);
}

async function viaHttp(action: ActionName, id: number, body: object): Promise<ActionOutcome> {
  try {
    const res = await apiWrite(`/api/alarms/${id}/${action}`, 'POST', body, AbortSignal.timeout(ACTION_TIMEOUT_MS));
    return outcomeOf(await res.json());
  } catch (e) {
    return failure(e instanceof DOMException && e.name === 'TimeoutError' ? 'TIMEOUT' : 'OFFLINE', String(e));
  }
}

async function run(action: ActionName, req: AlarmAckRequest | AlarmAssignRequest | AlarmResolveRequest): Promise<ActionOutcome> {
  const { id, ...body } = req;
  if (!socket) return viaHttp(action, id, body);
  // A socket that is down would buffer the request and send it minutes later: say so now instead.
  if (!socket.connected) return failure('OFFLINE');
  try {
    const s = socket.timeout(ACTION_TIMEOUT_MS);
    const res =
      action === 'acknowledge'
        ? await s.emitWithAck('alarm:acknowledge', req as AlarmAckRequest)
        : action === 'assign'
          ? await s.emitWithAck('alarm:assign', req as AlarmAssignRequest)
          : await s.emitWithAck('alarm:resolve', req as AlarmResolveRequest);
    return outcomeOf(res);
  } catch (e) {
    return failure('TIMEOUT', String(e));
  }
}

/** The actor is the signed-in user: the server takes it from the session, never from the request. */
export function acknowledgeAlarm(id: number, note?: string): Promise<ActionOutcome> {
  return run('acknowledge', note ? { id, note } : { id });
}

export function assignAlarm(id: number, assignee: string): Promise<ActionOutcome> {
  return run('assign', { id, assignee });
}

export function resolveAlarm(id: number, note: string): Promise<ActionOutcome> {
  return run('resolve', { id, note });
}

export interface AlarmQuery {
  state?: AlarmState | 'open';
  severity?: Severity;
  domain?: SignalDomain;
  commune?: string;
  from?: number;
  to?: number;
  limit?: number;
  offset?: number;
}

/** GET /api/alarms: filtered and paged on the server (newest raised first). */
export function fetchAlarms(q: AlarmQuery, signal?: AbortSignal): Promise<AlarmPage> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') params.set(k, String(v));
  return getJson(`/api/alarms?${params.toString()}`, alarmPageSchema, signal);
}

/** GET /api/alarms/:id: the alarm and its audit log, oldest first. */
export function fetchAlarmDetail(id: number, signal?: AbortSignal): Promise<AlarmDetail> {
  return getJson(`/api/alarms/${id}`, alarmDetailSchema, signal);
}
