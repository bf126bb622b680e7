/** The phone's forecasts in happy-dom: rivers by time to their next level, and tomorrow's air bands. */
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MobileEnvSummary } from '../../shared/events';
import { makeDevice, makeMobileSnapshot, manualScheduler } from '../test-support/fixtures';
import { LiveStore } from '../store/liveStore';
import { LiveStoreContext } from '../store/useLive';
import { ForecastCards } from './ForecastCards';

const HOUR = 3_600_000;
// 11:20 on Saturday 05/12/2026 in Asia/Ho_Chi_Minh; tomorrow starts at 17:00 UTC.
const NOW = Date.UTC(2026, 11, 5, 4, 20);
const TOMORROW = Date.UTC(2026, 11, 5, 17);

const devices = [
  makeDevice({ id: 'qng-hydro-0001', type: 'hydro', kind: 'river-gauge', name: 'Trạm thủy văn Trà Khúc', props: { station: 'Trà Khúc', river: 'Trà Khúc' } }),
  makeDevice({ id: 'qng-hydro-0002', type: 'hydro', kind: 'river-gauge', name: 'Trạm thủy văn Sông Vệ', props: { station: 'Sông Vệ', river: 'Vệ' } }),
  makeDevice({ id: 'qng-air-0001', type: 'air', kind: 'air-station', name: 'Trạm KK Cẩm Thành' }),
  makeDevice({ id: 'qng-air-0002', type: 'air', kind: 'air-station', name: 'Trạm KK Nghĩa Lộ' }),
];

const env = (over: Partial<MobileEnvSummary>): MobileEnvSummary => ({ aqiBands: [0, 0, 0, 0, 0, 0], worstAir: [], riversAboveBd1: [], wastewaterExceeding: [], heavyRain: [], ...over });

let root: Root;
let host: HTMLDivElement;
let store: LiveStore;
let frames: ReturnType<typeof manualScheduler>;

const show = (e: MobileEnvSummary) =>
  act(() => {
    store.applySnapshot(makeMobileSnapshot({ seq: 6, at: NOW, env: e }));
    frames.flush();
  });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
  vi.setSystemTime(NOW);
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  frames = manualScheduler();
  store = new LiveStore({ view: 'mobile', schedule: frames.schedule });
  store.setRegistry('r1', devices);
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  act(() => {
    root.render(
      <LiveStoreContext.Provider value={store}>
        <ForecastCards />
      </LiveStoreContext.Provider>,
    );
  });
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
  vi.useRealTimers();
});

describe("the phone's forecasts", () => {
  it('lists the rivers by forecast time to their next level, with the time left', () => {
    show(
      env({
        riversAhead: [
          { i: 1, level: 2.9, stage: 0, next: 1, at: NOW + 2 * HOUR, h: 2, issuedAt: NOW },
          { i: 0, level: 4.2, stage: 1, next: 2, at: NOW + 3 * HOUR, h: 3, issuedAt: NOW },
        ],
      }),
    );
    const rows = [...host.querySelectorAll('[data-testid="m-river-ahead"]')];
    expect(rows.map((r) => r.getAttribute('data-gauge'))).toEqual(['1', '0']);
    expect(rows[1]!.textContent).toContain('Trà Khúc');
    expect(rows[1]!.textContent).toContain('BĐ II');
    expect(rows[1]!.textContent).toContain('lúc 14:20 (còn 3 giờ)');
    expect(rows[1]!.textContent).toContain('hiện tại 4,20 m (BĐ I)');
  });

  it("says when no river is forecast to rise a level, and shows tomorrow's air bands with when and how good", () => {
    show(
      env({
        riversAhead: [],
        airTomorrow: {
          day: TOMORROW,
          issuedAt: Date.UTC(2026, 11, 5, 4),
          bands: [0, 1, 1, 0, 0, 0],
          worst: [
            { i: 3, aqi: 118, band: 3, bandLow: 2, bandHigh: 3 },
            { i: 2, aqi: 72, band: 2 },
          ],
          skill: { n: 96, maeAqi: 8.6, bandHit: 0.81 },
        },
      }),
    );
    expect(host.querySelector('[data-testid="m-rivers-ahead"]')!.textContent).toContain('Không sông nào được dự báo');
    const card = host.querySelector('[data-testid="m-air-tomorrow"]')!;
    expect(card.querySelector('h3')!.textContent).toBe('Không khí ngày mai · Chủ Nhật 06/12');
    expect([...card.querySelectorAll('[data-testid="m-air-tomorrow-bands"] li')].map((li) => li.textContent)).toEqual(['Trung bình 1', 'Kém 1']);
    expect(card.querySelector('.m-list li')!.textContent).toBe('KémTrạm KK Nghĩa LộAQI ngày ~118 · có thể Trung bình–Kém');
    expect(card.querySelector('[data-testid="m-air-tomorrow-note"]')!.textContent).toBe('Dự báo lúc 11:00 · 7 ngày qua: sai số ±9 AQI · đúng mức 81 %');
  });
});
