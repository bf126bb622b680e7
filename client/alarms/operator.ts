/**
 * The operator's name, asked once and kept in localStorage until sign-in exists (the security issue
 * replaces it with the signed-in identity). Shared by the console and the phone.
 */
import { useSyncExternalStore } from 'react';

export const OPERATOR_KEY = 'ioc.operatorName';
export const MAX_OPERATOR_NAME = 64;
const listeners = new Set<() => void>();

export function getOperator(): string | null {
  try {
    const v = localStorage.getItem(OPERATOR_KEY)?.trim();
    return v ? v : null;
  } catch {
    return null;
  }
}

/** Returns the cleaned name, or null when it is empty or too long. */
export function cleanOperatorName(name: string): string | null {
  const v = name.trim().replace(/\s+/g, ' ');
  return v.length > 0 && v.length <= MAX_OPERATOR_NAME ? v : null;
}

export function setOperator(name: string): boolean {
  const v = cleanOperatorName(name);
  if (!v) return false;
  try {
    localStorage.setItem(OPERATOR_KEY, v);
  } catch {
    // Private mode: kept for this page only.
  }
  memory = v;
  for (const fn of [...listeners]) fn();
  return true;
}

let memory: string | null = null;

function subscribe(fn: () => void): () => void {
  listeners.add(fn);
  const onStorage = (e: StorageEvent): void => {
    if (e.key === OPERATOR_KEY) fn();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(fn);
    window.removeEventListener('storage', onStorage);
  };
}

export function useOperator(): string | null {
  return useSyncExternalStore(subscribe, () => getOperator() ?? memory);
}
