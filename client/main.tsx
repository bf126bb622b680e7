import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { ViewName } from '../shared/events';
import { fetchProvince } from './net/api';
import { connectLive } from './net/socket';
import { LiveStore } from './store/liveStore';
import { LiveStoreContext } from './store/useLive';
import { MobileApp } from './mobile/MobileApp';
import { WallApp } from './wall/WallApp';
import { CENTER_TITLE } from './ui/labels';
import './styles/base.css';

export function viewForPath(pathname: string): ViewName {
  return pathname === '/m' || pathname.startsWith('/m/') ? 'mobile' : 'wall';
}

async function loadProvince(store: LiveStore): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const info = await fetchProvince();
      store.setProvince(info);
      store.setLoadError(null);
      document.title = `${CENTER_TITLE} · ${info.name}`;
      return;
    } catch (e) {
      store.setLoadError(String(e));
      await new Promise((r) => setTimeout(r, Math.min(10_000, 1_000 * 2 ** attempt)));
    }
  }
}

const view = viewForPath(window.location.pathname);
document.documentElement.dataset.view = view;
const store = new LiveStore({ view });
void loadProvince(store);
connectLive({ view, store });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LiveStoreContext.Provider value={store}>{view === 'mobile' ? <MobileApp /> : <WallApp />}</LiveStoreContext.Provider>
  </StrictMode>,
);
