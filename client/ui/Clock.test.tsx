import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncClock } from '../store/clock';
import { Clock } from './Clock';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;

beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
  syncClock(0, { mode: 'live' });
});

const byTestId = (id: string) => host.querySelector(`[data-testid="${id}"]`);

describe('Clock', () => {
  it('shows no rehearsal badge on a live server', () => {
    act(() => root.render(<Clock />));
    expect(byTestId('rehearsal-badge')).toBeNull();
    expect(byTestId('clock')?.getAttribute('data-mode')).toBe('live');
  });

  it('says DIỄN TẬP with the speed and the scenario, and shows the simulated time', () => {
    // 03:00 in Vietnam on 11/03/2026 (simulated), whatever the real time is.
    syncClock(Date.UTC(2026, 2, 10, 20, 0, 0), { mode: 'rehearsal', synced: true, speed: 60, scenario: 'flood', phase: null });
    act(() => root.render(<Clock />));
    expect(byTestId('rehearsal-badge')?.textContent).toBe('DIỄN TẬP · ×60 · lũ');
    const text = byTestId('clock')?.textContent ?? '';
    expect(text).toContain('03:0');
    expect(text).toContain('11/03/2026');
    expect(text).toContain('giờ mô phỏng');
  });
});
