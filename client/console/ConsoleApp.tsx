/**
 * The operator console at /console (issue 5 items 7 and 9): a keyboard-first list of alarms to acknowledge,
 * assign and resolve, with filters, the selected alarm's detail and audit history, and alarm health.
 * Designed for a 1920×1080 desk screen.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Alarm } from '../../shared/alarms';
import { performAlarmAction, type ActionKind } from '../alarms/actions';
import { ACTION_LABELS } from '../alarms/labels';
import { UserMenu } from '../auth/UserMenu';
import { allowed } from '../net/auth';
import { useCommunes } from '../alarms/places';
import { SeverityCounts } from '../alarms/SeverityBadge';
import { sameCounts, selectCounts, useAlarms, useAlarmStore } from '../alarms/useAlarms';
import { useNow } from '../alarms/useNow';
import type { LiveStore } from '../store/liveStore';
import { useLive } from '../store/useLive';
import { Clock } from '../ui/Clock';
import { ConnectionBadge } from '../ui/ConnectionBadge';
import { DependencyBadges } from '../ui/DependencyBadges';
import { formatInt } from '../ui/format';
import { selectConnection, selectProvince } from '../ui/selectors';
import { StatusOverlays } from '../ui/StatusOverlays';
import { AlarmDetailPane } from './AlarmDetailPane';
import { AlarmTable } from './AlarmTable';
import { KeyHelp } from './Dialogs';
import { ViolationsDialog } from './ViolationsDialog';
import { PromptDialog } from '../alarms/PromptDialog';
import { FilterBar } from './FilterBar';
import { activeFilterCount, DEFAULT_FILTERS, HISTORY_PAGE, type ConsoleFilters } from './filters';
import { HealthPanel } from './HealthPanel';
import { commandForKey, isField, moveSelection, reselect, type ConsoleCommand } from './keyboard';
import { Toasts, useToasts } from './Toasts';
import { useConsoleRows } from './useConsoleRows';
import { useFreshIds } from './useFreshIds';
import '../alarms/alarms.css';
import '../alarms/dialog.css';
import './console.css';
import './panes.css';

type Dialog = { kind: 'assign' | 'resolve'; alarm: Alarm } | { kind: 'help' } | { kind: 'violations' };

/** Longest assignee name (the server's limit on the field). */
const MAX_ASSIGNEE = 64;

const selectDevices = (s: LiveStore) => s.registry?.devices;
const ASSIGNEES_KEY = 'ioc.console.assignees';

