/** The phone's traffic cards: open congestion incidents, and today's violations by type. */
import { VIOLATION_TYPES } from '../../shared/mqtt';
import { VIOLATION_LABEL_VI } from '../../shared/traffic';
import { useLive } from '../store/useLive';
import type { LiveStore } from '../store/liveStore';
import { formatDuration, formatKm, formatValue } from '../ui/envFormat';
import { formatInt, formatSince } from '../ui/format';
import { selectFrameAt } from '../ui/selectors';
import { appNow } from '../store/clock';

const selectTraffic = (s: LiveStore) => s.mobile.traffic;

/** Segment ids are the road and its start km in tenths (`ql1a-0123` = Km 12.3, shared/traffic.ts). */
export function kmOfSegment(id: string): string | null {
  const m = /-(\d+)$/.exec(id);
  return m ? (Number(m[1]) / 10).toLocaleString('vi-VN', { maximumFractionDigits: 1 }) : null;
}

export function TrafficCards() {
  const traffic = useLive(selectTraffic);
  const now = useLive(selectFrameAt) ?? appNow();
  if (!traffic) return null;
  const { incidents, violationsToday } = traffic;
  const open = incidents.filter((i) => i.state === 'open');
  const byType = VIOLATION_TYPES.map((t) => ({ t, n: violationsToday.byType[t] ?? 0 }))
    .filter((r) => r.n > 0)
    .sort((a, b) => b.n - a.n);
  const max = Math.max(1, ...byType.map((r) => r.n));
  return (
    <section className="m-section" aria-labelledby="m-traffic-title" data-testid="m-traffic">
      <h2 id="m-traffic-title">Giao thông</h2>
      <div className="m-env-grid">
        <article className={`m-env-card ${open.length > 0 ? 'm-alert' : ''}`} data-testid="m-incidents">
          <header>
            <h3>Ùn tắc đang diễn ra</h3>
            <span className={`m-count-big ${open.length > 0 ? 'bad' : 'ok'}`}>{formatInt(open.length)}</span>
          </header>
          {open.length === 0 ? (
            <p className="m-empty ok">Không có sự cố ùn tắc trên quốc lộ.</p>
          ) : (
            <ul className="m-list">
              {open.slice(0, 5).map((inc) => {
                const km = kmOfSegment(inc.segmentId);
                return (
                  <li key={inc.id}>
                    <span className="m-road">{inc.road}</span>
                    <span className="m-item-main">
                      <span className="m-item-name">
                        {km ? `Km ${km}` : inc.segmentId} · dài {formatKm(inc.lengthKm)}
                      </span>
                      <span className="m-item-sub">
                        Chậm nhất {inc.worstSpeedKmh === null ? '–' : `${formatValue(inc.worstSpeedKmh)} km/h`} · từ {formatSince(inc.startedAt, now)} (
                        {formatDuration(now - inc.startedAt)})
                      </span>
                    </span>
                  </li>
                );
              })}
            </ul>
          )}
        </article>
        <article className="m-env-card" data-testid="m-violations">
          <header>
            <h3>Vi phạm hôm nay</h3>
            <span className="m-count-big">{formatInt(violationsToday.total)}</span>
          </header>
          {byType.length === 0 ? (
            <p className="m-empty">Camera AI chưa ghi nhận vi phạm nào hôm nay.</p>
          ) : (
            <ul className="m-bars">
              {byType.map((r) => (
                <li key={r.t}>
                  <span className="m-bar-label">{VIOLATION_LABEL_VI[r.t]}</span>
                  <span className="m-bar" aria-hidden="true">
                    <span style={{ width: `${(r.n / max) * 100}%` }} />
                  </span>
                  <b className="num">{formatInt(r.n)}</b>
                </li>
              ))}
            </ul>
          )}
        </article>
      </div>
    </section>
  );
}
