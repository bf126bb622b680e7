/** The console driven by the keyboard alone, in happy-dom, with the network actions replaced. */
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Alarm } from '../../shared/alarms';
import { AlarmStore } from '../alarms/alarmStore';
import { setMeForTest } from '../net/auth';
import { makeAlarm, withTotals } from '../alarms/testing';
import { AlarmStoreContext } from '../alarms/useAlarms';
import { LiveStore } from '../store/liveStore';
import { LiveStoreContext } from '../store/useLive';
import type * as Api from '../net/api';

const calls: { action: string; id: number; arg?: string }[] = [];
const answer = (a: Alarm) => Promise.resolve({ ok: true as const, alarm: a });

vi.mock('../net/api', async (original) => ({
  ...(await original<typeof Api>()),
  fetchCommuneLabels: () => Promise.resolve([{ code: '51001', name: 'An Phú', unitType: 'xa', position: [108.86, 15.12] }]),
}));

vi.mock('../net/alarmActions', () => ({
  acknowledgeAlarm: (id: number) => {
    calls.push({ action: 'acknowledge', id });
    return id === 3
      ? Promise.resolve({ ok: false, code: 'ALARM_INVALID_TRANSITION', message: 'Không thực hiện được ở trạng thái hiện tại của cảnh báo', detail: 'already acknowledged' })
      : answer(makeAlarm({ id, rev: 100, state: 'acknowledged', ackBy: 'Nguyễn Văn An' }));
  },
  assignAlarm: (id: number, assignee: string) => {
    calls.push({ action: 'assign', id, arg: assignee });
    return answer(makeAlarm({ id, rev: 101, state: 'assigned', assignee }));
  },
  resolveAlarm: (id: number, note: string) => {
    calls.push({ action: 'resolve', id, arg: note });
    return answer(makeAlarm({ id, rev: 102, state: 'resolved', note }));
  },
  fetchAlarms: () => Promise.resolve({ total: 0, items: [] }),
  fetchAlarmDetail: (id: number) => Promise.resolve({ alarm: makeAlarm({ id }), history: [{ id: 1, alarmId: id, rev: 1, at: 0, actor: 'system', change: 'raised', note: null, snapshot: makeAlarm({ id }) }] }),
}));

const { ConsoleApp } = await import('./ConsoleApp');

let root: Root;
let host: HTMLDivElement;
let alarms: AlarmStore;

function press(key: string, target: EventTarget = window): void {
  act(() => {
    target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
  });
}