export function ConsoleApp() {
  const province = useLive(selectProvince);
  const connection = useLive(selectConnection);
  const devices = useLive(selectDevices);
  const communes = useCommunes();
  const store = useAlarmStore();
  const counts = useAlarms(selectCounts, sameCounts);
  const now = useNow(10_000);
  const fresh = useFreshIds();
  const [filters, setFilters] = useState<ConsoleFilters>(DEFAULT_FILTERS);
  const [page, setPage] = useState(0);
  const [sel, setSel] = useState<{ id: number | null; index: number }>({ id: null, index: 0 });
  const [detailOpen, setDetailOpen] = useState(false);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const { toasts, push } = useToasts();
  const filterRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const { live, rows, total, notHeld, loading, error, patch } = useConsoleRows(filters, page, now, devices, communes);

  const ids = useMemo(() => rows.map((a) => a.id), [rows]);
  const current = reselect(ids, sel.id, sel.index);
  const selected = current.id === null ? null : (rows[current.index] ?? null);

  const changeFilters = (f: ConsoleFilters): void => {
    setFilters(f);
    setPage(0);
  };

  const act = useCallback(
    async (kind: ActionKind, a: Alarm, arg?: string) => {
      const f = await performAlarmAction(store, kind, a, arg);
      if (f.alarm) patch(f.alarm);
      push(f);
    },
    [store, patch, push],
  );

  const start = (kind: ActionKind): void => {
    if (!selected) return;
    if (!allowed(`alarm.${kind}`)) {
      push({ ok: false, kind, alarmId: selected.id, text: `Tài khoản của bạn không có quyền ${ACTION_LABELS[kind]} cảnh báo` });
      return;
    }
    if (kind === 'acknowledge') void act('acknowledge', selected);
    else setDialog({ kind, alarm: selected });
  };

  const run = (cmd: ConsoleCommand): void => {
    switch (cmd.type) {
      case 'move':
      case 'moveTo': {
        const index = moveSelection(current.index, rows.length, cmd);
        setSel({ id: ids[index] ?? null, index });
        break;
      }
      case 'acknowledge':
      case 'assign':
      case 'resolve':
        start(cmd.type);
        break;
      case 'filter':
        filterRef.current?.focus();
        break;
      case 'detail':
        if (selected) setDetailOpen(true);
        break;
      case 'close':
        if (isField(document.activeElement)) listRef.current?.focus();
        else setDetailOpen(false);
        break;
      case 'help':
        setDialog({ kind: 'help' });
        break;
      case 'violations':
        setDialog({ kind: 'violations' });
        break;
      case 'page':
        if (!live) setPage((p) => Math.max(0, Math.min(Math.ceil(total / HISTORY_PAGE) - 1, p + cmd.by)));
        break;
    }
  };
  const runRef = useRef(run);
  useEffect(() => {
    runRef.current = run;
  });
  const dialogOpen = dialog !== null;
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (dialogOpen && dialog?.kind === 'help' && (e.key === 'Escape' || e.key === '?')) {
        e.preventDefault();
        setDialog(null);
        return;
      }
      const cmd = commandForKey({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, inField: isField(e.target), dialogOpen });
      if (!cmd) return;
      e.preventDefault();
      runRef.current(cmd);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dialogOpen, dialog?.kind]);

  const pages = Math.max(1, Math.ceil(total / HISTORY_PAGE));
  return (
    <div className="console" data-testid="console">
      <header className="console-header">
        <div className="console-title">
          <div className="kicker">Bàn điều hành cảnh báo</div>
          <h1>{province ? `Tỉnh ${province.name}` : '…'}</h1>
        </div>
        <SeverityCounts counts={counts} className="console-counts" />
        <button type="button" className="operator" onClick={() => setDialog({ kind: 'violations' })} data-testid="open-violations" title="Vi phạm gần đây (phím v)">
          Vi phạm
        </button>
        <UserMenu />
        <ConnectionBadge connection={connection} />
        <Clock showDate={false} />
        <DependencyBadges className="console-deps" />
      </header>
      <FilterBar ref={filterRef} filters={filters} onChange={changeFilters} communes={communes} onDone={() => listRef.current?.focus()} />
      <main className="console-body">
        <div className="list-pane">
          <div className="list-status" data-testid="list-status">
            <b>{live ? 'Đang mở · trực tiếp' : 'Lịch sử · từ máy chủ'}</b>
            <span>
              {formatInt(total)} cảnh báo{activeFilterCount(filters) > 0 ? ' khớp bộ lọc' : ''}
              {!live && total > HISTORY_PAGE && ` · trang ${page + 1}/${pages} (n/p)`}
            </span>
            {!live && filters.text.trim() && <span>Ô “Tìm” lọc {formatInt(rows.length)} dòng trong trang này</span>}
            {notHeld > 0 && <span className="warn">+ {formatInt(notHeld)} cảnh báo mở ít khẩn cấp hơn chưa tải: dùng bộ lọc hoặc Lịch sử</span>}
            {loading && <span className="muted">Đang tải…</span>}
            {error && <span className="warn">Không tải được: {error}</span>}
          </div>
          <div className="list-scroll" ref={listRef} tabIndex={-1}>
            <AlarmTable
              rows={rows}
              selectedId={current.id}
              onSelect={(id) => setSel({ id, index: ids.indexOf(id) })}
              onOpen={(id) => {
                setSel({ id, index: ids.indexOf(id) });
                setDetailOpen(true);
              }}
              devices={devices}
              communes={communes}
              now={now}
              fresh={fresh}
            />
            {rows.length === 0 && !loading && (
              <p className="list-empty" data-testid="console-empty">
                {live && activeFilterCount(filters) === 0 ? '✓ Không có cảnh báo đang mở' : 'Không có cảnh báo khớp bộ lọc'}
              </p>
            )}
          </div>
        </div>
        <aside className="console-side">
          <AlarmDetailPane
            alarm={selected}
            open={detailOpen}
            devices={devices}
            communes={communes}
            now={now}
            onAction={start}
            onOpen={() => setDetailOpen(true)}
          />
          <HealthPanel now={now} />
        </aside>
      </main>
      <footer className="console-keys" aria-hidden="true">
        <span><kbd>j</kbd>/<kbd>k</kbd> chọn</span>
        <span><kbd>Enter</kbd> chi tiết</span>
        <span><kbd>a</kbd> xác nhận</span>
        <span><kbd>g</kbd> giao xử lý</span>
        <span><kbd>r</kbd> xử lý xong</span>
        <span><kbd>/</kbd> lọc</span>
        <span><kbd>?</kbd> tất cả phím</span>
      </footer>
      <Toasts toasts={toasts} />
      {(dialog?.kind === 'assign' || dialog?.kind === 'resolve') && (
        <PromptDialog
          key={`${dialog.kind}-${dialog.alarm.id}`}
          title={dialog.kind === 'assign' ? `Giao xử lý cảnh báo #${dialog.alarm.id}` : `Xử lý xong cảnh báo #${dialog.alarm.id}`}
          label={dialog.kind === 'assign' ? 'Giao cho (họ tên, đơn vị)' : 'Ghi chú xử lý (bắt buộc): đã làm gì, kết quả'}
          multiline={dialog.kind === 'resolve'}
          maxLength={dialog.kind === 'assign' ? MAX_ASSIGNEE : 2000}
          requiredMessage={dialog.kind === 'assign' ? 'Cần nhập người nhận' : 'Cần nhập ghi chú khi xử lý xong'}
          submitLabel={dialog.kind === 'assign' ? 'Giao' : 'Xử lý xong'}
          hint={dialog.kind === 'resolve' ? 'Enter để lưu · Shift+Enter xuống dòng · Esc để hủy' : undefined}
          suggestions={dialog.kind === 'assign' ? recentAssignees() : undefined}
          onSubmit={(v) => {
            const { kind, alarm } = dialog;
            setDialog(null);
            if (kind === 'assign') rememberAssignee(v);
            void act(kind, alarm, v);
          }}
          onCancel={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'help' && <KeyHelp onClose={() => setDialog(null)} />}
      {dialog?.kind === 'violations' && <ViolationsDialog onClose={() => setDialog(null)} />}
      <StatusOverlays />
    </div>
  );
}

function recentAssignees(): string[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(ASSIGNEES_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, 10) : [];
  } catch {
    return [];
  }
}

function rememberAssignee(name: string): void {
  try {
    localStorage.setItem(ASSIGNEES_KEY, JSON.stringify([name, ...recentAssignees().filter((x) => x !== name)].slice(0, 10)));
  } catch {
    // Not kept: suggestions only.
  }
}
