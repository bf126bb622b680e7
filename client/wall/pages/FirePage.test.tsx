/** The wall's forest fire page in happy-dom: the communes per level in the sign colours, the high ones named, the empty state. */
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FireSnapshot } from '../../../shared/fireDanger';
import type { HistoricWallSnapshot } from '../../../shared/events';
import type * as Api from '../../net/api';
import { FIRE_LEVELS } from '../../map/fireStyles';
import { LiveStore } from '../../store/liveStore';
import { LiveStoreContext } from '../../store/useLive';
import { makeCommuneFire, makeFireSnapshot, makeWallDelta, makeWallSnapshot, manualScheduler } from '../../test-support/fixtures';

vi.mock('../../net/api', async (original) => ({
  ...(await original<typeof Api>()),
  fetchCommuneLabels: () =>
    Promise.resolve([
      { code: '21025', name: 'Sơn Hà', unitType: 'xa', position: [108.5, 15.0] },
      { code: '21028', name: 'Ba Tơ', unitType: 'xa', position: [108.7, 14.8] },
      { code: '21034', name: 'Lý Sơn', unitType: 'dac_khu', position: [109.1, 15.4] },
    ]),
}));

const { FirePage, FIRE_ROWS } = await import('./FirePage');

let root: Root;
let host: HTMLDivElement;
let store: LiveStore;
let frames: ReturnType<typeof manualScheduler>;
let seq = 10;

const byId = (id: string) => host.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const rows = () => [...host.querySelectorAll<HTMLElement>('[data-testid="fire-row"]')];
const rowText = (r: HTMLElement) => [...r.children].map((c) => c.textContent);
const show = (fire: FireSnapshot | undefined) =>
  act(() => {
    store.applySnapshot(makeWallSnapshot({ seq: seq++, fire }));
    frames.flush();
  });
/** Lets the commune labels' fetch resolve and React render the names. */
const settle = () => act(async () => new Promise((r) => setTimeout(r, 10)));

