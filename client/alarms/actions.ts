/** Runs an operator action and turns its answer into one Vietnamese line for the operator. */
import type { Alarm } from '../../shared/alarms';
import { acknowledgeAlarm, assignAlarm, resolveAlarm, type ActionOutcome } from '../net/alarmActions';
import type { AlarmStore } from './alarmStore';
import { ACTION_LABELS, alarmHeadline } from './labels';

export type ActionKind = keyof typeof ACTION_LABELS;

export interface ActionFeedback {
  ok: boolean;
  kind: ActionKind;
  alarmId: number;
  /** "Đã xác nhận cảnh báo #12 · Mực nước vượt BĐ III" or "Không xác nhận được #12: …". */
  text: string;
  /** The server's code and text when it refused. */
  detail?: string;
  alarm?: Alarm;
}

const DONE: Record<ActionKind, string> = {
  acknowledge: 'Đã xác nhận',
  assign: 'Đã giao xử lý',
  resolve: 'Đã xử lý xong',
};

export async function performAlarmAction(
  store: AlarmStore,
  kind: ActionKind,
  alarm: Pick<Alarm, 'id' | 'title' | 'kind' | 'members'>,
  arg?: string,
): Promise<ActionFeedback> {
  let out: ActionOutcome;
  if (kind === 'acknowledge') out = await acknowledgeAlarm(alarm.id, arg || undefined);
  else if (kind === 'assign') out = await assignAlarm(alarm.id, arg ?? '');
  else out = await resolveAlarm(alarm.id, arg ?? '');
  if (out.ok) {
    store.upsert(out.alarm);
    const to = kind === 'assign' ? ` cho ${out.alarm.assignee ?? arg}` : '';
    return { ok: true, kind, alarmId: alarm.id, alarm: out.alarm, text: `${DONE[kind]} cảnh báo #${alarm.id}${to} · ${alarmHeadline(alarm)}` };
  }
  return {
    ok: false,
    kind,
    alarmId: alarm.id,
    text: `Không ${ACTION_LABELS[kind]} được cảnh báo #${alarm.id}: ${out.message}`,
    detail: out.detail ? `${out.code}: ${out.detail}` : out.code,
  };
}
