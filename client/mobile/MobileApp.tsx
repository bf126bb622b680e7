/**
 * The leader's phone (390×844 and up): what is wrong now and where. In a flood, one line on the high
 * rivers and the communes at disaster risk level 3 or more; then the alarms (forecast alarms first), the
 * forecasts (rivers by time to their next level, tomorrow's air), then the environment and traffic cards, the
 * device counts, a compact map of the monitoring stations, and what is offline. Designed for one thumb, not a
 * shrunken wall. A dam's flood release comes before everything.
 */
import { useState } from 'react';
import { DEVICE_TYPE_LABELS } from '../../shared/devices';
import { DEVICE_TYPES } from '../../shared/mqtt';
import { ProvinceMap } from '../map/ProvinceMap';
import { OFFLINE_RGB, TYPE_RGB, cssRgb } from '../map/colors';
import { shallowEqualArrays, useLive } from '../store/useLive';
import type { LiveStore } from '../store/liveStore';
import { UserMenu } from '../auth/UserMenu';
import { Clock } from '../ui/Clock';
import { ConnectionBadge } from '../ui/ConnectionBadge';
import { DependencyBadges } from '../ui/DependencyBadges';
import { formatInt, formatPercent, formatRate, formatSince } from '../ui/format';
import {
  selectConnection,
  selectOfflineByType,
  selectOnline,
  selectProvince,
  selectRate,
  selectRejectedTotal,
  selectTotal,
  selectCounts,
  shownTypes,
} from '../ui/selectors';
import { StatusOverlays } from '../ui/StatusOverlays';
import { MobileAlarms } from '../alarms/MobileAlarms';
import { EnvCards } from './EnvCards';
import { ForecastCards } from './ForecastCards';
import { ReleaseCard } from './ReleaseCard';
import { RiskCard } from './RiskCard';
import { RiverAlert } from './RiverAlert';
import { TrafficCards } from './TrafficCards';
import { Last24hCard } from './Last24hCard';
import './mobile.css';
import './mobile-env.css';
import { appNow } from '../store/clock';

const selectOfflineTotal = (s: LiveStore) => s.offlineTotal;
const selectOfflineList = (s: LiveStore) => s.offline;
const selectRegistry = (s: LiveStore) => s.registry;
const selectFrameAt = (s: LiveStore) => s.frameAt;

function Cards() {
  const online = useLive(selectOnline);
  const total = useLive(selectTotal);
  const rate = useLive(selectRate);
  const rejected = useLive(selectRejectedTotal);
  const offline = total - online;
  return (
    <section className="m-cards" aria-label="Số liệu chính" data-testid="m-cards">
      <div className="m-card m-card-wide">
        <div className="m-card-label">Thiết bị trực tuyến</div>
        <div className="m-card-value">
          <span data-testid="online-count">{formatInt(online)}</span>
          <span className="m-of">
            /<span data-testid="device-total">{formatInt(total)}</span>
          </span>
        </div>
        <div className="m-meter" aria-hidden="true">
          <span style={{ width: total > 0 ? `${((online / total) * 100).toFixed(1)}%` : '0%' }} />
        </div>
        <div className="m-card-note">{total > 0 ? `${formatPercent(online / total)} đang hoạt động` : 'Đang chờ dữ liệu…'}</div>
      </div>
      <div className={`m-card ${offline > 0 ? 'm-card-warn' : ''}`}>
        <div className="m-card-label">Mất kết nối</div>
        <div className="m-card-value" data-testid="offline-count">
          {formatInt(offline)}
        </div>
        <div className="m-card-note">thiết bị</div>
      </div>
      <div className="m-card">
        <div className="m-card-label">Tin nhận</div>
        <div className="m-card-value" data-testid="rate">
          {formatRate(rate)}
        </div>
        <div className="m-card-note">tin/giây</div>
      </div>
      <div className={`m-card m-card-wide m-card-row ${rejected > 0 ? 'm-card-warn' : ''}`}>
        <div className="m-card-label">Tin lỗi bị loại</div>
        <div className="m-card-value m-small">{formatInt(rejected)}</div>
      </div>
    </section>
  );
}

