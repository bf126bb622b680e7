/** The wall's data-quality panel in happy-dom: the broker's refusals by reason, in Vietnamese, beside the ingest's rejects. */
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BROKER_REFUSALS, type BrokerRefusal } from '../../shared/mqtt';
import { makeIngest, makeWallSnapshot, manualScheduler } from '../test-support/fixtures';
import { LiveStore } from '../store/liveStore';
import { LiveStoreContext } from '../store/useLive';
import { QualityPanel } from './QualityPanel';

let root: Root;
let host: HTMLDivElement;
let store: LiveStore;
let frames: ReturnType<typeof manualScheduler>;
let seq = 10;

const show = (refused?: Partial<Record<BrokerRefusal, number>>) =>
  act(() => {
    const full = refused && (Object.fromEntries(BROKER_REFUSALS.map((r) => [r, refused[r] ?? 0])) as Record<BrokerRefusal, number>);
    store.applySnapshot(makeWallSnapshot({ seq: seq++, ingest: makeIngest({ accepted: 100, refused: full }) }));
    frames.flush();
  });

beforeEach(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  frames = manualScheduler();
  store = new LiveStore({ view: 'wall', schedule: frames.schedule });
  store.setRegistry('r1', []);
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  act(() => {
    root.render(
      <LiveStoreContext.Provider value={store}>
        <QualityPanel />
      </LiveStoreContext.Provider>,
    );
  });
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

describe('data-quality panel: broker refusals', () => {
  it('lists every refusal reason with its count, flags the non-zero ones, and totals them', () => {
    show({ badSecret: 3, foreignTopic: 1 });
    const items = [...host.querySelectorAll<HTMLLIElement>('[data-testid="refusals"] li')];
    expect(items.map((li) => li.dataset.refusal)).toEqual([...BROKER_REFUSALS]);
    const bad = host.querySelector<HTMLLIElement>('[data-refusal="badSecret"]')!;
    expect(bad.textContent).toBe('Sai khóa bí mật3');
    expect(bad.className).toBe('warn');
    expect(host.querySelector('[data-refusal="foreignTopic"]')!.textContent).toBe('Gửi vào chủ đề thiết bị khác1');
    expect(host.querySelector('[data-refusal="noCredentials"]')!.className).toBe('muted');
    expect(host.querySelector('.refusals-title')!.textContent).toBe('Broker từ chối: 4');
    show({ badSecret: 3, foreignTopic: 1, noCredentials: 2 });
    expect(host.querySelector('.refusals-title')!.textContent).toBe('Broker từ chối: 6');
  });

  it('shows no refusal list for a server that does not report them', () => {
    show(undefined);
    expect(host.querySelector('[data-testid="accepted-total"]')!.textContent).toBe('100');
    expect(host.querySelector('[data-testid="refusals"]')).toBeNull();
  });
});
