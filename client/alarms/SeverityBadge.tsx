import { SEVERITY_LABELS, type Severity } from '../../shared/alarms';
import { SEVERITY_ICONS } from './labels';

/** Severity as colour, shape and word together (never colour alone). */
export function SeverityBadge({ severity, compact = false }: { severity: Severity; compact?: boolean }) {
  return (
    <span className={`sev sev-${severity}`} data-severity={severity}>
      <span className="sev-icon" aria-hidden="true">
        {SEVERITY_ICONS[severity]}
      </span>
      {!compact && <span className="sev-text">{SEVERITY_LABELS[severity]}</span>}
      {compact && <span className="visually-hidden">{SEVERITY_LABELS[severity]}</span>}
    </span>
  );
}

/** "▲ 2 Khẩn cấp · ◆ 1 Nghiêm trọng · ● 14 Cảnh báo" */
export function SeverityCounts({ counts, className = '' }: { counts: Record<Severity, number>; className?: string }) {
  return (
    <ul className={`sev-counts ${className}`} aria-label="Số cảnh báo theo mức độ">
      {(['critical', 'major', 'warning'] as const).map((s) => (
        <li key={s} className={`sev-count sev-count-${s} ${counts[s] === 0 ? 'is-zero' : ''}`} data-testid={`count-${s}`} data-count={counts[s]}>
          <span className="sev-icon" aria-hidden="true">
            {SEVERITY_ICONS[s]}
          </span>
          <span className="sev-count-n">{counts[s].toLocaleString('vi-VN')}</span>
          <span className="sev-count-label">{SEVERITY_LABELS[s]}</span>
        </li>
      ))}
    </ul>
  );
}
