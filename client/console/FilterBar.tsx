/** Filters: state (live or history), severity, domain, commune, time range and free text. "/" focuses it. */
import { forwardRef } from 'react';
import { SEVERITIES, SEVERITY_LABELS, SIGNAL_DOMAINS } from '../../shared/alarms';
import { DOMAIN_LABELS } from '../alarms/labels';
import { communeName, type CommuneIndex } from '../alarms/places';
import { STATE_FILTER_LABELS, TIME_RANGES, type ConsoleFilters, type StateFilter, type TimeRange } from './filters';

interface Props {
  filters: ConsoleFilters;
  onChange: (f: ConsoleFilters) => void;
  communes: CommuneIndex | null;
  /** Return to the list (Enter in the text field). */
  onDone: () => void;
}

export const FilterBar = forwardRef<HTMLInputElement, Props>(function FilterBar({ filters: f, onChange, communes, onDone }, textRef) {
  const set = <K extends keyof ConsoleFilters>(k: K, v: ConsoleFilters[K]) => onChange({ ...f, [k]: v });
  const communeList = communes
    ? [...communes.values()].sort((a, b) => a.name.localeCompare(b.name, 'vi'))
    : [];
  return (
    <div className="filter-bar" role="search" aria-label="Lọc cảnh báo" data-testid="filter-bar">
      <label className="f-text">
        <span>Tìm</span>
        <input
          ref={textRef}
          type="search"
          value={f.text}
          placeholder="Tên, nơi, mã thiết bị… (phím /)"
          onChange={(e) => set('text', e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') onDone();
          }}
          data-testid="filter-text"
        />
      </label>
      <label>
        <span>Trạng thái</span>
        <select value={f.state} onChange={(e) => set('state', e.target.value as StateFilter)} data-testid="filter-state">
          {(Object.keys(STATE_FILTER_LABELS) as StateFilter[]).map((s) => (
            <option key={s} value={s}>
              {STATE_FILTER_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Mức độ</span>
        <select value={f.severity} onChange={(e) => set('severity', e.target.value as ConsoleFilters['severity'])} data-testid="filter-severity">
          <option value="">Tất cả</option>
          {[...SEVERITIES].reverse().map((s) => (
            <option key={s} value={s}>
              {SEVERITY_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Lĩnh vực</span>
        <select value={f.domain} onChange={(e) => set('domain', e.target.value as ConsoleFilters['domain'])} data-testid="filter-domain">
          <option value="">Tất cả</option>
          {SIGNAL_DOMAINS.map((d) => (
            <option key={d} value={d}>
              {DOMAIN_LABELS[d]}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Xã / phường</span>
        <select value={f.commune} onChange={(e) => set('commune', e.target.value)} data-testid="filter-commune">
          <option value="">Toàn tỉnh</option>
          {communeList.map((c) => (
            <option key={c.code} value={c.code}>
              {communeName(c.code, communes)}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Thời gian phát sinh</span>
        <select value={f.range} onChange={(e) => set('range', e.target.value as TimeRange)} data-testid="filter-range">
          {(Object.keys(TIME_RANGES) as TimeRange[]).map((r) => (
            <option key={r} value={r}>
              {TIME_RANGES[r]}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
});
