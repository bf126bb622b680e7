import { useEffect, useState } from 'react';
import { AlarmPanel } from '../alarms/AlarmPanel';
import { onMapFocus } from '../alarms/focus';
import { ProvinceMap } from '../map/ProvinceMap';
import { modeForKey } from '../map/modes';
import { useCalmLive, useLive } from '../store/useLive';
import { UserMenu } from '../auth/UserMenu';
import type { TimeTravel } from '../store/timeTravel';
import { useTimeTravel, useTimeTravelStore } from '../store/useTimeTravel';
import { Clock } from '../ui/Clock';
import { ConnectionBadge } from '../ui/ConnectionBadge';
import { DependencyBadges } from '../ui/DependencyBadges';
import { formatInt, formatRate, formatTime } from '../ui/format';
import { CENTER_TITLE } from '../ui/labels';
import { selectConnection, selectHasData, selectOnline, selectProvince, selectRate, selectTotal } from '../ui/selectors';
import { StatusOverlays } from '../ui/StatusOverlays';
import { useWallScale } from '../ui/uiScale';
import { MapOverlays } from './MapOverlays';
import { PageTabs } from './PageTabs';
import { AirPage } from './pages/AirPage';
import { FirePage } from './pages/FirePage';
import { HydroPage } from './pages/HydroPage';
import { SystemPage } from './pages/SystemPage';
import { TrafficPage } from './pages/TrafficPage';
import { ViolationsPage } from './pages/ViolationsPage';
import { WaterPage } from './pages/WaterPage';
import { readWallSettings } from './settings';
import { StationCard } from './StationCard';
import { handleTimeKey } from './timeKeys';
import { TimeMachineStrip } from './TimeMachine';
import { useWallUi, useWallUiStore, WallUiContext } from './useWallUi';
import { WallUi, type PageId } from './wallUi';
import './wall.css';
import './pages.css';
import './pages-domains.css';
import './map-overlays.css';
import './time-machine.css';

function HeaderKpis() {
  // Once a second at most: at 100,000 devices these move on every tick (client/store/calmView.ts).
  const online = useCalmLive(selectOnline);
  const total = useCalmLive(selectTotal);
  const rate = useCalmLive(selectRate);
  // Before the first snapshot a zero would be a lie: show a dash. The past has no stored message rate.
  const hasData = useLive(selectHasData);
  const past = useLive(selectIsHistoric);
  const show = (text: string) => (hasData ? text : '—');
  return (
    <>
      <div className="kpi">
        <div className="kpi-label">Thiết bị trực tuyến</div>
        <div className="kpi-value">
          <span data-testid="online-count">{show(formatInt(online))}</span>
          <span className="kpi-of">
            /<span data-testid="device-total">{show(formatInt(total))}</span>
          </span>
        </div>
      </div>
      <div className="kpi">
        <div className="kpi-label">Tin nhận mỗi giây</div>
        <div className="kpi-value">
          <span data-testid="rate">{past ? '—' : show(formatRate(rate))}</span>
          <span className="kpi-unit"> tin/giây</span>
        </div>
      </div>
    </>
  );
}

function StaleBanner() {
  const c = useLive(selectConnection);
  if (c.status !== 'offline') return null;
  return (
    <div className="stale-banner" role="alert">
      MẤT KẾT NỐI — dữ liệu trên màn hình là dữ liệu cũ{c.staleSince !== null && <> từ {formatTime(c.staleSince)}</>}
    </div>
  );
}

function Page({ page, scale }: { page: PageId; scale: number }) {
  switch (page) {
    case 'air':
      return <AirPage />;
    case 'water':
      return <WaterPage />;
    case 'hydro':
      return <HydroPage scale={scale} />;
    case 'fire':
      return <FirePage />;
    case 'traffic':
      return <TrafficPage scale={scale} />;
    case 'violations':
      return <ViolationsPage scale={scale} />;
    case 'system':
      return <SystemPage scale={scale} />;
  }
}

const selectIsHistoric = (s: { historicAt: number | null }) => s.historicAt !== null;

function useKioskKeys(ui: WallUi, tt: TimeTravel): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.altKey || e.metaKey) return;
      const target = e.target as HTMLElement | null;
      // The time slider takes its keys from here, not from the browser's own range input handling.
      const slider = target instanceof HTMLInputElement && target.type === 'range';
      if (target && !slider && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable)) return;
      if (handleTimeKey(tt, e, ui.selected !== null)) {
        e.preventDefault();
        ui.touch();
        return;
      }
      const mode = modeForKey(e);
      if (mode) ui.setMode(mode);
      else if (e.key === 'ArrowRight' || e.key === 'PageDown') ui.step(1);
      else if (e.key === 'ArrowLeft' || e.key === 'PageUp') ui.step(-1);
      else if (e.key === 'p' || e.key === 'P') ui.togglePin();
      else if (e.key === 'Escape') ui.escape();
      else ui.touch();
    };
    const onPointer = () => ui.touch();
    window.addEventListener('keydown', onKey);
    window.addEventListener('pointerdown', onPointer);
    const stop = ui.start();
    // A new critical alarm flies the map to its place (the alarm UI emits; the map listens).
    const off = onMapFocus((f) => ui.setFocus({ lon: f.lon, lat: f.lat, label: f.label }));
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('pointerdown', onPointer);
      stop();
      off();
    };
  }, [ui, tt]);
}

function WallLayout() {
  const province = useLive(selectProvince);
  const connection = useLive(selectConnection);
  const page = useWallUi((u) => u.page);
  const ui = useWallUiStore();
  // Changes only when the screen size class does; the map and the charts are built with it.
  const scale = useWallScale();
  const past = !useTimeTravel((t) => t.live);
  // In the past the pages stay put (the operator is reading one) and the badge says live frames are paused.
  useEffect(() => ui.setHeld(past), [ui, past]);
  return (
    <div className={`wall ${connection.status === 'offline' ? 'is-stale' : ''}${past ? ' is-past' : ''}`}>
      <header className="wall-header">
        <div className="wall-title">
          <div className="kicker">{CENTER_TITLE}</div>
          <h1>{province ? `Tỉnh ${province.name}` : '…'}</h1>
        </div>
        <HeaderKpis />
        <ConnectionBadge connection={connection} paused={past} />
        <Clock />
        <UserMenu className="wall-user" />
        <DependencyBadges paused={past} className="wall-deps" />
      </header>
      <main className="wall-body">
        <TimeMachineStrip />
        <section className="map-panel" aria-label="Bản đồ">
          {province && <ProvinceMap province={province} variant="wall" scale={scale} className="map-canvas" view={ui} onPick={(i) => ui.select(i)} />}
          <MapOverlays />
          <StaleBanner />
          {province && (
            <div className="map-attribution" data-testid="attribution" data-map-obstacle="">
              {province.attribution}
            </div>
          )}
          <StationCard scale={scale} />
        </section>
        <aside className="side">
          <div className="alarm-slot">
            <AlarmPanel />
          </div>
          <PageTabs />
          <div className="page" data-testid="page" data-page={page} key={page}>
            <Page page={page} scale={scale} />
          </div>
        </aside>
      </main>
      <StatusOverlays />
    </div>
  );
}

export function WallApp() {
  const [ui] = useState(() => new WallUi(readWallSettings(window.location.search, safeStorage())));
  const tt = useTimeTravelStore();
  useKioskKeys(ui, tt);
  return (
    <WallUiContext.Provider value={ui}>
      <WallLayout />
    </WallUiContext.Provider>
  );
}

function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
