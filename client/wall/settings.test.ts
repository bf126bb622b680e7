import { describe, expect, it } from 'vitest';
import { DEFAULT_ROTATE_SEC, readWallSettings } from './settings';

function memory() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
}

describe('readWallSettings', () => {
  it('defaults to rotating every 30 s from the air page', () => {
    expect(readWallSettings('', memory())).toEqual({ rotateSec: DEFAULT_ROTATE_SEC, page: 'air', pinned: false });
  });

  it('takes the URL, clamps the interval, and remembers it for the next start', () => {
    const store = memory();
    expect(readWallSettings('?rotate=5&page=hydro&pin=1', store)).toEqual({ rotateSec: 10, page: 'hydro', pinned: true });
    expect(readWallSettings('', store)).toEqual({ rotateSec: 10, page: 'hydro', pinned: true });
    expect(readWallSettings('?rotate=0', store).rotateSec).toBe(0);
    expect(readWallSettings('?rotate=9999', store).rotateSec).toBe(600);
  });

  it('ignores nonsense', () => {
    const store = memory();
    store.setItem('ioc.wall.settings', '{not json');
    expect(readWallSettings('?rotate=abc&page=nope', store)).toEqual({ rotateSec: DEFAULT_ROTATE_SEC, page: 'air', pinned: false });
  });
});
