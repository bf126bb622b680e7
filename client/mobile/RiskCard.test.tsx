/** The phone's communes at disaster risk level 3 or more in happy-dom: named, coloured officially, and only when any. */
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommuneRisk } from '../../shared/communeRisk';
import { riskLevelInfo } from '../../shared/disasterRisk';
import type * as Api from '../net/api';
import { LiveStore } from '../store/liveStore';
import { LiveStoreContext } from '../store/useLive';
import { makeCommuneRisk, makeMobileSnapshot, manualScheduler } from '../test-support/fixtures';

vi.mock('../net/api', async (original) => ({
  ...(await original<typeof Api>()),
  fetchCommuneLabels: () =>
    Promise.resolve([
      { code: '21028', name: 'Sơn Hà', unitType: 'xa', position: [108.5, 15.0] },
      { code: '21034', name: 'Ba Tơ', unitType: 'xa', position: [108.7, 14.8] },
      { code: '21040', name: 'Trương Quang Trọng', unitType: 'phuong', position: [108.8, 15.1] },
    ]),
}));

const { RiskCard, RISK_LISTED } = await import('./RiskCard');

let root: Root;
let host: HTMLDivElement;
let store: LiveStore;
let frames: ReturnType<typeof manualScheduler>;
let seq = 5;

const card = () => host.querySelector<HTMLElement>('[data-testid="m-risk"]');
const rows = () => [...host.querySelectorAll<HTMLLIElement>('[data-testid="m-risk"] li')];
const show = (communes: CommuneRisk[], provisional = true) =>
  act(() => {
    store.applySnapshot(makeMobileSnapshot({ seq: seq++, risk: { communes, provisional } }));
    frames.flush();
  });
/** Lets the commune labels' fetch resolve and React render the names. */
const settle = () => act(async () => new Promise((r) => setTimeout(r, 10)));

beforeEach(async () => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  frames = manualScheduler();
  store = new LiveStore({ view: 'mobile', schedule: frames.schedule });
  store.setRegistry('r1', []);
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  act(() => {
    root.render(
      <LiveStoreContext.Provider value={store}>
        <RiskCard />
      </LiveStoreContext.Provider>,
    );
  });
  await settle();
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

describe('phone risk card', () => {
  it('shows nothing before the first frame, without risk levels, or with no commune at level 3 or more', () => {
    expect(card()).toBeNull();
    show([]);
    expect(card()).toBeNull();
    // The server lists level 3 and up; a lower one slipping through does not make the card appear.
    show([makeCommuneRisk({ code: '21028', level: 2 })]);
    expect(card()).toBeNull();
    expect(host.textContent).toBe('');
  });

  it('lists the communes highest first with the level in its official colour, the level name and what set it', async () => {
    show([
      makeCommuneRisk({ code: '21034', level: 4, flashFlood: 3, flood: 4, floodClause: '4', floodStation: 'Trà Khúc', rain24h: 320, antecedentRainDays: 2 }),
      makeCommuneRisk({ code: '21028', level: 3, flashFlood: 3, rain24h: 215, antecedentRainDays: 0, rainFrom: 'nearby' }),
    ]);
    await settle();
    expect(card()?.querySelector('h2')?.textContent).toBe('Xã có cấp độ rủi ro thiên tai từ cấp 3');
    expect(host.querySelector('[data-testid="m-risk-count"]')?.textContent).toBe('2');
    const [first, second] = rows();
    expect(first!.getAttribute('data-code')).toBe('21034');
    expect(first!.textContent).toBe('Cấp 4Xã Ba TơRủi ro rất lớn · lũ, ngập lụt · trạm Trà Khúc');
    expect(second!.textContent).toBe('Cấp 3Xã Sơn HàRủi ro lớn · lũ quét, sạt lở đất · mưa 24 giờ 215 mm (trạm lân cận)');
    const badge = (li: HTMLLIElement) => li.querySelector<HTMLElement>('.m-stage')!.style;
    // happy-dom keeps the colours as written: the official hex and its text colour.
    expect([badge(first!).background, badge(first!).color]).toEqual([riskLevelInfo(4).hex, riskLevelInfo(4).textHex]);
    expect([badge(second!).background, badge(second!).color]).toEqual([riskLevelInfo(3).hex, riskLevelInfo(3).textHex]);
  });

  it('names both hazards when both set the level', () => {
    show([makeCommuneRisk({ code: '21028', level: 3, flashFlood: 3, flood: 3, floodClause: '3c', floodStation: 'Sơn Giang', rain24h: 260, antecedentRainDays: 3 })]);
    expect(rows()[0]!.textContent).toBe(
      'Cấp 3Xã Sơn HàRủi ro lớn · lũ quét, sạt lở đất · mưa 24 giờ 260 mm · 3 ngày mưa trước đó; lũ, ngập lụt · trạm Sơn Giang',
    );
  });

  it('says in small text when the zoning is provisional, and not when it is the province’s', () => {
    show([makeCommuneRisk({ code: '21040', level: 5, flood: 5, rain24h: 410 })]);
    expect(host.querySelector('[data-testid="m-risk-provisional"]')?.textContent).toBe(
      'Phân vùng nguy cơ tạm thời — chưa phải bản đồ chính thức của tỉnh.',
    );
    expect(rows()[0]!.textContent).toContain('Phường Trương Quang Trọng');
    expect(rows()[0]!.textContent).toContain('Rủi ro ở mức thảm họa');
    show([makeCommuneRisk({ code: '21040', level: 5, rain24h: 410 })], false);
    expect(card()).not.toBeNull();
    expect(host.querySelector('[data-testid="m-risk-provisional"]')).toBeNull();
  });

  it('names the first few and counts the rest, and shows the code for a commune the labels do not have', () => {
    const codes = ['21028', '21034', '21040', '21041', '21042', '21043', '21044'];
    show(codes.map((code) => makeCommuneRisk({ code, level: 3, rain24h: 250 })));
    expect(rows()).toHaveLength(RISK_LISTED);
    expect(host.querySelector('[data-testid="m-risk-count"]')?.textContent).toBe('7');
    expect(card()?.textContent).toContain('và 2 xã khác');
    expect(rows()[3]!.textContent).toContain('Mã xã 21041');
  });

  it('goes away when no commune is at level 3 or more any longer', () => {
    show([makeCommuneRisk({ code: '21028', level: 3, rain24h: 210 })]);
    expect(card()).not.toBeNull();
    show([]);
    expect(card()).toBeNull();
  });
});
