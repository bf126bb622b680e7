/**
 * The selected alarm: what, where, since when, who has it, and (once opened with Enter) its history from
 * the audit log, fetched again whenever the alarm changes.
 */
import { Fragment, useEffect, useRef, useState } from 'react';
import { SEVERITY_LABELS, STATE_LABELS, SYSTEM_ACTOR, type Alarm } from '../../shared/alarms';
import type { Device } from '../../shared/devices';
import type { ActionKind } from '../alarms/actions';
import { alarmHeadline, CHANGE_LABELS, DOMAIN_LABELS, escalationText, formatAgo, formatAlarmValue, formatDuration } from '../alarms/labels';
import { isOpen, isUnacknowledged } from '../alarms/order';
import { communeName, deviceById, placeOf, type CommuneIndex } from '../alarms/places';
import type { AuditEntry } from '../../shared/alarms';
import { SeverityBadge } from '../alarms/SeverityBadge';
import { fetchAlarmDetail } from '../net/alarmActions';
import { formatInt, formatSince } from '../ui/format';

interface Props {
  alarm: Alarm | null;
  open: boolean;
  devices: readonly Device[] | undefined;
  communes: CommuneIndex | null;
  now: number;
  onAction: (kind: ActionKind) => void;
  onOpen: () => void;
}

/** `sources`: a group's members as the server has them now (repeats on the wire do not carry the list). */
type HistoryState = { id: number; rev: number; entries: AuditEntry[]; sources: string[] | null } | { id: number; rev: number; error: string } | null;

const MEMBERS_SHOWN = 12;
const MAX_HISTORY_LINES = 200;

