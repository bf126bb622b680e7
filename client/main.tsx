import { StrictMode, Suspense, lazy } from 'react';
import { createRoot } from 'react-dom/client';
import type { ViewName } from '../shared/events';
import { fetchProvince, fetchSegments } from './net/api';
import { connectLive, createSocket, type LiveConnection } from './net/socket';
import { connectTimeTravel } from './net/timeTravelLink';
import { setAlarmSocket } from './net/alarmActions';
import { feedAlarmFrame } from './alarms/feed';
import { appAlarmStore } from './alarms/useAlarms';
import { LiveStore } from './store/liveStore';
import { LiveStoreContext } from './store/useLive';
import { TimeTravelContext } from './store/useTimeTravel';
import { CENTER_TITLE } from './ui/labels';
import './styles/base.css';

export function viewForPath(pathname: string): ViewName {
  if (pathname === '/m' || pathname.startsWith('/m/')) return 'mobile';
  if (pathname === '/console' || pathname.startsWith('/console/')) return 'console';
  return 'wall';
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

/** Road geometry for the wall's traffic layer: static, fetched once, retried until it comes. */
async function loadSegments(store: LiveStore): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      store.setSegments(await fetchSegments());
      return;
    } catch (e) {
      console.warn('road segments unavailable, retrying', e);
      await new Promise((r) => setTimeout(r, Math.min(30_000, 2_000 * 2 ** attempt)));
    }
  }
}

// Each view is its own chunk: the phone does not download the wall's chart library.
const WallApp = lazy(() => import('./wall/WallApp').then((m) => ({ default: m.WallApp })));
const MobileApp = lazy(() => import('./mobile/MobileApp').then((m) => ({ default: m.MobileApp })));
const ConsoleApp = lazy(() => import('./console/ConsoleApp').then((m) => ({ default: m.ConsoleApp })));

const view = viewForPath(window.location.pathname);
document.documentElement.dataset.view = view;
const store = new LiveStore({ view });
void loadProvince(store);
if (view === 'wall') void loadSegments(store);
// One socket for the live frames and the alarm actions; the alarm store reads its part of every frame.
const socket = createSocket();
setAlarmSocket(socket);
const live: LiveConnection = connectLive({
  view,
  store,
  socket,
  onFrame: (frame) => {
    if (feedAlarmFrame(appAlarmStore, frame) === 'resync') live.resubscribe();
  },
});

// The wall's time machine: a past instant of the last 24 h in place of the live frames.
const timeTravel = view === 'wall' ? connectTimeTravel({ store, alarms: appAlarmStore, live }) : null;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LiveStoreContext.Provider value={store}>
      <TimeTravelContext.Provider value={timeTravel}>
        <Suspense fallback={null}>
          {view === 'mobile' ? <MobileApp /> : view === 'console' ? <ConsoleApp /> : <WallApp />}
        </Suspense>
      </TimeTravelContext.Provider>
    </LiveStoreContext.Provider>
  </StrictMode>,
);
