/** The phone's flood line in happy-dom: rivers at BĐ II and III in one line, worst first, and nothing when none. */
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MobileEnvSummary } from '../../shared/events';
import { makeDevice, makeMobileSnapshot, manualScheduler } from '../test-support/fixtures';
import { LiveStore } from '../store/liveStore';
import { LiveStoreContext } from '../store/useLive';
import { RiverAlert } from './RiverAlert';

type Rivers = MobileEnvSummary['riversAboveBd1'];

const makeEnv = (riversAboveBd1: Rivers): MobileEnvSummary => ({
  aqiBands: [0, 0, 0, 0, 0, 0],
  worstAir: [],
  riversAboveBd1,
  wastewaterExceeding: [],
  heavyRain: [],
});

const gauges = ['Trà Khúc', 'Sông Vệ', 'Châu Ổ', 'Trà Câu', 'Sơn Giang'].map((station, k) =>
  makeDevice({ id: `qng-hydro-000${k + 1}`, type: 'hydro', kind: 'river-gauge', name: `Trạm thủy văn ${station}`, props: { station, river: station } }),
);

let root: Root;
let host: HTMLDivElement;
let store: LiveStore;
let frames: ReturnType<typeof manualScheduler>;
let seq = 5;

const alert = () => host.querySelector<HTMLAnchorElement>('[data-testid="m-river-alert"]');
const show = (rivers: Rivers) =>
  act(() => {
    store.applySnapshot(makeMobileSnapshot({ seq: seq++, env: makeEnv(rivers) }));
    frames.flush();
  });

beforeEach(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  frames = manualScheduler();
  store = new LiveStore({ view: 'mobile', schedule: frames.schedule });
  store.setRegistry('r1', gauges);
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  act(() => {
    root.render(
      <LiveStoreContext.Provider value={store}>
        <RiverAlert />
      </LiveStoreContext.Provider>,
    );
  });
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

describe('phone flood line', () => {
  it('says nothing before the first summary, with no river up, or with rivers at BĐ I only', () => {
    expect(alert()).toBeNull();
    show([]);
    expect(alert()).toBeNull();
    show([{ i: 0, level: 4.1, stage: 1, rateCmH: 12 }]);
    expect(alert()).toBeNull();
    expect(host.textContent).toBe('');
  });

  it('names the rivers at BĐ II and III, worst first, with level and trend, and leads to the rivers card', () => {
    show([
      { i: 0, level: 7.86, stage: 3, rateCmH: 24 },
      { i: 1, level: 4.02, stage: 2, rateCmH: -3 },
      { i: 2, level: 2.9, stage: 1, rateCmH: 5 },
    ]);
    const a = alert();
    expect(a?.textContent).toBe('⚠ 2 sông trên BĐ II: Trà Khúc BĐ III 7,86 m ↑\u00a0· Sông Vệ BĐ II 4,02 m ↓›');
    expect(a?.getAttribute('href')).toBe('#m-rivers');
    // Coloured by the worst stage, and said in words for a screen reader.
    expect(a?.getAttribute('data-stage')).toBe('3');
    expect(a?.getAttribute('aria-label')).toBe('2 sông trên BĐ II: Trà Khúc BĐ III 7,86 m, đang lên; Sông Vệ BĐ II 4,02 m, đang xuống. Xem mực nước các sông.');
  });

  it('says "trên BĐ III" when every river named is at BĐ III, and counts what it does not name', () => {
    show([0, 1, 2, 3, 4].map((i) => ({ i, level: 9 - i, stage: 3 as const, rateCmH: 0 })));
    expect(alert()?.textContent).toBe('⚠ 5 sông trên BĐ III: Trà Khúc BĐ III 9,00 m\u00a0· Sông Vệ BĐ III 8,00 m\u00a0· Châu Ổ BĐ III 7,00 m\u00a0· và 2 sông khác›');
  });

  it('goes away when the rivers fall back below BĐ II', () => {
    show([{ i: 0, level: 5.2, stage: 2, rateCmH: null }]);
    expect(alert()?.textContent).toBe('⚠ 1 sông trên BĐ II: Trà Khúc BĐ II 5,20 m›');
    show([{ i: 0, level: 4.8, stage: 1, rateCmH: -6 }]);
    expect(alert()).toBeNull();
  });
});
