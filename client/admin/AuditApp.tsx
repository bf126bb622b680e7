/**
 * The auditor's page at /audit (issue 14 point 6): the append-only audit log, newest first, filtered by action,
 * actor, target and time, paged backwards, and exported as the same JSON the API serves.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { AUDIT_ACTIONS, AUDIT_ACTION_LABEL_VI, type AuditAction, type AuditEntry } from '../../shared/auth';
import { UserMenu } from '../auth/UserMenu';
import { auditQuery, fetchAudit, type AuditFilter } from '../net/admin';
import { CENTER_TITLE } from '../ui/labels';
import { detailParts, formatDateTime } from './format';
import './admin.css';

const PAGE = 200;

function localToTs(v: string): number | undefined {
  if (!v) return undefined;
  const t = new Date(v).getTime();
  return Number.isFinite(t) ? t : undefined;
}

export function AuditApp() {
  const [draft, setDraft] = useState({ action: '', actor: '', target: '', from: '', to: '' });
  const [filter, setFilter] = useState<AuditFilter>({ limit: PAGE });
  const [rows, setRows] = useState<AuditEntry[] | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (f: AuditFilter, append: AuditEntry[] = []) => {
    try {
      const page = await fetchAudit(f);
      setRows([...append, ...page]);
      setMore(page.length === (f.limit ?? PAGE));
      setError(null);
    } catch (e) {
      setError(String(e));
    }
  }, []);

  useEffect(() => {
    document.title = `Nhật ký kiểm toán · ${CENTER_TITLE}`;
    void load(filter);
  }, [filter, load]);

  const apply = (e: FormEvent): void => {
    e.preventDefault();
    setRows(null);
    setFilter({
      limit: PAGE,
      action: (draft.action || undefined) as AuditAction | undefined,
      actor: draft.actor.trim() || undefined,
      target: draft.target.trim() || undefined,
      from: localToTs(draft.from),
      to: localToTs(draft.to),
    });
  };

  const exportHref = `/api/audit?${auditQuery({ ...filter, limit: 1000 })}`;
  return (
    <div className="admin-page" data-testid="audit-page">
      <header className="admin-header">
        <div>
          <div className="admin-kicker">{CENTER_TITLE}</div>
          <h1>Nhật ký kiểm toán</h1>
        </div>
        <UserMenu />
      </header>
      <form className="audit-filters" onSubmit={apply}>
        <label>
          <span>Thao tác</span>
          <select value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value })} data-testid="audit-action">
            <option value="">Tất cả</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {AUDIT_ACTION_LABEL_VI[a]}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Người thực hiện</span>
          <input value={draft.actor} onChange={(e) => setDraft({ ...draft, actor: e.target.value })} maxLength={128} />
        </label>
        <label>
          <span>Đối tượng</span>
          <input value={draft.target} onChange={(e) => setDraft({ ...draft, target: e.target.value })} maxLength={128} placeholder="người dùng, mã cảnh báo, mã vi phạm…" />
        </label>
        <label>
          <span>Từ</span>
          <input type="datetime-local" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        </label>
        <label>
          <span>Đến</span>
          <input type="datetime-local" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </label>
        <button type="submit" data-testid="audit-apply">
          Lọc
        </button>
        <a className="button" href={exportHref} download="nhat-ky-kiem-toan.json">
          Xuất JSON
        </a>
      </form>
      {error && <p className="admin-error">Không tải được: {error}</p>}
      {!rows && !error && <p className="muted">Đang tải…</p>}
      {rows && rows.length === 0 && <p className="muted">Không có dòng nào khớp bộ lọc.</p>}
      {rows && rows.length > 0 && (
        <table className="admin-table audit-table" data-testid="audit-table">
          <thead>
            <tr>
              <th>Thời gian</th>
              <th>Người thực hiện</th>
              <th>Thao tác</th>
              <th>Đối tượng</th>
              <th>Chi tiết</th>
              <th>Địa chỉ</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-action={r.action} className={r.action === 'plate.unmask' ? 'is-sensitive' : r.action.endsWith('failure') || r.action.endsWith('locked') ? 'is-warn' : ''}>
                <td className="nowrap">{formatDateTime(r.at)}</td>
                <td className="mono">{r.actor}</td>
                <td>{AUDIT_ACTION_LABEL_VI[r.action]}</td>
                <td className="mono">{r.target ?? '—'}</td>
                <td>
                  {detailParts(r.detail).map((p) => (
                    <div key={p}>{p}</div>
                  ))}
                </td>
                <td className="mono">{r.address ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rows && more && (
        <button type="button" className="audit-more" onClick={() => void load({ ...filter, before: rows.at(-1)!.id }, rows)}>
          Tải thêm {PAGE} dòng cũ hơn
        </button>
      )}
    </div>
  );
}