beforeEach(async () => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  frames = manualScheduler();
  store = new LiveStore({ view: 'wall', schedule: frames.schedule });
  store.setRegistry('r1', []);
  frames.flush();
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  act(() => {
    root.render(
      <LiveStoreContext.Provider value={store}>
        <FirePage />
      </LiveStoreContext.Provider>,
    );
  });
  await settle();
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

describe('wall fire page', () => {
  it('says clearly that there is no forecast yet: before any data, and before the first daily step', () => {
    expect(byId('fire-empty')?.textContent).toContain('Chưa có dự báo cháy rừng: cấp được tính mỗi ngày sau 13:00');
    expect(byId('fire-levels')).toBeNull();
    // The server lists its forest communes at once, unstepped until 13:30: still nothing to say.
    show(makeFireSnapshot({ communes: [makeCommuneFire({ code: '21025', p: 0, dryDays: 0, day: null })] }));
    expect(byId('fire-empty')?.textContent).toContain('Chưa có dự báo cháy rừng: cấp được tính mỗi ngày sau 13:00');
  });

  it('counts the communes per level under the five level chips in the fire sign colours, with the bands of P', async () => {
    show(
      makeFireSnapshot({
        communes: [
          makeCommuneFire({ code: '21025', level: 1, p: 400 }),
          makeCommuneFire({ code: '21028', level: 1, p: 900 }),
          makeCommuneFire({ code: '21034', level: 4, p: 7000 }),
          makeCommuneFire({ code: '21040', level: 1, p: 0, dryDays: 0, day: null }),
        ],
      }),
    );
    await settle();
    expect(byId('fire-empty')).toBeNull();
    const panel = byId('fire-levels')!;
    const chips = [...panel.querySelectorAll<HTMLElement>('thead .band-chip')];
    expect(chips.map((c) => c.textContent)).toEqual(['Cấp I', 'Cấp II', 'Cấp III', 'Cấp IV', 'Cấp V']);
    expect(chips.map((c) => [c.style.background, c.style.color])).toEqual(
      FIRE_LEVELS.map((l) => [hexToCss(l.hex), hexToCss(l.textHex)]),
    );
    expect([...panel.querySelectorAll('thead .band-range')].map((e) => e.textContent)).toEqual(['thấp', 'trung bình', 'cao', 'nguy hiểm', 'cực kỳ nguy hiểm']);
    expect([...panel.querySelectorAll('[data-testid="fire-count"]')].map((e) => e.textContent)).toEqual(['2', '0', '0', '1', '0']);
    expect([...panel.querySelectorAll('.fire-bands td')].map((e) => e.textContent)).toEqual(['≤ 1.000', '≤ 2.500', '≤ 5.000', '≤ 10.000', '> 10.000']);
    expect(byId('fire-levels-note')?.textContent).toBe('Cấp ngày 10/03/2026 · 4 xã có rừng (tạm tính mọi xã) · 1 xã chưa đủ số đo 13 giờ');
  });

  it('names the communes at level III or more, by level then P, with badge, P and dry days; none below III', async () => {
    show(
      makeFireSnapshot({
        communes: [
          makeCommuneFire({ code: '21025', level: 3, p: 2600, dryDays: 6 }),
          makeCommuneFire({ code: '21028', level: 5, p: 12_345, dryDays: 21 }),
          makeCommuneFire({ code: '21034', level: 3, p: 4900, dryDays: 9 }),
          makeCommuneFire({ code: '21040', level: 2, p: 2400, dryDays: 5 }),
        ],
      }),
    );
    await settle();
    expect(rows().map(rowText)).toEqual([
      ['V', 'Xã Ba Tơ', '12.345', '21 ngày'],
      ['III', 'Đặc khu Lý Sơn', '4.900', '9 ngày'],
      ['III', 'Xã Sơn Hà', '2.600', '6 ngày'],
    ]);
    const badge = rows()[0]!.querySelector<HTMLElement>('.fire-chip')!;
    expect([badge.style.background, badge.style.color]).toEqual([hexToCss('#d92b2b'), hexToCss('#ffffff')]);
    expect(byId('fire-high-count')?.textContent).toBe('3');
    // Level V is an alarm level: the count says so.
    expect(byId('fire-high-count')?.classList.contains('bad')).toBe(true);
    expect(byId('fire-more')).toBeNull();

    // The next day's step: Ba Tơ got rain (back to I), Sơn Hà dried into IV.
    act(() => {
      store.applyDelta(
        makeWallDelta({
          seq: seq++,
          fire: [
            makeCommuneFire({ code: '21028', level: 1, p: 0, dryDays: 0, day: '2026-03-11' }),
            makeCommuneFire({ code: '21025', level: 4, p: 5200, dryDays: 7, day: '2026-03-11' }),
          ],
        }),
      );
      frames.flush();
    });
    expect(rows().map((r) => r.dataset.code)).toEqual(['21025', '21034']);
    expect(byId('fire-levels-note')?.textContent).toContain('Cấp ngày 11/03/2026');
  });

  it('lists at most FIRE_ROWS communes and counts the rest', async () => {
    const n = FIRE_ROWS + 3;
    show(makeFireSnapshot({ communes: Array.from({ length: n }, (_, k) => makeCommuneFire({ code: String(30000 + k), level: 3, p: 3000 + k })) }));
    await settle();
    expect(rows()).toHaveLength(FIRE_ROWS);
    // Highest P first; codes without a label are named by their code.
    expect(rows()[0]!.textContent).toContain(`Mã xã ${30000 + n - 1}`);
    expect(byId('fire-more')?.textContent).toBe('và 3 xã khác');
    expect(byId('fire-high-count')?.textContent).toBe(String(n));
    expect(byId('fire-high-count')?.classList.contains('bad')).toBe(false);
  });

  it('says when no commune is at level III or more', async () => {
    show(makeFireSnapshot({ communes: [makeCommuneFire({ code: '21025', level: 2, p: 1800 })] }));
    await settle();
    expect(rows()).toEqual([]);
    expect(byId('fire-communes')?.textContent).toContain('Không có xã nào từ cấp III trở lên.');
    expect(byId('fire-high-count')?.textContent).toBe('0');
  });

  it('says the past instant of the time machine has no levels', () => {
    show(makeFireSnapshot({ communes: [makeCommuneFire({ code: '21025', level: 4, p: 6000 })] }));
    const historic: HistoricWallSnapshot = { ...makeWallSnapshot({ seq: 0 }), historic: { at: 1_699_990_000_000 } };
    act(() => {
      store.applyHistoric(historic);
      frames.flush();
    });
    expect(byId('fire-empty')?.textContent).toContain('Thời điểm đã qua: máy chủ không có cấp dự báo cháy rừng cho thời điểm này.');
    expect(rows()).toEqual([]);
  });
});

/** How happy-dom gives back a colour set as a hex string. */
function hexToCss(hex: string): string {
  const probe = document.createElement('span');
  probe.style.background = hex;
  return probe.style.background;
}
