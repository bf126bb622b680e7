/**
 * Air: the province's VN_AQI distribution over its stations now and forecast for tomorrow, tomorrow's band per
 * station (worst first, with when it was made and its recent skill), and the worst stations now.
 */
import { tomorrowStart } from '../../../shared/airForecast';
import { AQI_BANDS } from '../../../shared/vnAqi';
import { aqiBandInfo } from '../../map/envStyles';
import { appNow } from '../../store/clock';
import { useLive } from '../../store/useLive';
import { bandRangeText, formatForecastDay, selectAirTomorrow, skillText } from '../../ui/airTomorrow';
import { selectAirSummary } from '../../ui/envSelectors';
import { paramLabel } from '../../ui/envFormat';
import { formatHourMinute, formatInt } from '../../ui/format';
import { selectFrameAt, selectRegistry } from '../../ui/selectors';
import { StationButton } from '../StationButton';

const WORST_ROWS = 10;

function Distribution() {
  const sum = useLive(selectAirSummary);
  const tomorrow = useLive(selectAirTomorrow);
  const measured = sum.bands.reduce((a, b) => a + b, 0);
  const forecast = tomorrow.rows.length;
  return (
    <section className="panel" aria-labelledby="aqi-dist-title" data-testid="aqi-distribution">
      <h2 id="aqi-dist-title">Chất lượng không khí · VN_AQI giờ</h2>
      <p className="panel-sub">
        {sum.hasData ? `${formatInt(measured)}/${formatInt(sum.total)} trạm có chỉ số` : 'Đang chờ dữ liệu…'}
        {sum.noData > 0 && ` · ${formatInt(sum.noData)} chưa đủ dữ liệu`}
        {sum.offline > 0 && ` · ${formatInt(sum.offline)} mất kết nối`}
      </p>
      <table className="band-table">
        <thead>
          <tr>
            <th scope="col" />
            {AQI_BANDS.map((b) => (
              <th key={b.band} scope="col" data-band={b.band}>
                <span className="band-chip" style={{ background: b.hex, color: b.textHex }}>
                  {b.name}
                </span>
                <span className="band-range">
                  {b.min}–{b.max}
                </span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Giờ này</th>
            {AQI_BANDS.map((b, k) => (
              <td key={b.band} className={`num band-count ${sum.bands[k]! === 0 ? 'muted' : ''}`}>
                {sum.hasData ? formatInt(sum.bands[k]!) : '—'}
              </td>
            ))}
          </tr>
          <tr>
            <th scope="row">Ngày mai</th>
            {AQI_BANDS.map((b, k) => (
              <td key={b.band} className={`num band-tomorrow ${tomorrow.bands[k]! === 0 ? 'muted' : ''}`} data-testid="tomorrow-count">
                {forecast > 0 ? formatInt(tomorrow.bands[k]!) : '—'}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </section>
  );
}

function Tomorrow() {
  const view = useLive(selectAirTomorrow);
  const registry = useLive(selectRegistry);
  const now = useLive(selectFrameAt) ?? appNow();
  const isTomorrow = view.day !== null && view.day === tomorrowStart(now);
  return (
    <section className="panel grow tomorrow-panel" aria-labelledby="aqi-tomorrow-title" data-testid="aqi-tomorrow">
      <h2 id="aqi-tomorrow-title">
        {view.day === null ? 'Dự báo ngày mai' : `${isTomorrow ? 'Dự báo ngày mai' : 'Dự báo cho'} · ${formatForecastDay(view.day)}`}
        {view.day !== null && <span className="h2-aside">mức · AQI (khoảng 80 %) · sai số, đúng mức</span>}
      </h2>
      {view.issuedAt === null ? (
        <p className="empty">Chưa có dự báo: cần ít nhất 12 giờ số đo gần nhất của trạm.</p>
      ) : (
        <>
          <p className="panel-sub" data-testid="aqi-tomorrow-note">
            Lúc {formatHourMinute(view.issuedAt)} · AQI ngày từ TB 24 giờ PM2.5, PM10 · 7 ngày qua: {skillText(view.skill)}
          </p>
          <ol className="rows compact fit tomorrow-rows">
            {view.rows.map((a) => {
              const band = aqiBandInfo(a.band);
              const range = bandRangeText(a);
              const dev = registry?.devices[a.i];
              return (
                <li key={a.i} data-testid="aqi-tomorrow-row" data-band={a.band}>
                  <StationButton i={a.i}>
                    <span className="band-chip tomorrow-chip" style={{ background: band.hex, color: band.textHex }}>
                      {band.name}
                    </span>
                    <span className="row-name tomorrow-name">{dev?.name ?? `Trạm #${a.i}`}</span>
                    <span className="tomorrow-aqi" title={range ? `có thể ${range}` : undefined}>
                      ~{a.aqi}
                      {a.aqiLow !== undefined && a.aqiHigh !== undefined && a.aqiLow !== a.aqiHigh && (
                        <span className="muted">
                          {' '}
                          ({a.aqiLow}–{a.aqiHigh})
                        </span>
                      )}
                    </span>
                    <span className="row-skill">
                      {a.skill.maeAqi === null || a.skill.bandHit === null
                        ? 'chưa đánh giá'
                        : `±${formatInt(Math.round(a.skill.maeAqi))} · ${formatInt(Math.round(a.skill.bandHit * 100))} %`}
                      {a.issuedAt !== view.issuedAt && ` · lúc ${formatHourMinute(a.issuedAt)}`}
                    </span>
                  </StationButton>
                </li>
              );
            })}
          </ol>
        </>
      )}
    </section>
  );
}

function WorstNow() {
  const sum = useLive(selectAirSummary);
  const registry = useLive(selectRegistry);
  const tomorrow = useLive(selectAirTomorrow);
  const byStation = new Map(tomorrow.rows.map((a) => [a.i, a]));
  return (
    <section className="panel grow" aria-labelledby="aqi-worst-title" data-testid="aqi-worst">
      <h2 id="aqi-worst-title">Trạm có AQI cao nhất giờ này</h2>
      {sum.worst.length === 0 ? (
        <p className="empty">{sum.hasData ? 'Chưa trạm nào đủ dữ liệu để tính AQI.' : 'Đang chờ dữ liệu…'}</p>
      ) : (
        <ol className="rows compact fit">
          {sum.worst.slice(0, WORST_ROWS).map((r) => {
            const band = aqiBandInfo(r.band);
            const dev = registry?.devices[r.i];
            const t = byStation.get(r.i);
            const tb = t ? aqiBandInfo(t.band) : null;
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
                  {t && tb && (
                    <span className="tomorrow-tag" style={{ borderColor: tb.hex }}>
                      mai <b style={{ background: tb.hex, color: tb.textHex }}>{tb.name}</b>
                    </span>
                  )}
                </StationButton>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

export function AirPage() {
  return (
    <>
      <Distribution />
      <Tomorrow />
      <WorstNow />
    </>
  );
}
