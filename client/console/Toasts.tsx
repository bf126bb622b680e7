/** Every action's outcome, visibly: success or the error in Vietnamese, newest on top, a few at a time. */
import { useCallback, useEffect, useState } from 'react';
import type { ActionFeedback } from '../alarms/actions';

export const MAX_TOASTS = 4;
const SHOW_MS = { ok: 6_000, error: 15_000 };

interface Toast extends ActionFeedback {
  key: number;
  until: number;
}

let nextKey = 1;

export function useToasts(): { toasts: readonly Toast[]; push: (f: ActionFeedback) => void } {
  const [toasts, setToasts] = useState<Toast[]>([]);
  useEffect(() => {
    if (toasts.length === 0) return;
    const next = Math.min(...toasts.map((t) => t.until));
    const timer = setTimeout(() => setToasts((ts) => ts.filter((t) => t.until > Date.now())), Math.max(50, next - Date.now()));
    return () => clearTimeout(timer);
  }, [toasts]);
  const push = useCallback((f: ActionFeedback) => {
    const until = Date.now() + (f.ok ? SHOW_MS.ok : SHOW_MS.error);
    setToasts((ts) => [{ ...f, key: nextKey++, until }, ...ts].slice(0, MAX_TOASTS));
  }, []);
  return { toasts, push };
}

export function Toasts({ toasts }: { toasts: readonly Toast[] }) {
  return (
    <div className="toasts" aria-live="polite" data-testid="toasts">
      {toasts.map((t) => (
        <div key={t.key} className={`toast ${t.ok ? 'toast-ok' : 'toast-error'}`} role={t.ok ? 'status' : 'alert'} data-testid={t.ok ? 'toast-ok' : 'toast-error'}>
          <span className="toast-icon" aria-hidden="true">
            {t.ok ? '✓' : '✕'}
          </span>
          <span className="toast-text">{t.text}</span>
          {t.detail && <span className="toast-detail">{t.detail}</span>}
        </div>
      ))}
    </div>
  );
}
