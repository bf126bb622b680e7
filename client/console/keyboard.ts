/**
 * The console's keys, as a pure mapping (tested without a DOM): j/k or arrows move, a acknowledges,
 * g assigns, r resolves, / filters, Enter opens the detail, Esc closes, ? shows the keys.
 */
export type ConsoleCommand =
  | { type: 'move'; by: number }
  | { type: 'moveTo'; to: 'first' | 'last' }
  | { type: 'acknowledge' }
  | { type: 'assign' }
  | { type: 'resolve' }
  | { type: 'filter' }
  | { type: 'detail' }
  | { type: 'close' }
  | { type: 'help' }
  | { type: 'violations' }
  | { type: 'page'; by: 1 | -1 };

export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** Focus is in a text field or a select: its keys are its own, except Escape. */
  inField?: boolean;
  /** A dialog is open: it handles its own keys. */
  dialogOpen?: boolean;
}

/** How far PageUp/PageDown move. */
export const PAGE_ROWS = 10;

export const KEY_HELP: readonly [string, string][] = [
  ['j  ↓', 'Cảnh báo tiếp theo'],
  ['k  ↑', 'Cảnh báo trước'],
  ['Home  End', 'Đầu / cuối danh sách'],
  ['Enter', 'Mở chi tiết và nhật ký'],
  ['a', 'Xác nhận'],
  ['g', 'Giao xử lý (nhập người nhận)'],
  ['r', 'Xử lý xong (bắt buộc ghi chú)'],
  ['/', 'Lọc'],
  ['v', 'Vi phạm gần đây (xem biển số có ghi lý do)'],
  ['n  p', 'Trang sau / trang trước (lịch sử)'],
  ['Esc', 'Đóng / quay lại danh sách'],
  ['?', 'Hiện / ẩn bảng phím'],
];

export function commandForKey(e: KeyInput): ConsoleCommand | null {
  if (e.dialogOpen) return null;
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (e.inField) return e.key === 'Escape' ? { type: 'close' } : null;
  switch (e.key) {
    case 'j':
    case 'ArrowDown':
      return { type: 'move', by: 1 };
    case 'k':
    case 'ArrowUp':
      return { type: 'move', by: -1 };
    case 'PageDown':
      return { type: 'move', by: PAGE_ROWS };
    case 'PageUp':
      return { type: 'move', by: -PAGE_ROWS };
    case 'Home':
      return { type: 'moveTo', to: 'first' };
    case 'End':
      return { type: 'moveTo', to: 'last' };
    case 'a':
      return { type: 'acknowledge' };
    case 'g':
      return { type: 'assign' };
    case 'r':
      return { type: 'resolve' };
    case '/':
      return { type: 'filter' };
    case 'Enter':
      return { type: 'detail' };
    case 'Escape':
      return { type: 'close' };
    case '?':
      return { type: 'help' };
    case 'v':
      return { type: 'violations' };
    case 'n':
      return { type: 'page', by: 1 };
    case 'p':
      return { type: 'page', by: -1 };
    default:
      return null;
  }
}

/** The row selected after a move, clamped to the list; -1 for an empty list. */
export function moveSelection(index: number, count: number, cmd: Extract<ConsoleCommand, { type: 'move' | 'moveTo' }>): number {
  if (count === 0) return -1;
  if (cmd.type === 'moveTo') return cmd.to === 'first' ? 0 : count - 1;
  const from = index < 0 ? (cmd.by > 0 ? -1 : count) : index;
  return Math.min(count - 1, Math.max(0, from + cmd.by));
}

/**
 * Keeps the selection on the same alarm when the list changes under it (a new alarm arrives above it);
 * if that alarm left the list, stays at the same position.
 */
export function reselect(ids: readonly number[], selectedId: number | null, lastIndex: number): { id: number | null; index: number } {
  if (ids.length === 0) return { id: null, index: -1 };
  if (selectedId !== null) {
    const k = ids.indexOf(selectedId);
    if (k >= 0) return { id: selectedId, index: k };
  }
  const index = Math.min(ids.length - 1, Math.max(0, lastIndex));
  return { id: ids[index]!, index };
}

/** Whether a key event comes from a field that takes typing. */
export function isField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}
