/**
 * The phone's alarms (issue 5 item 8), at the top of /m: counts by severity, critical and escalated alarms
 * first, and acknowledge with one thumb as the signed-in user (when the role may). Touch targets ≥ 48 px.
 */
import { useMemo, useState } from 'react';
import { STATE_LABELS, type Alarm } from '../../shared/alarms';
import type { LiveStore } from '../store/liveStore';
import { useLive } from '../store/useLive';
import { can } from '../../shared/auth';
import { useMe } from '../auth/useMe';
import { formatHourMinute, formatInt } from '../ui/format';
import { performAlarmAction, type ActionFeedback } from './actions';
import { alarmHeadline, escalationText, forecastHeadline, formatAgo } from './labels';
import { forecastAlarmEta } from '../../shared/forecastAlarm';
import { isTop, isUnacknowledged, phoneOrder } from './order';
import { placeOf, useCommunes } from './places';
import { SeverityBadge, SeverityCounts } from './SeverityBadge';
import { sameCounts, selectAlarmList, selectAlarmsReady, selectCounts, selectOpenTotal, selectUnacknowledged, useAlarms, useAlarmStore } from './useAlarms';
import { useServerNow } from './useNow';
import './alarms.css';
import './dialog.css';
import './mobileAlarms.css';

const selectDevices = (s: LiveStore) => s.registry?.devices;
/** Shown before "Xem thêm": a phone screen holds about this many cards above the fold. */
const FIRST_CARDS = 4;

export function MobileAlarms() {
  const store = useAlarmStore();
  const list = useAlarms(selectAlarmList);
  const total = useAlarms(selectOpenTotal);
  const counts = useAlarms(selectCounts, sameCounts);
  const ready = useAlarms(selectAlarmsReady);
  const unacked = useAlarms(selectUnacknowledged);
  const devices = useLive(selectDevices);
  const communes = useCommunes();
  // Each half minute: "còn 2 giờ 40 phút" counts down.
  // Ages and forecast times are the server's: its clock, whatever this phone's says (a test or a rehearsal runs its own).
  const now = useServerNow(30_000);
  const [expanded, setExpanded] = useState(false);
  const [busy, setBusy] = useState<number | null>(null);
  const [feedback, setFeedback] = useState<ActionFeedback | null>(null);
  const me = useMe();
  const mayAck = me !== null && can(me.role, 'alarm.acknowledge');
  const sorted = useMemo(() => [...list].sort(phoneOrder), [list]);
  const shown = expanded ? sorted : sorted.slice(0, FIRST_CARDS);

  const acknowledge = async (a: Alarm): Promise<void> => {
    setBusy(a.id);
    setFeedback(await performAlarmAction(store, 'acknowledge', a));
    setBusy(null);
  };

  return (
    <section className="m-alarms" aria-labelledby="m-alarms-title" data-testid="m-alarms" data-open-total={total}>
      <div className="m-alarms-head">
        <h2 id="m-alarms-title">Cảnh báo đang mở</h2>
        {ready && total > 0 && (
          <span className="m-alarms-unacked" data-testid="m-alarms-unacked">
            {formatInt(unacked)} chưa xác nhận
          </span>
        )}
      </div>
      <SeverityCounts counts={counts} className="m-sev-counts" />
      {feedback && (
        <p className={`m-feedback ${feedback.ok ? 'is-ok' : 'is-error'}`} role={feedback.ok ? 'status' : 'alert'} data-testid="m-alarm-feedback">
          <span aria-hidden="true">{feedback.ok ? '✓ ' : '✕ '}</span>
          {feedback.text}
        </p>
      )}
      {!ready && <p className="muted">Đang tải cảnh báo…</p>}
      {ready && total === 0 && (
        <p className="m-all-clear" data-testid="m-all-clear">
          <span aria-hidden="true">✓</span> Không có cảnh báo đang mở
        </p>
      )}
      <ol className="m-alarm-list">
        {shown.map((a) => {
          const eta = forecastAlarmEta(a);
          return (
            <li
              key={a.id}
              className={`m-alarm sev-row-${a.severity} ${isTop(a) ? 'is-top' : ''} ${eta ? 'is-forecast' : ''}`}
              data-testid="m-alarm"
              data-alarm-id={a.id}
              data-state={a.state}
              data-forecast={eta ? '1' : undefined}
            >
              <div className="m-alarm-top">
                <SeverityBadge severity={a.severity} />
                <span className="m-alarm-time">
                  {formatHourMinute(a.raisedAt)} · {formatAgo(now - a.raisedAt)}
                </span>
              </div>
              {eta ? (
                <div className="m-alarm-title" data-testid="m-forecast-alarm-title">
                  {forecastHeadline(eta, now, formatHourMinute)}
                </div>
              ) : (
                <div className="m-alarm-title">{alarmHeadline(a)}</div>
              )}
              <div className="m-alarm-place">{placeOf(a, devices, communes)}</div>
              <div className="m-alarm-tags">
                {a.escalationLevel > 0 && (
                  <span className="tag tag-escalated">
                    <span aria-hidden="true">↑ </span>
                    {escalationText(a.escalationLevel)}
                  </span>
                )}
                <span className={`tag tag-state tag-state-${a.state}`}>{STATE_LABELS[a.state]}</span>
                {a.ackBy && !isUnacknowledged(a) && <span className="tag">bởi {a.ackBy}</span>}
                {a.assignee && <span className="tag">Giao: {a.assignee}</span>}
              </div>
              {mayAck && isUnacknowledged(a) && (
                <button type="button" className="m-ack" disabled={busy === a.id} onClick={() => void acknowledge(a)} data-testid="m-ack">
                  {busy === a.id ? 'Đang gửi…' : 'Xác nhận đã biết'}
                </button>
              )}
            </li>
          );
        })}
      </ol>
      {sorted.length > FIRST_CARDS && (
        <button type="button" className="m-more" onClick={() => setExpanded(!expanded)} aria-expanded={expanded}>
          {expanded ? 'Thu gọn' : `Xem thêm ${formatInt(sorted.length - FIRST_CARDS)} cảnh báo`}
        </button>
      )}
      {total > sorted.length && <p className="m-alarms-note muted">Điện thoại hiện {formatInt(sorted.length)} cảnh báo khẩn cấp nhất trên tổng {formatInt(total)}.</p>}
    </section>
  );
}
