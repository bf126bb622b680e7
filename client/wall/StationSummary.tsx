/** The live state at the top of a station card, per kind of station. */
import { POLLUTANTS } from '../../shared/vnAqi';
import type { StationDerived } from '../../shared/environment';
import {
  COMPLIANCE,
  COMPLIANCE_SHORT,
  FLOOD_STAGE,
  NO_VALUE,
  RAIN_CATEGORY_CLASS,
  RAIN_CLASSES,
  STAGE_SHORT,
  aqiBandInfo,
  reservoirSwatch,
} from '../map/envStyles';
import { formatHourMinute } from '../ui/format';
import { formatDuration, formatLevel, formatMm, formatRise, formatValue, paramLabel, paramUnit } from '../ui/envFormat';
import { appNow } from '../store/clock';

export function DerivedSummary({ x, online }: { x: StationDerived | undefined; online: boolean }) {
  if (!x) return <p className="empty">{online ? 'Chưa đủ dữ liệu để tính chỉ số.' : 'Trạm mất kết nối, chưa có số liệu.'}</p>;
  switch (x.kind) {
    case 'air': {
      const band = x.band ? aqiBandInfo(x.band) : null;
      return (
        <div className="card-summary">
          <div className="big-badge" style={{ background: band?.hex ?? NO_VALUE.hex, color: band?.textHex ?? NO_VALUE.textHex }}>
            <span className="big-num">{x.aqi ?? '—'}</span>
            <span>{band?.name ?? NO_VALUE.labelVi}</span>
          </div>
          <dl className="facts">
            <dt>VN_AQI giờ</dt>
            <dd>{x.aqi ?? '—'}</dd>
            <dt>VN_AQI ngày</dt>
            <dd>{x.dailyAqi ?? 'chưa đủ 24 giờ'}</dd>
            <dt>Chất quyết định</dt>
            <dd>{x.dominant ? paramLabel(x.dominant) : '—'}</dd>
            <dt>Chỉ số thành phần</dt>
            <dd>{POLLUTANTS.filter((p) => x.subIndices[p] !== null).map((p) => `${paramLabel(p)} ${x.subIndices[p]}`).join(' · ')}</dd>
          </dl>
        </div>
      );
    }
    case 'water':
      return (
        <table className="param-table">
          <thead>
            <tr>
              <th>Thông số</th>
              <th>Hiện tại</th>
              <th>Giới hạn</th>
              <th>Trạng thái</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(x.params).map(([name, p]) =>
              p ? (
                <tr key={name}>
                  <th scope="row">{paramLabel(name)}</th>
                  <td className="num">
                    {formatValue(p.value)} <span className="muted">{paramUnit(name)}</span>
                  </td>
                  <td className="num">{p.min !== undefined ? `${formatValue(p.min)}–${formatValue(p.max)}` : formatValue(p.max)}</td>
                  <td>
                    <span className="status-chip" style={{ background: COMPLIANCE[p.status].hex, color: COMPLIANCE[p.status].textHex }}>
                      {COMPLIANCE_SHORT[p.status]}
                    </span>
                    {p.exceedingSince !== null && <span className="muted"> {formatDuration(appNow() - p.exceedingSince)}</span>}
                  </td>
                </tr>
              ) : null,
            )}
          </tbody>
          <caption>
            {x.regulation.replace('QCVN40:', 'QCVN 40:')} cột {x.column} · Cmax = C·Kq·Kf (trừ nhiệt độ, độ màu, pH)
          </caption>
        </table>
      );
    case 'hydro': {
      const sw = FLOOD_STAGE[x.stage]!;
      return (
        <div className="card-summary">
          <div className="big-badge" style={{ background: sw.hex, color: sw.textHex }}>
            <span className="big-num">{x.level === null ? '—' : formatLevel(x.level)}</span>
            <span>{sw.labelVi}</span>
          </div>
          <dl className="facts">
            <dt>Mức báo động</dt>
            <dd>{x.bd.map((y, k) => `${STAGE_SHORT[k + 1]} ${formatValue(y)} m`).join(' · ')}</dd>
            <dt>Tốc độ lên/xuống</dt>
            <dd>{x.rateCmH === null ? 'chưa đủ 30 phút số liệu' : `${formatRise(x.rateCmH)} (1 giờ qua)`}</dd>
            <dt>Tới mức tiếp theo</dt>
            <dd>{x.nextLevelInMs === null ? '—' : `${STAGE_SHORT[x.stage + 1]} sau khoảng ${formatDuration(x.nextLevelInMs)}`}</dd>
          </dl>
        </div>
      );
    }
    case 'rain': {
      const cls = x.category24h ? RAIN_CLASSES[RAIN_CATEGORY_CLASS[x.category24h]]! : RAIN_CLASSES[0]!;
      return (
        <div className="card-summary">
          <div className="big-badge" style={{ background: cls.hex, color: cls.textHex }}>
            <span className="big-num">{formatMm(x.h24)}</span>
            <span>{cls.labelVi} · 24 giờ</span>
          </div>
          <dl className="facts">
            <dt>1 giờ qua</dt>
            <dd>{formatMm(x.h1)}</dd>
            <dt>3 giờ qua</dt>
            <dd>{formatMm(x.h3)}</dd>
            <dt>24 giờ qua</dt>
            <dd>{formatMm(x.h24)}</dd>
          </dl>
        </div>
      );
    }
    case 'reservoir': {
      // A release outranks the level: it is what the communes below must hear.
      const sw = reservoirSwatch(x);
      const flow = (q: number | null) => (q === null ? '—' : `${formatValue(q)} m³/s`);
      return (
        <div className="card-summary">
          <div className="big-badge" style={{ background: sw.hex, color: sw.textHex }}>
            <span className="big-num">{x.level === null ? '—' : formatLevel(x.level)}</span>
            <span>{sw.labelVi}</span>
          </div>
          <dl className="facts">
            <dt>{x.inFloodSeason ? 'Mực nước cao nhất trước lũ' : 'Giới hạn hiện tại (MNDBT)'}</dt>
            <dd>{formatValue(x.limitNow)} m</dd>
            <dt>MNDBT · MNC</dt>
            <dd>
              {formatValue(x.normalLevel)} m · {formatValue(x.deadLevel)} m{x.belowDead ? ' (đang dưới mực nước chết)' : ''}
            </dd>
            <dt>Lưu lượng đến · xả</dt>
            <dd>
              {flow(x.inflow)} · {flow(x.outflow)}
            </dd>
            <dt>Cửa xả đang mở</dt>
            <dd>
              {x.gatesOpen ?? '—'} / {x.gates}
            </dd>
            {x.notice && (
              <>
                <dt>Thông báo xả lũ</dt>
                <dd>
                  {x.notice.phase === 'announced' ? `Mở ${x.notice.gates ?? '?'} cửa lúc ${formatHourMinute(x.notice.startsAt)}` : `Đã mở từ ${formatHourMinute(x.notice.startsAt)}`}
                  {x.notice.outflow !== null ? `, xả ${formatValue(x.notice.outflow)} m³/s` : ''} · {x.downstream.length} xã hạ du đã được cảnh báo
                </dd>
              </>
            )}
            <dt>Tốc độ lên/xuống</dt>
            <dd>{x.rateCmH === null ? 'chưa đủ 30 phút số liệu' : `${formatRise(x.rateCmH)} (1 giờ qua)`}</dd>
          </dl>
        </div>
      );
    }
  }
}
