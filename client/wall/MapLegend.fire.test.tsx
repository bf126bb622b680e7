/** The fire map's legend in happy-dom: the five levels with numeral, name and band of P, the communes per level, the trust. */
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HistoricWallSnapshot } from '../../shared/events';
import { FIRE_LEVELS } from '../map/fireStyles';
import { LiveStore } from '../store/liveStore';
import { LiveStoreContext } from '../store/useLive';
import { makeCommuneFire, makeFireSnapshot, makeWallSnapshot, manualScheduler } from '../test-support/fixtures';
import { MapLegend } from './MapLegend';

let root: Root;
let host: HTMLDivElement;
let store: LiveStore;
let frames: ReturnType<typeof manualScheduler>;
let seq = 10;

const SOURCE = 'Ngưỡng cổ điển của QĐ 127/2000 (theo tài liệu thứ cấp)';
const levelRows = () =>
  [...host.querySelectorAll<HTMLElement>('[data-testid="fire-levels-legend"] li')].map((li) => [...li.children].map((c) => c.textContent).join(' | '));
const keys = () => [...host.querySelectorAll<HTMLElement>('[data-testid="fire-levels-legend"] .legend-key')].map((e) => [e.style.background, e.style.color]);
const byId = (id: string) => host.querySelector(`[data-testid="${id}"]`);
const apply = (snap: Parameters<LiveStore['applySnapshot']>[0]) =>
  act(() => {
    store.applySnapshot(snap);
    frames.flush();
  });

beforeEach(() => {
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
        <MapLegend mode="communeFire" />
      </LiveStoreContext.Provider>,
    );
  });
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

describe('fire map legend', () => {
  it('names the five levels in the fire sign colours before any data, and says none came', () => {
    expect(host.querySelector('h3')?.textContent).toBe('Cấp dự báo cháy rừng theo xã (QĐ 127/2000)');
    expect(levelRows()).toEqual(['I | thấp |  | ', 'II | trung bình |  | ', 'III | cao |  | ', 'IV | nguy hiểm |  | ', 'V | cực kỳ nguy hiểm |  | ']);
    const css = (hex: string) => {
      const probe = document.createElement('span');
      probe.style.background = hex;
      return probe.style.background;
    };
    expect(keys()).toEqual(FIRE_LEVELS.map((l) => [css(l.hex), css(l.textHex)]));
    expect(byId('fire-unavailable')?.textContent).toBe('Chưa nhận được cấp dự báo cháy rừng từ máy chủ');
    expect(byId('fire-index')).toBeNull();
    expect(byId('fire-unverified')).toBeNull();
    expect(byId('fire-forest')?.textContent).toBe('Xã có rừng: tạm tính mọi xã (chưa có bản đồ rừng); phường không tô màu');
  });

  it("gives each level its band of P in the province's rule and its communes, those without a step apart", () => {
    apply(
      makeWallSnapshot({
        seq: seq++,
        fire: makeFireSnapshot({
          communes: [
            makeCommuneFire({ code: '21025', level: 1, p: 300 }),
            makeCommuneFire({ code: '21028', level: 3, p: 9000 }),
            makeCommuneFire({ code: '21034', level: 5, p: 25_000 }),
            makeCommuneFire({ code: '21040', level: 5, p: 21_000 }),
            makeCommuneFire({ code: '21041', level: 1, p: 0, dryDays: 0, day: null }),
          ],
          rule: { bands: [5000, 10000, 15000, 20000], resetRainMm: 2.5 },
          source: SOURCE,
          verified: false,
        }),
      }),
    );
    expect(levelRows()).toEqual([
      'I | thấp | P ≤ 5.000 | 1 xã',
      'II | trung bình | 5.000 < P ≤ 10.000 | 0 xã',
      'III | cao | 10.000 < P ≤ 15.000 | 1 xã',
      'IV | nguy hiểm | 15.000 < P ≤ 20.000 | 0 xã',
      'V | cực kỳ nguy hiểm | P > 20.000 | 2 xã',
      ' | Chưa tính được cấp | chưa có số đo 13 giờ | 1 xã',
    ]);
    expect(byId('fire-unavailable')).toBeNull();
    expect(byId('fire-index')?.textContent).toBe(
      'Chỉ số Nesterov P: cộng dồn T13 × độ thiếu hụt bão hoà qua các ngày không mưa; mưa ≥ 2,5 mm thì tính lại',
    );
    expect(byId('fire-unverified')?.textContent).toBe(`⚠ Ngưỡng cấp chưa đối chiếu quyết định của tỉnh — ${SOURCE}`);
    expect(byId('fire-unverified')?.classList.contains('legend-warn')).toBe(true);
  });

  it("names the province's checked bands without the warning", () => {
    apply(makeWallSnapshot({ seq: seq++, fire: makeFireSnapshot({ verified: true, source: 'Quyết định của UBND tỉnh (2024)' }) }));
    expect(byId('fire-unverified')).toBeNull();
    expect(host.textContent).toContain('Ngưỡng cấp: Quyết định của UBND tỉnh (2024)');
    // No commune without a step: no row for them.
    expect(levelRows()).toHaveLength(5);
  });

  it('says the past instant of the time machine has no levels', () => {
    apply(makeWallSnapshot({ seq: seq++, fire: makeFireSnapshot() }));
    const historic: HistoricWallSnapshot = { ...makeWallSnapshot({ seq: 0 }), historic: { at: 1_699_990_000_000 } };
    act(() => {
      store.applyHistoric(historic);
      frames.flush();
    });
    expect(byId('fire-unavailable')?.textContent).toBe('Thời điểm đã qua: máy chủ không có cấp dự báo cháy rừng cho thời điểm này, bản đồ không tô màu');
    expect(levelRows().every((r) => r.endsWith('|  | '))).toBe(true);
  });
});
