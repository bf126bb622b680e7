import { ProvinceMap } from '../map/ProvinceMap';
import { useLive } from '../store/useLive';
import { Clock } from '../ui/Clock';
import { ConnectionBadge } from '../ui/ConnectionBadge';
import { formatInt, formatRate, formatTime } from '../ui/format';
import { CENTER_TITLE } from '../ui/labels';
import { selectConnection, selectHasData, selectOnline, selectProvince, selectRate, selectTotal } from '../ui/selectors';
import { StatusOverlays } from '../ui/StatusOverlays';
import { useWallScale } from '../ui/uiScale';
import { QualityPanel } from './QualityPanel';
import { RateChart } from './RateChart';
import { TypeCountsPanel } from './TypeCountsPanel';
import './wall.css';

function HeaderKpis() {
  const online = useLive(selectOnline);
  const total = useLive(selectTotal);
  const rate = useLive(selectRate);
  // Before the first snapshot a zero would be a lie: show a dash.
  const hasData = useLive(selectHasData);
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
          <span data-testid="rate">{show(formatRate(rate))}</span>
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

export function WallApp() {
  const province = useLive(selectProvince);
  const connection = useLive(selectConnection);
  // Changes only when the screen size class does; the map and the chart are built with it.
  const scale = useWallScale();
  return (
    <div className={`wall ${connection.status === 'offline' ? 'is-stale' : ''}`}>
      <header className="wall-header">
        <div className="wall-title">
          <div className="kicker">{CENTER_TITLE}</div>
          <h1>{province ? `Tỉnh ${province.name}` : '…'}</h1>
        </div>
        <HeaderKpis />
        <ConnectionBadge connection={connection} />
        <Clock />
      </header>
      <main className="wall-body">
        <section className="map-panel" aria-label="Bản đồ thiết bị">
          {province && <ProvinceMap province={province} variant="wall" scale={scale} className="map-canvas" />}
          <StaleBanner />
          {province && (
            <div className="map-caption">
              Bản đồ thiết bị · {formatInt(province.communeCount)} đơn vị hành chính cấp xã
            </div>
          )}
          {province && (
            <div className="map-attribution" data-testid="attribution">
              {province.attribution}
            </div>
          )}
        </section>
        <aside className="side">
          <TypeCountsPanel />
          <section className="panel chart-panel" aria-labelledby="rate-title">
            <h2 id="rate-title">Lưu lượng tin nhận · 10 phút qua</h2>
            <RateChart scale={scale} />
          </section>
          <QualityPanel />
        </aside>
      </main>
      <StatusOverlays />
    </div>
  );
}
