/** The wall panel in happy-dom: words with every colour, escalation and groups spelled out, the reaction to a new alarm. */
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Severity } from '../../shared/alarms';
import type { Device } from '../../shared/devices';
import type * as Api from '../net/api';
import { LiveStore } from '../store/liveStore';
import { LiveStoreContext } from '../store/useLive';
import { AlarmStore } from './alarmStore';
import { onMapFocus, type MapFocus } from './focus';
import { AlarmSound, SOUND_SETTING_KEY } from './sound';
import { makeAlarm, makeChange, withTotals } from './testing';
import { AlarmStoreContext } from './useAlarms';

vi.mock('../net/api', async (original) => ({
  ...(await original<typeof Api>()),
  fetchCommuneLabels: () =>
    Promise.resolve([
      { code: '51001', name: 'An Phú', unitType: 'xa', position: [108.86, 15.12] },
      { code: '51002', name: 'Nghĩa Lộ', unitType: 'phuong', position: [108.78, 15.11] },
    ]),
}));

const { AlarmPanel } = await import('./AlarmPanel');

const gauge: Device = { id: 'hydro-1', type: 'hydro', kind: 'river-gauge', name: 'Trạm thủy văn Trà Khúc', lon: 108.8, lat: 15.13, commune: '51002', reportIntervalSec: 60 };

/** An unlocked sound that records what it was asked to play. */
class FakeSound extends AlarmSound {
  readonly cues: Severity[] = [];
  constructor() {
    super(null);
  }
  override get unlocked(): boolean {
    return true;
  }
  override play(severity: Severity): boolean {
    this.cues.push(severity);
    return true;
  }
}

/** An AudioContext as far as AlarmSound sees it: created suspended, running a task after resume(). */
class FakeAudioContext extends EventTarget {
  state: AudioContextState = 'suspended';
  resume(): Promise<void> {
    return new Promise((resolve) =>
      setTimeout(() => {
        this.state = 'running';
        this.dispatchEvent(new Event('statechange'));
        resolve();
      }, 0),
    );
  }
}

function renderPanel(s: AlarmSound): void {
  act(() => {
    root.render(
      <LiveStoreContext.Provider value={new LiveStore({ view: 'wall', schedule: (cb) => cb() })}>
        <AlarmStoreContext.Provider value={alarms}>
          <AlarmPanel sound={s} />
        </AlarmStoreContext.Provider>
      </LiveStoreContext.Provider>,
    );
  });
}

let root: Root;
let host: HTMLDivElement;
let alarms: AlarmStore;
let sound: FakeSound;
const focuses: MapFocus[] = [];
let offFocus: () => void;

const rows = () => [...host.querySelectorAll('[data-testid="alarm-row"]')];
const settle = () => act(async () => new Promise((r) => setTimeout(r, 10)));

beforeEach(async () => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  alarms = new AlarmStore({ schedule: (cb) => cb() });
  sound = new FakeSound();
  focuses.length = 0;
  offFocus = onMapFocus((f) => focuses.push(f));
  const live = new LiveStore({ view: 'wall', schedule: (cb) => cb() });
  live.setRegistry('r1', [gauge]);
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  act(() => {
    root.render(
      <LiveStoreContext.Provider value={live}>
        <AlarmStoreContext.Provider value={alarms}>
          <AlarmPanel sound={sound} />
        </AlarmStoreContext.Provider>
      </LiveStoreContext.Provider>,
    );
  });
  await settle();
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
  offFocus();
});