export function AlarmDetailPane({ alarm: a, open, devices, communes, now, onAction, onOpen }: Props) {
  const history = useHistory(open ? a : null);
  if (!a) {
    return (
      <section className="detail-pane is-empty" data-testid="console-detail" aria-label="Chi tiết cảnh báo">
        <p className="muted">Chọn một cảnh báo (j/k hoặc ↑/↓) để xem chi tiết.</p>
      </section>
    );
  }
  const d = a.kind === 'single' ? deviceById(devices, a.source) : undefined;
  const facts: [string, React.ReactNode][] = [
    ['Trạng thái', <b key="s" className={`state-${a.state}`}>{STATE_LABELS[a.state]}{a.conditionActive ? '' : ' · điều kiện đã hết'}</b>],
    ['Nơi', placeOf(a, devices, communes)],
    ['Nguồn', d ? `${d.name} (${a.source})` : a.source],
    ['Xã / phường', communeName(a.commune, communes) ?? '—'],
    ['Lĩnh vực · quy tắc', `${DOMAIN_LABELS[a.domain]} · ${a.ruleId}`],
    ['Giá trị gần nhất', formatAlarmValue(a)],
    ['Số lần ghi nhận', formatInt(a.count)],
    ['Phát sinh', `${formatSince(a.raisedAt, now)} · ${formatAgo(now - a.raisedAt)}`],
    ['Ghi nhận gần nhất', formatSince(a.lastSeen, now)],
  ];
  if (a.clearedAt) facts.push(['Hết điều kiện lúc', formatSince(a.clearedAt, now)]);
  if (a.escalationLevel > 0) facts.push(['Leo thang', escalationText(a.escalationLevel)]);
  if (a.ackDeadline && isUnacknowledged(a)) facts.push(['Leo thang tiếp', a.ackDeadline > now ? `sau ${formatDuration(a.ackDeadline - now)} nếu chưa xác nhận` : 'đến hạn']);
  if (a.ackAt) facts.push(['Xác nhận', `${a.ackBy ?? '—'} · ${formatSince(a.ackAt, now)} (sau ${formatDuration(a.ackAt - a.raisedAt)})`]);
  if (a.assignee) facts.push(['Giao cho', `${a.assignee}${a.assignedAt ? ` · ${formatSince(a.assignedAt, now)}` : ''}`]);
  if (a.resolvedAt) facts.push(['Xử lý xong', `${a.resolvedBy ?? '—'} · ${formatSince(a.resolvedAt, now)}`]);
  if (a.note) facts.push(['Ghi chú', a.note]);
  if (a.members) {
    const sources = (history && 'sources' in history ? history.sources : null) ?? a.members.sources;
    const names = sources.slice(0, MEMBERS_SHOWN).map((s) => deviceById(devices, s)?.name ?? s);
    const more = sources.length > MEMBERS_SHOWN ? ` và ${formatInt(a.members.total - MEMBERS_SHOWN)} nguồn khác` : '';
    facts.push([
      'Thành viên nhóm',
      `${formatInt(a.members.total)} nguồn, ${formatInt(a.members.active)} còn lỗi: ${names.join(', ')}${more}`,
    ]);
  }
  const canAct = isOpen(a);
  return (
    <section className={`detail-pane sev-edge-${a.severity}`} data-testid="console-detail" data-alarm-id={a.id} data-open={open ? '1' : '0'} aria-label="Chi tiết cảnh báo">
      <header className="detail-head">
        <SeverityBadge severity={a.severity} />
        <h2>
          {alarmHeadline(a)} <span className="muted">#{a.id}</span>
        </h2>
      </header>
      <dl className="facts">
        {facts.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <div className="detail-actions">
        <button type="button" className="btn" disabled={!canAct || !isUnacknowledged(a)} onClick={() => onAction('acknowledge')}>
          <kbd>a</kbd> Xác nhận
        </button>
        <button type="button" className="btn" disabled={!canAct} onClick={() => onAction('assign')}>
          <kbd>g</kbd> Giao xử lý
        </button>
        <button type="button" className="btn" disabled={!canAct} onClick={() => onAction('resolve')}>
          <kbd>r</kbd> Xử lý xong
        </button>
      </div>
      <h3>Nhật ký</h3>
      {!open && (
        <button type="button" className="btn btn-link" onClick={onOpen}>
          Bấm <kbd>Enter</kbd> để xem nhật ký xử lý
        </button>
      )}
      {open && <HistoryList state={history} now={now} />}
    </section>
  );
}

interface HistoryLine {
  entry: AuditEntry;
  /** A severity step (BĐ I → II): news, not a routine update. */
  step?: AuditEntry['snapshot'];
  /** Routine updates folded into this line (repeats, members joining). */
  folded: number;
}

/** Routine updates in a row fold into one line, so the operator's own steps stay in view. */
export function historyLines(entries: readonly AuditEntry[]): HistoryLine[] {
  const out: HistoryLine[] = [];
  entries.forEach((h, k) => {
    const before = entries[k - 1]?.snapshot;
    const step = before && before.severity !== h.snapshot.severity ? h.snapshot : undefined;
    const minor = !step && (h.change === 'updated' || h.change === 'grouped');
    const last = out[out.length - 1];
    if (minor && last && last.folded > 0) {
      last.folded++;
      last.entry = h;
      return;
    }
    out.push({ entry: h, step, folded: minor ? 1 : 0 });
  });
  return out;
}

function HistoryList({ state, now }: { state: HistoryState; now: number }) {
  if (!state) return <p className="muted">Đang tải nhật ký…</p>;
  if ('error' in state) return <p className="dialog-error">Không tải được nhật ký: {state.error}</p>;
  const all = historyLines(state.entries);
  // Bounded: the raise and the newest lines, with a note of how many are left out between them.
  const skipped = Math.max(0, all.length - MAX_HISTORY_LINES);
  const lines = skipped > 0 ? [all[0]!, ...all.slice(skipped + 1)] : all;
  return (
    <ol className="history" data-testid="console-history">
      {lines.map(({ entry: h, step, folded }, k) => (
        <Fragment key={h.rev}>
          {k === 1 && skipped > 0 && <li className="is-minor">… {formatInt(skipped)} dòng nhật ký không hiển thị</li>}
          <li data-change={h.change} className={folded > 0 ? 'is-minor' : step ? 'is-step' : ''}>
            <span className="h-time">{formatSince(h.at, now)}</span>
            <span className={`h-change h-${h.change}`}>{step ? 'Nâng mức' : CHANGE_LABELS[h.change]}</span>
            <span className="h-actor">{h.actor === SYSTEM_ACTOR ? 'Hệ thống' : h.actor}</span>
            {step && (
              <span className="h-note">
                {SEVERITY_LABELS[step.severity]} · {step.title}
              </span>
            )}
            {folded > 1 && <span className="h-note">{formatInt(folded)} lần (số lần ghi nhận, giá trị mới)</span>}
            {h.change === 'raised' && <span className="h-note">{h.snapshot.title}</span>}
            {h.note && <span className="h-note">“{h.note}”</span>}
          </li>
        </Fragment>
      ))}
    </ol>
  );
}

/** At most one history request per this interval for the same alarm (a growing group changes every tick). */
const HISTORY_REFETCH_MS = 2_000;

/** The audit log of an alarm, refetched when its rev moves; stale answers are dropped. */
function useHistory(a: Alarm | null): HistoryState {
  const [state, setState] = useState<HistoryState>(null);
  const last = useRef<{ id: number; at: number } | null>(null);
  const id = a?.id ?? null;
  const rev = a?.rev ?? null;
  useEffect(() => {
    if (id === null || rev === null) return;
    const ctl = new AbortController();
    const since = last.current?.id === id ? Date.now() - last.current.at : Infinity;
    const timer = setTimeout(() => {
      last.current = { id, at: Date.now() };
      fetchAlarmDetail(id, ctl.signal).then(
        (d) => setState({ id, rev, entries: d.history, sources: d.alarm.members?.sources ?? null }),
        (e: unknown) => {
          if (!ctl.signal.aborted) setState({ id, rev, error: String(e) });
        },
      );
    }, Math.max(100, HISTORY_REFETCH_MS - since));
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [id, rev]);
  return state && state.id === id ? state : null;
}
