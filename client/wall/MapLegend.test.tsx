/** The risk map's legend in happy-dom: the official levels with words, the hazard, the communes per level, the trust. */
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RISK_LEVELS } from '../../shared/disasterRisk';
import type { HistoricWallSnapshot } from '../../shared/events';
import { LiveStore } from '../store/liveStore';
import { LiveStoreContext } from '../store/useLive';
import { makeCommuneRisk, makeRiskSnapshot, makeWallSnapshot, manualScheduler } from '../test-support/fixtures';
import { MapLegend } from './MapLegend';

let root: Root;
let host: HTMLDivElement;
let store: LiveStore;
let frames: ReturnType<typeof manualScheduler>;
let seq = 10;

const SOURCE = 'Tạm thời (IOC): chưa có bản đồ phân vùng nguy cơ sạt lở, lũ quét chính thức của tỉnh';
const labels = () => [...host.querySelectorAll('.legend-label')].map((e) => e.textContent);
const details = () => [...host.querySelectorAll('.legend-detail')].map((e) => e.textContent);
const keys = () => [...host.querySelectorAll<HTMLElement>('.legend-key')].map((e) => e.style.background);
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
        <MapLegend mode="communeRisk" />
      </LiveStoreContext.Provider>,
    );
  });
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

const gauges = (n: number) => Array.from({ length: n }, (_, i) => ({ i, zone: 2 as const, basin: 'A', historic: null }));

describe('risk map legend', () => {
  it('lists the five official levels with colour and name, then "below level 1", and the hazard computed', () => {
    expect(host.querySelector('h3')?.textContent).toBe('Cấp độ rủi ro thiên tai (QĐ 18/2021/QĐ-TTg)');
    expect(labels()).toEqual([
      'Cấp 1 · Rủi ro thấp',
      'Cấp 2 · Rủi ro trung bình',
      'Cấp 3 · Rủi ro lớn',
      'Cấp 4 · Rủi ro rất lớn',
      'Cấp 5 · Rủi ro ở mức thảm họa',
      'Chưa đến cấp 1',
    ]);
    expect(keys().slice(0, 5)).toEqual(RISK_LEVELS.map((l) => l.hex));
    expect(byId('risk-hazard')?.textContent).toBe('Loại thiên tai: Lũ quét, sạt lở đất do mưa (Điều 46)');
    expect(byId('risk-unavailable')?.textContent).toBe('Chưa nhận được cấp độ rủi ro từ máy chủ');
  });

  it('counts the communes per level, names the zone, and says clearly that a provisional zoning is not the official map', () => {
    apply(
      makeWallSnapshot({
        seq: seq++,
        risk: makeRiskSnapshot({
          communes: [
            makeCommuneRisk({ code: '21025', level: 0 }),
            makeCommuneRisk({ code: '21028', level: 0, rain24h: null, antecedentRainDays: null, rainFrom: null }),
            makeCommuneRisk({ code: '21034', level: 3, flashFlood: 3, rain24h: 240 }),
            makeCommuneRisk({ code: '21040', level: 3, flashFlood: 3, flood: 3, floodClause: '3c', floodStation: 'Trà Khúc', rain24h: 260 }),
            makeCommuneRisk({ code: '21041', level: 5, flashFlood: 2, flood: 5, floodClause: '5', floodStation: 'Trà Khúc', rain24h: 420 }),
          ],
          provisional: true,
          susceptibilitySource: SOURCE,
          flood: { verified: false, source: 'Khu vực trạm tạm lấy theo khu vực của tỉnh.', gauges: gauges(13) },
        }),
      }),
    );
    expect(details()).toEqual(['0 xã', '0 xã', '2 xã', '0 xã', '1 xã', '2 xã']);
    // 21040 is at cấp 3 by both hazards: it counts for each.
    expect(byId('risk-hazard')?.textContent).toBe('Loại thiên tai: Lũ quét, sạt lở đất do mưa (Điều 46) · khu vực 1 · 2 xã');
    expect(byId('risk-flood')?.textContent).toBe('Lũ, ngập lụt theo mực nước 13 trạm thủy văn (Điều 45) · 2 xã');
    expect(byId('risk-flood-provisional')?.textContent).toBe('⚠ Khu vực trạm và xã được cảnh báo lũ tạm thời. Khu vực trạm tạm lấy theo khu vực của tỉnh.');
    expect(byId('risk-unavailable')).toBeNull();
    expect(host.textContent).toContain('1 xã không có trạm đo mưa ở gần: chưa tính được cấp độ');
    expect(byId('risk-provisional')?.textContent).toBe(
      `⚠ Phân vùng nguy cơ tạm thời — chưa phải bản đồ chính thức của tỉnh. Nguồn phân vùng: ${SOURCE}`,
    );
  });

  it('names the official zoning without the warning once the province has one', () => {
    apply(
      makeWallSnapshot({
        seq: seq++,
        risk: makeRiskSnapshot({
          provisional: false,
          susceptibilitySource: 'Bản đồ phân vùng nguy cơ của tỉnh (2025)',
          flood: { verified: true, source: 'Phụ lục XIII', gauges: gauges(13) },
        }),
      }),
    );
    expect(byId('risk-provisional')).toBeNull();
    expect(byId('risk-flood-provisional')).toBeNull();
    expect(host.textContent).toContain('Phân vùng nguy cơ sạt lở, lũ quét: Bản đồ phân vùng nguy cơ của tỉnh (2025)');
  });

  it('says the past instant of the time machine has no levels', () => {
    apply(makeWallSnapshot({ seq: seq++, risk: makeRiskSnapshot() }));
    const historic: HistoricWallSnapshot = { ...makeWallSnapshot({ seq: 0 }), historic: { at: 1_699_990_000_000 } };
    act(() => {
      store.applyHistoric(historic);
      frames.flush();
    });
    expect(byId('risk-unavailable')?.textContent).toBe('Thời điểm đã qua: máy chủ không có cấp độ rủi ro cho thời điểm này, bản đồ không tô màu');
    expect(details().every((d) => d === '')).toBe(true);
  });
});