describe('wall alarm panel', () => {
  it('says "no open alarms" in words once the snapshot says so', () => {
    act(() => alarms.applySnapshot(withTotals({ rev: 0, open: [], openTotal: 0 })));
    expect(host.querySelector('[data-testid="alarm-all-clear"]')?.textContent).toContain('Không có cảnh báo đang mở');
  });

  it('shows severity as shape and word, escalation in words, and a storm as one row with its count', async () => {
    act(() =>
      alarms.applySnapshot(withTotals({
        rev: 5,
        open: [
          makeAlarm({ id: 1, rev: 1, severity: 'warning', kind: 'group', source: 'group:51001', commune: '51001', title: 'Thiết bị mất kết nối', members: { total: 1000, active: 1000, sources: [] } }),
          makeAlarm({ id: 2, rev: 2, severity: 'critical', source: 'hydro-1', commune: '51002', escalationLevel: 2 }),
          makeAlarm({ id: 3, rev: 3, severity: 'major', title: 'Mưa rất to: lượng mưa 24 giờ ≥ 100 mm', state: 'acknowledged', ackBy: 'An' }),
        ],
        openTotal: 3,
      })),
    );
    await settle();
    expect(rows().map((r) => r.getAttribute('data-alarm-id'))).toEqual(['2', '3', '1']);
    const [critical, major, group] = rows().map((r) => r.textContent ?? '');
    expect(critical).toContain('▲');
    expect(critical).toContain('Khẩn cấp');
    expect(critical).toContain('Đã leo thang cấp 2');
    expect(critical).toContain('Trạm thủy văn Trà Khúc · phường Nghĩa Lộ');
    expect(major).toContain('◆');
    expect(major).toContain('Nghiêm trọng');
    expect(major).toContain('Đã xác nhận');
    expect(group).toContain('●');
    expect(group).toContain('Cảnh báo');
    expect(group).toContain('1.000 thiết bị mất kết nối');
    expect(group).toContain('xã An Phú');
    expect(host.querySelector('[data-testid="count-critical"]')?.textContent).toContain('1Khẩn cấp');
    expect(host.querySelector('[data-testid="alarm-unacked"]')?.textContent).toBe('2');
  });

  it('in a storm shows the server totals, not a count of the 500 alarms it holds', async () => {
    const open = Array.from({ length: 500 }, (_, k) => makeAlarm({ id: k + 1, rev: k + 1, severity: k < 7 ? 'critical' : k < 8 ? 'major' : 'warning', source: `dev-${k}` }));
    const totals = { open: 1225, bySeverity: { critical: 9, major: 18, warning: 1198 }, unacknowledged: 1224, escalated: 0 };
    act(() => alarms.applySnapshot({ rev: 500, open, openTotal: 1225, totals }));
    await settle();
    expect(host.querySelector('[data-testid="count-critical"]')?.getAttribute('data-count')).toBe('9');
    expect(host.querySelector('[data-testid="count-major"]')?.getAttribute('data-count')).toBe('18');
    expect(host.querySelector('[data-testid="count-warning"]')?.getAttribute('data-count')).toBe('1198');
    expect(host.querySelector('[data-testid="alarm-unacked"]')?.textContent).toBe('1.224');
    expect(host.querySelector('[data-testid="alarm-panel"]')?.getAttribute('data-open-total')).toBe('1225');
  });

  it('a new critical alarm flies the map to its device and plays the critical cue; a major one only its cue', async () => {
    act(() => alarms.applySnapshot(withTotals({ rev: 1, open: [], openTotal: 0 })));
    act(() => {
      alarms.applyDelta({ changes: [makeChange(2, 'raised', { id: 7, severity: 'major', source: 'hydro-1', title: 'Mực nước vượt BĐ II' })] });
    });
    await settle();
    expect(sound.cues).toEqual(['major']);
    expect(focuses).toEqual([]);
    act(() => {
      alarms.applyDelta({
        changes: [makeChange(3, 'updated', { id: 7, severity: 'critical', source: 'hydro-1', title: 'Mực nước vượt BĐ III' }, { previousSeverity: 'major' })],
      });
    });
    await settle();
    expect(sound.cues).toEqual(['major', 'critical']);
    expect(focuses).toEqual([{ lon: 108.8, lat: 15.13, label: 'Mực nước vượt BĐ III', alarmId: 7 }]);
    expect(host.querySelector('[data-testid="alarm-panel"]')?.getAttribute('data-last-focus')).toBe('7');
    expect(rows()[0]?.textContent).toContain('MỚI');
    // A storm group has no device: the map goes to its commune's label point.
    act(() => {
      alarms.applyDelta({
        changes: [makeChange(4, 'raised', { id: 8, kind: 'group', severity: 'critical', source: 'group:51001', commune: '51001', members: { total: 12, active: 12, sources: [] } })],
      });
    });
    await settle();
    expect(focuses.at(-1)).toMatchObject({ lon: 108.86, lat: 15.12, alarmId: 8 });
  });

  it('asks for the click that unlocks sound, and keeps the on/off setting', () => {
    const locked = new AlarmSound({ getItem: () => null, setItem: () => undefined });
    act(() => {
      root.render(
        <LiveStoreContext.Provider value={new LiveStore({ view: 'wall', schedule: (cb) => cb() })}>
          <AlarmStoreContext.Provider value={alarms}>
            <AlarmPanel sound={locked} />
          </AlarmStoreContext.Provider>
        </LiveStoreContext.Provider>,
      );
    });
    expect(host.querySelector('[data-testid="alarm-sound"]')?.textContent).toContain('Bấm để bật âm thanh cảnh báo');
    const saved = new Map<string, string>();
    const s = new AlarmSound({ getItem: (k) => saved.get(k) ?? null, setItem: (k, v) => void saved.set(k, v) });
    s.setEnabled(false);
    expect(new AlarmSound({ getItem: (k) => saved.get(k) ?? null, setItem: () => undefined }).enabled).toBe(false);
  });

  it("a person's click on the prompt turns sound on, though the audio starts between the press and the release", async () => {
    // The press unlocks the audio, and the prompt has become the on/off switch before the pointer is
    // released and the click arrives on it (test/browser/alarms.test.ts does the same with Chromium's mouse).
    vi.stubGlobal('AudioContext', FakeAudioContext);
    try {
      const saved = new Map<string, string>();
      const locked = new AlarmSound({ getItem: (k) => saved.get(k) ?? null, setItem: (k, v) => void saved.set(k, v) });
      renderPanel(locked);
      const button = () => host.querySelector<HTMLButtonElement>('[data-testid="alarm-sound"]')!;
      expect(button().textContent).toContain('Bấm để bật âm thanh cảnh báo');
      const pressed = button();
      act(() => {
        pressed.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, cancelable: true, button: 0 }));
        pressed.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true, button: 0 }));
      });
      await settle();
      expect(button().getAttribute('data-unlocked')).toBe('1');
      act(() => {
        button().dispatchEvent(new PointerEvent('pointerup', { bubbles: true, cancelable: true, button: 0 }));
        button().dispatchEvent(new MouseEvent('mouseup', { bubbles: true, cancelable: true, button: 0 }));
        button().dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 }));
      });
      await settle();
      expect(locked.enabled).toBe(true);
      expect(saved.get(SOUND_SETTING_KEY)).not.toBe('off');
      expect(button().getAttribute('data-enabled')).toBe('1');
      expect(button().textContent).toContain('Âm thanh: bật');
      // The next click on the switch is a click on the switch: it turns sound off.
      act(() => {
        button().dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, cancelable: true, button: 0 }));
        button().dispatchEvent(new PointerEvent('pointerup', { bubbles: true, cancelable: true, button: 0 }));
        button().dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 }));
      });
      await settle();
      expect(locked.enabled).toBe(false);
      expect(button().textContent).toContain('Âm thanh: tắt');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('a key that unlocks sound on the prompt (Space: the click comes on key-up) leaves it on', async () => {
    vi.stubGlobal('AudioContext', FakeAudioContext);
    try {
      const locked = new AlarmSound({ getItem: () => null, setItem: () => undefined });
      renderPanel(locked);
      const button = () => host.querySelector<HTMLButtonElement>('[data-testid="alarm-sound"]')!;
      act(() => {
        button().dispatchEvent(new KeyboardEvent('keydown', { key: ' ', code: 'Space', bubbles: true, cancelable: true }));
      });
      await settle();
      expect(button().getAttribute('data-unlocked')).toBe('1');
      act(() => {
        button().dispatchEvent(new KeyboardEvent('keyup', { key: ' ', code: 'Space', bubbles: true, cancelable: true }));
        button().dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
      });
      await settle();
      expect(locked.enabled).toBe(true);
      expect(button().textContent).toContain('Âm thanh: bật');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
