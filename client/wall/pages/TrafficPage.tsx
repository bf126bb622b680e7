/** Traffic: volume in the province over 24 h, the most congested segments now, open congestion incidents. */
import { LOS_BY_LEVEL, type LevelOfService } from '../../../shared/traffic';
import { useLive } from '../../store/useLive';
import type { LiveStore } from '../../store/liveStore';
import { selectCongested, selectLosCounts, selectOpenIncidents } from '../../ui/envSelectors';
import { formatDuration, formatKm, formatPerHour, formatValue, viDecimals } from '../../ui/envFormat';
import { formatInt, formatSince } from '../../ui/format';
import { selectFrameAt } from '../../ui/selectors';
import { VolumeChart } from '../charts/VolumeChart';
import { appNow } from '../../store/clock';

const SEGMENT_ROWS = 8;
/** Open incidents come before the segments: they are the news. */
const INCIDENT_ROWS = 3;

const selectVolumeNow = (s: LiveStore) => s.traffic.volume[s.traffic.volume.length - 1]?.[1] ?? null;
const selectSegmentName = (s: LiveStore) => s.traffic.geometry;

export function LosChip({ los }: { los: LevelOfService }) {
  const b = LOS_BY_LEVEL[los];
  return (
    <span className="los-chip" style={{ background: b.hex, color: b.textHex }} title={b.labelVi}>
      {los}
    </span>
  );
}

export function TrafficPage({ scale }: { scale: number }) {
  const volume = useLive(selectVolumeNow);
  const los = useLive(selectLosCounts);
  const rows = useLive(selectCongested);
  const incidents = useLive(selectOpenIncidents);
  const geometry = useLive(selectSegmentName);
  const now = useLive(selectFrameAt) ?? appNow();
  const jammed = los.counts[4]! + los.counts[5]!;
  const names = new Map((geometry ?? []).map((g) => [g.id, g.name]));
  return (
    <>
      <section className="panel chart-panel fixed" aria-labelledby="vol-title">
        <h2 id="vol-title">Lưu lượng xe trên quốc lộ · 24 giờ</h2>
        <div className="kpi-row">
          <div>
            <span className="kpi-big">{volume === null ? '—' : formatPerHour(volume)}</span>
            <span className="kpi-cap">toàn tỉnh, hiện tại</span>
          </div>
          <div>
            <span className={`kpi-big ${jammed > 0 ? 'bad' : ''}`}>{formatInt(jammed)}</span>
            <span className="kpi-cap">đoạn ùn ứ, ùn tắc (E–F)</span>
          </div>
          <div>
            <span className="kpi-big muted">{formatInt(los.counts[6]!)}</span>
            <span className="kpi-cap">đoạn không có dữ liệu</span>
          </div>
        </div>
        <VolumeChart scale={scale} />
      </section>
      <section className="panel" aria-labelledby="inc-title" data-testid="incidents">
        <h2 id="inc-title">
          Sự cố ùn tắc đang diễn ra <span className={`count-pill ${incidents.length > 0 ? 'bad' : ''}`}>{formatInt(incidents.length)}</span>
        </h2>
        {incidents.length === 0 ? (
          <p className="empty ok">Không có sự cố ùn tắc nào.</p>
        ) : (
          <ul className="rows compact">
            {incidents.slice(0, INCIDENT_ROWS).map((inc) => (
              <li key={inc.id} className="plain-row incident">
                <span className="inc-road">{inc.road}</span>
                <span className="row-main">
                  <span className="row-name">{viDecimals(names.get(inc.segmentId) ?? inc.segmentId)}</span>
                  <span className="row-sub">
                    Dài {formatKm(inc.lengthKm)} · chậm nhất {inc.worstSpeedKmh === null ? '–' : `${formatValue(inc.worstSpeedKmh)} km/h`} · từ{' '}
                    {formatSince(inc.startedAt, now)} ({formatDuration(now - inc.startedAt)})
                  </span>
                </span>
              </li>
            ))}
            {incidents.length > INCIDENT_ROWS && <li className="more">và {formatInt(incidents.length - INCIDENT_ROWS)} sự cố khác</li>}
          </ul>
        )}
      </section>
      <section className="panel grow" aria-labelledby="seg-title" data-testid="congested-segments">
        <h2 id="seg-title">Đoạn đường đông nhất hiện tại</h2>
        {rows.length === 0 ? (
          <p className="empty">Chưa có đoạn nào có camera gửi số liệu.</p>
        ) : (
          <ol className="rows compact fit">
            {rows.slice(0, SEGMENT_ROWS).map((r) => (
              <li key={r.seg.id} className="plain-row">
                <LosChip los={r.st.los as LevelOfService} />
                <span className="row-main">
                  <span className="row-name">{viDecimals(r.seg.name)}</span>
                  <span className="row-sub">
                    {LOS_BY_LEVEL[r.st.los as LevelOfService].labelVi} · {r.st.speedKmh ?? '–'}/{r.seg.freeFlowKmh} km/h
                    {r.st.totalPerHour !== null && ` · ${formatPerHour(r.st.totalPerHour)}`}
                  </span>
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
