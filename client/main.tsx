import { StrictMode, Suspense, lazy, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { can, type SessionEndReason } from '../shared/auth';
import type { ViewName } from '../shared/events';
import { fetchProvince, fetchSegments } from './net/api';
import { currentMe, goToLogin, loadMe } from './net/auth';
import { connectLive, createSocket, type LiveConnection } from './net/socket';
import { connectTimeTravel } from './net/timeTravelLink';
import { setAlarmSocket } from './net/alarmActions';
import { feedAlarmFrame } from './alarms/feed';
import { appAlarmStore } from './alarms/useAlarms';
import { WALL_ALARM_CALM_MS } from './alarms/alarmStore';
import { SessionEnded } from './auth/SessionEnded';
import { LiveStore } from './store/liveStore';
import { CalmView } from './store/calmView';
import { screenBeat } from './ui/beat';
import { CalmLiveContext, LiveStoreContext } from './store/useLive';
import { TimeTravelContext } from './store/useTimeTravel';
import { CENTER_TITLE } from './ui/labels';
import './styles/base.css';

export type PageName = ViewName | 'login' | 'admin' | 'audit';

export function viewForPath(pathname: string): ViewName {
  if (pathname === '/m' || pathname.startsWith('/m/')) return 'mobile';
  if (pathname === '/console' || pathname.startsWith('/console/')) return 'console';
  return 'wall';
}

export function pageForPath(pathname: string): PageName {
  if (pathname === '/login') return 'login';
  if (pathname === '/admin') return 'admin';
  if (pathname === '/audit') return 'audit';
  return viewForPath(pathname);
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
const LoginApp = lazy(() => import('./auth/LoginApp').then((m) => ({ default: m.LoginApp })));
const AdminApp = lazy(() => import('./admin/AdminApp').then((m) => ({ default: m.AdminApp })));
const AuditApp = lazy(() => import('./admin/AuditApp').then((m) => ({ default: m.AuditApp })));

const root = createRoot(document.getElementById('root')!);
const render = (node: ReactNode): void =>
  root.render(
    <StrictMode>
      <Suspense fallback={null}>{node}</Suspense>
    </StrictMode>,
  );

/** The session: who is asking, retried while the server cannot answer (a wall outlives restarts). */
async function signedIn(): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    try {
      if (await loadMe()) return true;
      goToLogin();
      return false;
    } catch (e) {
      console.warn('cannot reach the server for the session, retrying', e);
      await new Promise((r) => setTimeout(r, Math.min(10_000, 1_000 * 2 ** attempt)));
    }
  }
}

function startLive(view: ViewName): void {
  const store = new LiveStore({ view });
  // The wall's alarm panel re-renders at most once a second in a storm; a critical alarm still shows at once.
  if (view === 'wall') appAlarmStore.setCalm(WALL_ALARM_CALM_MS);
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
    // A refused handshake: ask who we are; nobody → the login page (a server restart keeps sessions). A wall
    // display that lost its session was revoked: it goes blank, not to a login form nobody can type into.
    onUnauthorized: () => {
      const wasDisplay = currentMe()?.role === 'display';
      loadMe().then(
        (me) => {
          if (me) return;
          if (wasDisplay) end('revoked');
          else goToLogin('expired');
        },
        () => undefined,
      );
    },
  });
  // The server ends a session's sockets at logout, a role change, a disabled account or a revoked display.
  function end(reason: SessionEndReason): void {
    live.close();
    setAlarmSocket(null);
    if (reason === 'revoked') render(<SessionEnded reason={reason} />);
    else goToLogin(reason);
  }
  socket.on('session:ended', ({ reason }: { reason: SessionEndReason }) => end(reason));
  // The wall's time machine: a past instant of the last 24 h in place of the live frames.
  const timeTravel = view === 'wall' ? connectTimeTravel({ store, alarms: appAlarmStore, live }) : null;
  // The wall's figures and counts change at most once a second; the phone and the console read the store as is.
  const calm = view === 'wall' ? new CalmView(store, screenBeat) : null;
  // The wall's beat falls on its first live frame of each second (client/ui/beat.ts).
  if (view === 'wall') store.subscribe(() => screenBeat.nudge());
  render(
    <LiveStoreContext.Provider value={store}>
      <CalmLiveContext.Provider value={calm}>
        <TimeTravelContext.Provider value={timeTravel}>
          {view === 'mobile' ? <MobileApp /> : view === 'console' ? <ConsoleApp /> : <WallApp />}
        </TimeTravelContext.Provider>
      </CalmLiveContext.Provider>
    </LiveStoreContext.Provider>,
  );
}

async function boot(): Promise<void> {
  const page = pageForPath(window.location.pathname);
  document.documentElement.dataset.view = page;
  if (page === 'login') {
    render(<LoginApp />);
    return;
  }
  if (!(await signedIn())) return;
  if (page === 'admin') return render(<AdminApp />);
  if (page === 'audit') return render(<AuditApp />);
  const me = currentMe()!;
  // An auditor reads the audit log only: the live views would refuse every request.
  if (!can(me.role, 'read')) {
    window.location.replace('/audit');
    return;
  }
  startLive(page);
}

void boot();
