/**
 * Wall settings, for a kiosk that has no mouse: set once in the URL the kiosk opens
 * (`/?rotate=45&page=hydro&pin=1`) and remembered by the browser, so a reboot keeps them.
 * - rotate: seconds per page, 10–600; 0 turns the rotation off (default 30).
 * - page: the page to start on; pin=1 keeps it (no rotation until unpinned with P).
 */
import { PAGES, type PageId } from './wallUi';

export const DEFAULT_ROTATE_SEC = 30;
const KEY = 'ioc.wall.settings';

export interface WallSettings {
  rotateSec: number;
  page: PageId;
  pinned: boolean;
}

type Store = Pick<Storage, 'getItem' | 'setItem'>;

function parseRotate(v: string | null | undefined): number | null {
  if (v === null || v === undefined || v.trim() === '') return null;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) return null;
  return n === 0 ? 0 : Math.min(600, Math.max(10, Math.round(n)));
}

function parsePage(v: string | null | undefined): PageId | null {
  return (PAGES as readonly string[]).includes(v ?? '') ? (v as PageId) : null;
}

export function readWallSettings(search: string, storage: Store | null): WallSettings {
  const q = new URLSearchParams(search);
  let saved: Partial<Record<'rotate' | 'page' | 'pin', string>> = {};
  try {
    const raw = storage?.getItem(KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (parsed && typeof parsed === 'object') saved = parsed as typeof saved;
  } catch {
    saved = {};
  }
  const pick = (k: 'rotate' | 'page' | 'pin') => (q.has(k) ? q.get(k) : (saved[k] ?? null));
  const settings: WallSettings = {
    rotateSec: parseRotate(pick('rotate')) ?? DEFAULT_ROTATE_SEC,
    page: parsePage(pick('page')) ?? 'air',
    pinned: pick('pin') === '1',
  };
  if (q.has('rotate') || q.has('page') || q.has('pin')) {
    try {
      storage?.setItem(KEY, JSON.stringify({ rotate: String(settings.rotateSec), page: settings.page, pin: settings.pinned ? '1' : '0' }));
    } catch {
      // A kiosk in private mode cannot store: the URL still applies.
    }
  }
  return settings;
}
