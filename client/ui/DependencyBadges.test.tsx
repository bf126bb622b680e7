/** The header's dependency badges in happy-dom: what the frames say is down, in Vietnamese, and only while live. */
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DegradedDependency } from '../../shared/health';
import { makeDevices, makeWallDelta, makeWallSnapshot, manualScheduler } from '../test-support/fixtures';
import { LiveStore } from '../store/liveStore';
import { LiveStoreContext } from '../store/useLive';
import { DependencyBadges } from './DependencyBadges';

const T0 = 1_700_000_000_000;

let root: Root;
let host: HTMLDivElement;
let store: LiveStore;
let frames: ReturnType<typeof manualScheduler>;

const render = (paused = false) =>
  act(() => {
    root.render(
      <LiveStoreContext.Provider value={store}>
        <DependencyBadges paused={paused} />
      </LiveStoreContext.Provider>,
    );
  });
const badges = () => [...host.querySelectorAll<HTMLElement>('.dep-badge')].map((b) => [b.dataset.dependency, b.textContent]);
const snapshot = (degraded?: DegradedDependency[]) =>
  act(() => {
    store.applySnapshot(makeWallSnapshot({ seq: 10, ...(degraded ? { degraded } : {}) }));
    frames.flush();
  });
const delta = (seq: number, degraded?: DegradedDependency[]) =>
  act(() => {
    store.applyDelta(makeWallDelta({ seq, ...(degraded ? { degraded } : {}) }));
    frames.flush();
  });

beforeEach(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  frames = manualScheduler();
  store = new LiveStore({ view: 'wall', schedule: frames.schedule });
  store.setRegistry('r1', makeDevices(3));
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

describe('dependency badges', () => {
  it('says which dependency is down and what it means, and goes when it recovers', () => {
    render();
    snapshot();
    expect(host.querySelector('[data-testid="dependency-badges"]')).toBeNull();

    delta(11, [
      { name: 'redis', since: T0 - 5_000 },
      { name: 'mqtt', since: T0 - 1_000 },
    ]);
    expect(badges()).toEqual([
      ['redis', '!Mất kết nối Redis — dữ liệu từ máy chủ khác có thể chậm'],
      ['mqtt', '!Mất kết nối MQTT — không nhận được số liệu mới từ thiết bị'],
    ]);
    expect(host.querySelector('[data-testid="dependency-badges"]')!.getAttribute('role')).toBe('alert');
    expect(host.querySelector<HTMLElement>('[data-dependency="redis"]')!.title).toMatch(/^từ \d\d:\d\d:\d\d$/);

    delta(12);
    expect(badges()).toEqual([]);
  });

  it('shows a PostgreSQL outage once, not again as failing store writes', () => {
    render();
    snapshot([
      { name: 'postgresql', since: T0 },
      { name: 'store', since: T0 + 500 },
    ]);
    expect(badges()).toEqual([['postgresql', '!Mất kết nối PostgreSQL — số liệu mới có thể chưa được lưu']]);
    delta(11, [{ name: 'store', since: T0 + 500 }]);
    expect(badges()).toEqual([['store', '!Lỗi ghi cơ sở dữ liệu — số liệu mới có thể chưa được lưu']]);
  });

  it('says nothing while the link to the server is down or the wall shows the past', () => {
    render();
    snapshot([{ name: 'redis', since: T0 }]);
    expect(badges()).toHaveLength(1);
    act(() => {
      store.setConnection('offline');
      frames.flush();
    });
    expect(badges()).toEqual([]);
    snapshot([{ name: 'redis', since: T0 }]);
    expect(badges()).toHaveLength(1);
    render(true);
    expect(badges()).toEqual([]);
  });

  it('keeps the same list while the frames repeat it, so nothing re-renders every tick', () => {
    snapshot([{ name: 'redis', since: T0 }]);
    const first = store.degraded;
    delta(11, [{ name: 'redis', since: T0 }]);
    expect(store.degraded).toBe(first);
    delta(12, [{ name: 'redis', since: T0 + 9_000 }]);
    expect(store.degraded).not.toBe(first);
    expect(store.degraded).toEqual([{ name: 'redis', since: T0 + 9_000 }]);
  });
});
