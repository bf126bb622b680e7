/** The console's alarm list: dense, one line per alarm, the selected row unmistakable. */
import { useEffect, useRef } from 'react';
import { STATE_LABELS, type Alarm } from '../../shared/alarms';
import type { Device } from '../../shared/devices';
import { alarmHeadline, DOMAIN_LABELS, escalationText, formatDuration } from '../alarms/labels';
import { isUnacknowledged } from '../alarms/order';
import { placeOf, type CommuneIndex } from '../alarms/places';
import { SeverityBadge } from '../alarms/SeverityBadge';
import { formatInt, formatSince } from '../ui/format';

interface Props {
  rows: readonly Alarm[];
  selectedId: number | null;
  onSelect: (id: number) => void;
  onOpen: (id: number) => void;
  devices: readonly Device[] | undefined;
  communes: CommuneIndex | null;
  now: number;
  fresh: ReadonlySet<number>;
}

export function AlarmTable({ rows, selectedId, onSelect, onOpen, devices, communes, now, fresh }: Props) {
  const selectedRef = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    selectedRef.current?.scrollIntoView({ block: 'nearest' });
  }, [selectedId]);
  return (
    <table className="alarm-table" data-testid="console-list" aria-label="Danh sách cảnh báo" aria-rowcount={rows.length}>
      {/* Widths on columns, in the table's own font size (the header cells use a smaller one). */}
      <colgroup>
        <col className="w-sev" />
        <col className="w-id" />
        <col />
        <col />
        <col className="w-domain" />
        <col className="w-state" />
        <col className="w-time" />
        <col className="w-age" />
        <col className="w-count" />
        <col className="w-who" />
      </colgroup>
      <thead>
        <tr>
          <th className="c-sev">Mức độ</th>
          <th className="c-id">Mã</th>
          <th>Cảnh báo</th>
          <th>Nơi</th>
          <th className="c-domain">Lĩnh vực</th>
          <th className="c-state">Trạng thái</th>
          <th className="c-time">Phát sinh</th>
          <th className="c-age">Đã kéo dài</th>
          <th className="c-count num">Lần</th>
          <th className="c-who">Người xử lý</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((a) => {
          const selected = a.id === selectedId;
          const end = a.resolvedAt ?? a.closedAt ?? now;
          return (
            <tr
              key={a.id}
              ref={selected ? selectedRef : undefined}
              className={`sev-line-${a.severity} ${selected ? 'is-selected' : ''} ${isUnacknowledged(a) ? 'is-unacked' : ''} ${fresh.has(a.id) ? 'is-fresh' : ''}`}
              aria-selected={selected}
              data-testid="console-row"
              data-alarm-id={a.id}
              data-state={a.state}
              data-severity={a.severity}
              onClick={() => onSelect(a.id)}
              onDoubleClick={() => onOpen(a.id)}
            >
              <td className="c-sev">
                <SeverityBadge severity={a.severity} />
              </td>
              <td className="c-id num">#{a.id}</td>
              <td className="c-title" title={a.title}>
                {alarmHeadline(a)}
                {a.escalationLevel > 0 && (
                  <span className="tag tag-escalated">
                    <span aria-hidden="true">↑ </span>
                    {escalationText(a.escalationLevel)}
                  </span>
                )}
              </td>
              <td className="c-place">{placeOf(a, devices, communes)}</td>
              <td className="c-domain">{DOMAIN_LABELS[a.domain]}</td>
              <td className={`c-state state-${a.state}`}>{STATE_LABELS[a.state]}</td>
              <td className="c-time">{formatSince(a.raisedAt, now)}</td>
              <td className="c-age">{formatDuration(end - a.raisedAt)}</td>
              <td className="c-count num">{formatInt(a.count)}</td>
              <td className="c-who">{a.assignee ? `Giao: ${a.assignee}` : (a.resolvedBy ?? a.ackBy ?? '—')}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
