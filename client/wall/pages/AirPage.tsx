/** Air: the province's VN_AQI distribution over its stations and the worst stations now. */
import { AQI_BANDS } from '../../../shared/vnAqi';
import { aqiBandInfo } from '../../map/envStyles';
import { useLive } from '../../store/useLive';
import { selectAirSummary } from '../../ui/envSelectors';
import { paramLabel } from '../../ui/envFormat';
import { formatInt } from '../../ui/format';
import { selectRegistry } from '../../ui/selectors';
import { StationButton } from '../StationButton';

const WORST_ROWS = 10;

export function AirPage() {
  const sum = useLive(selectAirSummary);
  const registry = useLive(selectRegistry);
  const measured = sum.bands.reduce((a, b) => a + b, 0);
  const max = Math.max(1, ...sum.bands);
  return (
    <>
      <section className="panel" aria-labelledby="aqi-dist-title" data-testid="aqi-distribution">
        <h2 id="aqi-dist-title">Chất lượng không khí · VN_AQI giờ</h2>
        <p className="panel-sub">
          {sum.hasData ? `${formatInt(measured)}/${formatInt(sum.total)} trạm có chỉ số` : 'Đang chờ dữ liệu…'}
          {sum.noData > 0 && ` · ${formatInt(sum.noData)} chưa đủ dữ liệu`}
          {sum.offline > 0 && ` · ${formatInt(sum.offline)} mất kết nối`}
        </p>
        <ul className="band-bars">
          {AQI_BANDS.map((b, k) => (
            <li key={b.band} data-band={b.band}>
              <span className="band-chip" style={{ background: b.hex, color: b.textHex }}>
                {b.name}
              </span>
              <span className="band-range">
                {b.min}–{b.max}
              </span>
              <span className="band-bar" aria-hidden="true">
                <span style={{ width: `${(sum.bands[k]! / max) * 100}%`, background: b.hex }} />
              </span>
              <span className={`num band-count ${sum.bands[k]! === 0 ? 'muted' : ''}`}>{sum.hasData ? formatInt(sum.bands[k]!) : '—'}</span>
            </li>
          ))}
        </ul>
      </section>
      <section className="panel grow" aria-labelledby="aqi-worst-title" data-testid="aqi-worst">
        <h2 id="aqi-worst-title">Trạm có AQI cao nhất</h2>
        {sum.worst.length === 0 ? (
          <p className="empty">{sum.hasData ? 'Chưa trạm nào đủ dữ liệu để tính AQI.' : 'Đang chờ dữ liệu…'}</p>
        ) : (
          <ol className="rows fit">
            {sum.worst.slice(0, WORST_ROWS).map((r) => {
              const band = aqiBandInfo(r.band);
              const dev = registry?.devices[r.i];
              return (
                <li key={r.i}>
                  <StationButton i={r.i}>
                    <span className="aqi-badge" style={{ background: band.hex, color: band.textHex }}>
                      {r.aqi}
                    </span>
                    <span className="row-main">
                      <span className="row-name">{dev?.name ?? `Trạm #${r.i}`}</span>
                      <span className="row-sub">
                        {band.name}
                        {r.x.dominant && ` · chủ yếu ${paramLabel(r.x.dominant)}`}
                        {r.x.dailyAqi !== null && ` · AQI ngày ${r.x.dailyAqi}`}
                      </span>
                    </span>
                  </StationButton>
                </li>
              );
            })}
          </ol>
        )}
      </section>
    </>
  );
}