function OfflineByType() {
  const offline = useLive(selectOfflineByType, shallowEqualArrays);
  const shown = new Set(shownTypes(useLive(selectCounts)));
  return (
    <section className="m-section" aria-labelledby="m-bytype">
      <h2 id="m-bytype">Mất kết nối theo loại</h2>
      <ul className="m-types" data-testid="m-offline-by-type">
        {DEVICE_TYPES.map((t, k) =>
          !shown.has(t) ? null : (
          <li key={t}>
            <span className="dot" style={{ background: cssRgb(TYPE_RGB[t]) }} aria-hidden="true" />
            <span className="m-type-label">{DEVICE_TYPE_LABELS[t]}</span>
            <span className={`num ${offline[k]! > 0 ? 'warn' : 'muted'}`}>{formatInt(offline[k]!)}</span>
          </li>
          ),
        )}
      </ul>
    </section>
  );
}

function OfflineList() {
  const list = useLive(selectOfflineList);
  const total = useLive(selectOfflineTotal);
  const registry = useLive(selectRegistry);
  const now = useLive(selectFrameAt) ?? appNow();
  return (
    <section className="m-section" aria-labelledby="m-offline">
      <h2 id="m-offline">
        Trạm mất kết nối <span className="m-count">{formatInt(total)}</span>
      </h2>
      {list.length === 0 ? (
        <p className="m-empty">Tất cả các trạm quan trắc đang hoạt động.</p>
      ) : (
        <ul className="m-offline" data-testid="m-offline-list">
          {list.map((d) => {
            const dev = registry?.devices[d.i];
            return (
              <li key={d.i}>
                <span
                  className="dot"
                  style={{ background: dev ? cssRgb(TYPE_RGB[dev.type]) : cssRgb(OFFLINE_RGB) }}
                  aria-hidden="true"
                />
                <div className="m-off-main">
                  <div className="m-off-name">{dev?.name ?? `Thiết bị #${d.i}`}</div>
                  <div className="m-off-type">{dev ? DEVICE_TYPE_LABELS[dev.type] : ''}</div>
                </div>
                <div className="m-off-since">{d.since > 0 ? `từ ${formatSince(d.since, now)}` : ''}</div>
              </li>
            );
          })}
        </ul>
      )}
      {total > list.length && (
        <p className="m-more">và {formatInt(total - list.length)} trạm khác — xem trên màn hình trung tâm</p>
      )}
    </section>
  );
}

export function MobileApp() {
  const province = useLive(selectProvince);
  const connection = useLive(selectConnection);
  const counts = useLive(selectCounts);
  const [scale] = useState(1);
  return (
    <div className="mobile">
      <header className="m-header">
        <div className="m-title">
          <div className="m-kicker">IOC · Giám sát điều hành</div>
          <h1>{province ? `Tỉnh ${province.name}` : '…'}</h1>
        </div>
        <Clock showDate={false} />
      </header>
      <ReleaseCard />
      <RiverAlert />
      <RiskCard />
      <div className="m-alarm-slot">
        <MobileAlarms />
      </div>
      <div className="m-conn">
        <ConnectionBadge connection={connection} />
        <UserMenu className="m-user" />
      </div>
      <DependencyBadges className="m-deps" />
      <ForecastCards />
      <EnvCards />
      <TrafficCards />
      <Last24hCard />
      <section className="m-section" aria-labelledby="m-system-title">
        <h2 id="m-system-title">Hệ thống thiết bị</h2>
        <Cards />
      </section>
      <section className="m-section m-map-section" aria-labelledby="m-map-title">
        <h2 id="m-map-title">Bản đồ trạm quan trắc</h2>
        <div className="m-map-box">
          {province && <ProvinceMap province={province} variant="mobile" scale={scale} className="m-map" />}
        </div>
        <div className="m-legend">
          {shownTypes(counts).filter((t) => t !== 'iot').map((t) => (
            <span key={t}>
              <span className="dot" style={{ background: cssRgb(TYPE_RGB[t]) }} aria-hidden="true" />
              {DEVICE_TYPE_LABELS[t]}
            </span>
          ))}
          <span>
            <span className="dot dot-offline" style={{ background: cssRgb(OFFLINE_RGB) }} aria-hidden="true" />
            Mất kết nối
          </span>
        </div>
        {province && <p className="m-attribution" data-testid="attribution">{province.attribution}</p>}
      </section>
      <OfflineList />
      <OfflineByType />
      <StatusOverlays />
    </div>
  );
}
