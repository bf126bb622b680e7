/** The phone's flood releases in happy-dom: first on the screen, the plant's plan, and the communes below the dam. */
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MobileEnvSummary, MobileRelease } from '../../shared/events';
import type * as Api from '../net/api';
import { LiveStore } from '../store/liveStore';
import { LiveStoreContext } from '../store/useLive';
import { makeDevice, makeMobileSnapshot, manualScheduler } from '../test-support/fixtures';

vi.mock('../net/api', async (original) => ({
  ...(await original<typeof Api>()),
  fetchCommuneLabels: () =>
    Promise.resolve(
      ['Mường La', 'Mường Bú', 'Chiềng Hoa', 'Tạ Khoa', 'Bắc Yên', 'Phù Yên'].map((name, k) => ({
        code: `0380${k}`,
        name,
        unitType: 'xa',
        position: [104, 21.4],
      })),
    ),
}));

const { ReleaseCard } = await import('./ReleaseCard');

let root: Root;
let host: HTMLDivElement;
let store: LiveStore;
let frames: ReturnType<typeof manualScheduler>;
let seq = 5;

const ENV: MobileEnvSummary = { aqiBands: [0, 0, 0, 0, 0, 0], worstAir: [], riversAboveBd1: [], wastewaterExceeding: [], heavyRain: [] };
const card = () => host.querySelector<HTMLElement>('[data-testid="m-release"]');
const show = (releases: MobileRelease[] | undefined) =>
  act(() => {
    store.applySnapshot(makeMobileSnapshot({ seq: seq++, env: { ...ENV, ...(releases ? { releases } : {}) } }));
    frames.flush();
  });
const settle = () => act(async () => new Promise((r) => setTimeout(r, 10)));
/** 04:00 Vietnam time. */
const AT = Date.UTC(2026, 6, 20, 21);
const codes = ['03800', '03801', '03802', '03803', '03804', '03805'];

beforeEach(async () => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  frames = manualScheduler();
  store = new LiveStore({ view: 'mobile', schedule: frames.schedule });
  store.setRegistry('r1', [makeDevice({ id: 'sla-res-0001', type: 'reservoir', kind: 'reservoir', name: 'Hồ thủy điện Sơn La', props: { plant: 'Thủy điện Sơn La' } })]);
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  act(() => {
    root.render(
      <LiveStoreContext.Provider value={store}>
        <ReleaseCard />
      </LiveStoreContext.Provider>,
    );
  });
  await settle();
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

describe('phone release card', () => {
  it('shows nothing without a release', () => {
    expect(card()).toBeNull();
    show(undefined);
    expect(card()).toBeNull();
    show([]);
    expect(host.textContent).toBe('');
  });

  it("names the plant, what it announced, and the communes below it, counting those it does not name", async () => {
    show([{ i: 0, release: 'announced', startsAt: AT, gates: 2, outflow: 5300, downstream: codes }]);
    await settle();
    const row = card()!.querySelector('li')!;
    expect(row.dataset.release).toBe('announced');
    expect(row.textContent).toContain('Thủy điện Sơn La');
    expect(row.textContent).toContain('Thông báo');
    expect(row.textContent).toContain('dự kiến mở 2 cửa lúc 04:00 · xả 5.300 m³/s');
    expect(row.textContent).toContain('Hạ du 6 xã: xã Mường La, xã Mường Bú, xã Chiềng Hoa, xã Tạ Khoa và 2 xã khác');

    show([{ i: 0, release: 'releasing', startsAt: AT, gates: 2, outflow: 5300, downstream: codes.slice(0, 2) }]);
    await settle();
    expect(card()!.querySelector('li')!.textContent).toContain('Đang xả');
    expect(card()!.querySelector('li')!.textContent).toContain('2 cửa xả mở · 5.300 m³/s · từ 04:00');
    expect(card()!.querySelector('li')!.textContent).toContain('Hạ du 2 xã: xã Mường La, xã Mường Bú');
  });
});
