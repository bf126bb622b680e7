/** A modal prompt (console and phone): Enter submits, Esc cancels, the field has the focus. */
import { useEffect, useId, useRef, useState } from 'react';

export interface PromptProps {
  title: string;
  label: string;
  initial?: string;
  multiline?: boolean;
  /** Shown when submitted empty; without it an empty value is allowed. */
  requiredMessage?: string;
  maxLength?: number;
  submitLabel: string;
  hint?: string;
  suggestions?: readonly string[];
  onSubmit: (value: string) => void;
  onCancel?: () => void;
}

export function PromptDialog(p: PromptProps) {
  const [value, setValue] = useState(p.initial ?? '');
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const id = useId();
  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, []);
  const submit = (): void => {
    const v = value.trim();
    if (!v && p.requiredMessage) {
      setError(p.requiredMessage);
      ref.current?.focus();
      return;
    }
    p.onSubmit(v);
  };
  const onKeyDown = (e: React.KeyboardEvent): void => {
    e.stopPropagation();
    if (e.key === 'Escape' && p.onCancel) {
      e.preventDefault();
      p.onCancel();
    } else if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      submit();
    }
  };
  const field = {
    id: `${id}-field`,
    ref,
    value,
    maxLength: p.maxLength,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': `${id}-hint`,
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      setValue(e.target.value);
      if (error) setError(null);
    },
    onKeyDown,
  };
  return (
    <div className="dialog-backdrop" role="presentation">
      <form
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        data-testid="prompt-dialog"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <h2 id={`${id}-title`}>{p.title}</h2>
        <label htmlFor={field.id}>{p.label}</label>
        {p.multiline ? <textarea rows={4} {...field} /> : <input type="text" autoComplete="off" list={p.suggestions ? `${id}-list` : undefined} {...field} />}
        {p.suggestions && (
          <datalist id={`${id}-list`}>
            {p.suggestions.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        )}
        {error && (
          <p className="dialog-error" role="alert">
            {error}
          </p>
        )}
        <p className="dialog-hint" id={`${id}-hint`}>
          {p.hint ?? (p.onCancel ? 'Enter để xác nhận · Esc để hủy' : 'Enter để xác nhận')}
        </p>
        <div className="dialog-buttons">
          {p.onCancel && (
            <button type="button" className="btn" onClick={p.onCancel}>
              Hủy
            </button>
          )}
          <button type="submit" className="btn btn-primary">
            {p.submitLabel}
          </button>
        </div>
      </form>
    </div>
  );
}