function type(el: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  act(() => {
    Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(el, value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

const selectedId = () => host.querySelector('tr.is-selected')?.getAttribute('data-alarm-id');
function signIn(role: 'operator' | 'viewer'): void {
  setMeForTest({ user: { username: 'an.nv', displayName: 'Nguyễn Văn An', role, communes: null }, csrfToken: 't' });
}

const settle = () => act(async () => new Promise((r) => setTimeout(r, 0)));

beforeEach(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  signIn('operator');
  calls.length = 0;
  alarms = new AlarmStore({ schedule: (cb) => cb() });
  alarms.applySnapshot(withTotals({
    rev: 10,
    open: [
      makeAlarm({ id: 1, rev: 1, severity: 'critical', title: 'Mực nước vượt BĐ III' }),
      makeAlarm({ id: 2, rev: 2, severity: 'major', title: 'Mưa rất to' }),
      makeAlarm({ id: 3, rev: 3, severity: 'warning', title: 'Thiết bị mất kết nối' }),
    ],
    openTotal: 3,
  }));
  const live = new LiveStore({ view: 'console', schedule: (cb) => cb() });
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  act(() => {
    root.render(
      <LiveStoreContext.Provider value={live}>
        <AlarmStoreContext.Provider value={alarms}>
          <ConsoleApp />
        </AlarmStoreContext.Provider>
      </LiveStoreContext.Provider>,
    );
  });
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
  localStorage.clear();
});

describe('console keyboard', () => {
  it('moves with j/k and arrows, most urgent first', () => {
    expect([...host.querySelectorAll('tr[data-testid="console-row"]')].map((r) => r.getAttribute('data-alarm-id'))).toEqual(['1', '2', '3']);
    expect(selectedId()).toBe('1');
    press('j');
    expect(selectedId()).toBe('2');
    press('ArrowDown');
    press('j');
    expect(selectedId()).toBe('3');
    press('k');
    expect(selectedId()).toBe('2');
    press('Home');
    expect(selectedId()).toBe('1');
  });

  it('a acknowledges the selected alarm and says so; a refusal is shown in Vietnamese', async () => {
    press('j');
    press('a');
    await settle();
    expect(calls).toEqual([{ action: 'acknowledge', id: 2 }]);
    expect(host.querySelector('[data-testid="toast-ok"]')?.textContent).toContain('Đã xác nhận cảnh báo #2');
    expect(alarms.get(2)?.state).toBe('acknowledged');
    // Acknowledged alarms sort below the unacknowledged; the selection stays with the alarm it was on.
    expect(selectedId()).toBe('2');
    expect([...host.querySelectorAll('tr[data-testid="console-row"]')].map((r) => r.getAttribute('data-alarm-id'))).toEqual(['1', '3', '2']);
    press('k');
    expect(selectedId()).toBe('3');
    press('a');
    await settle();
    const err = host.querySelector('[data-testid="toast-error"]')?.textContent ?? '';
    expect(err).toContain('Không xác nhận được cảnh báo #3');
    expect(err).toContain('trạng thái hiện tại');
  });

  it('r asks for a note and refuses an empty one; g asks for the assignee', async () => {
    press('r');
    const note = host.querySelector<HTMLTextAreaElement>('[data-testid="prompt-dialog"] textarea')!;
    expect(note).not.toBeNull();
    // Keys typed in the dialog are not commands.
    press('j', note);
    expect(selectedId()).toBe('1');
    press('Enter', note);
    expect(host.querySelector('.dialog-error')?.textContent).toBe('Cần nhập ghi chú khi xử lý xong');
    expect(calls).toEqual([]);
    type(note, 'Đã sơ tán 2 hộ');
    press('Enter', note);
    await settle();
    expect(calls).toEqual([{ action: 'resolve', id: 1, arg: 'Đã sơ tán 2 hộ' }]);
    expect(host.querySelector('[data-testid="prompt-dialog"]')).toBeNull();
    // The resolved alarm left the open list; the selection stays at the top.
    expect(selectedId()).toBe('2');
    press('g');
    const who = host.querySelector<HTMLInputElement>('[data-testid="prompt-dialog"] input')!;
    type(who, 'Đội PCTT xã An Phú');
    press('Enter', who);
    await settle();
    expect(calls.at(-1)).toEqual({ action: 'assign', id: 2, arg: 'Đội PCTT xã An Phú' });
  });

  it('Esc cancels a dialog; / focuses the filter and Esc returns to the list; Enter opens the history', async () => {
    press('g');
    const who = host.querySelector<HTMLInputElement>('[data-testid="prompt-dialog"] input')!;
    press('Escape', who);
    expect(host.querySelector('[data-testid="prompt-dialog"]')).toBeNull();
    press('/');
    const text = host.querySelector<HTMLInputElement>('[data-testid="filter-text"]')!;
    expect(document.activeElement).toBe(text);
    type(text, 'mưa');
    expect([...host.querySelectorAll('tr[data-testid="console-row"]')].map((r) => r.getAttribute('data-alarm-id'))).toEqual(['2']);
    press('a', text);
    expect(calls).toEqual([]);
    press('Escape', text);
    expect(document.activeElement).not.toBe(text);
    press('Enter');
    await act(async () => new Promise((r) => setTimeout(r, 200)));
    expect(host.querySelector('[data-testid="console-detail"]')?.getAttribute('data-open')).toBe('1');
    expect(host.querySelector('[data-testid="console-history"]')?.textContent).toContain('Phát sinh');
  });

  it('acts as the signed-in user without asking a name, and tells a viewer they may not act', async () => {
    expect(host.querySelector('[data-testid="user-menu"]')?.textContent).toContain('Nguyễn Văn An');
    press('a');
    await settle();
    expect(host.querySelector('[data-testid="prompt-dialog"]')).toBeNull();
    expect(calls).toEqual([{ action: 'acknowledge', id: 1 }]);
    act(() => signIn('viewer'));
    press('j');
    press('a');
    await settle();
    expect(calls).toHaveLength(1);
    expect(host.textContent).toContain('không có quyền');
  });
});
