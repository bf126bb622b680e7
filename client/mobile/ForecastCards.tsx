/**
 * The phone's forecasts (issue 17), right under the alarms: the rivers forecast to reach their next BĐ level,
 * soonest first, and tomorrow's air quality over the stations. From the server's small summaries.
 */
import type { MobileAirTomorrow } from '../../shared/airForecast';
import { tomorrowStart } from '../../shared/airForecast';
import type { MobileRiverAhead } from '../../shared/events';
import { AQI_BANDS } from '../../shared/vnAqi';
import { formatLeft } from '../alarms/labels';
import { useServerNow } from '../alarms/useNow';
import { FLOOD_STAGE, STAGE_SHORT, aqiBandInfo } from '../map/envStyles';
import type { LiveStore } from '../store/liveStore';
import { useLive } from '../store/useLive';
import { bandRangeText, formatForecastDay, skillText } from '../ui/airTomorrow';
import { formatLevel } from '../ui/envFormat';
import { formatHourMinute, formatInt } from '../ui/format';
import { selectRegistry } from '../ui/selectors';
import { RiverItemName } from './RiverAlert';

const selectRiversAhead = (s: LiveStore) => s.mobile.env?.riversAhead;
const selectAirTomorrow = (s: LiveStore) => s.mobile.env?.airTomorrow;
const AIR_NAMED = 3;

function RiversAhead({ rivers, now }: { rivers: readonly MobileRiverAhead[]; now: number }) {
  const registry = useLive(selectRegistry);
  const issuedAt = rivers.length > 0 ? Math.max(...rivers.map((r) => r.issuedAt)) : null;
  return (
    <article className={`m-env-card ${rivers.length > 0 ? 'm-alert' : ''}`} data-testid="m-rivers-ahead">
      <header>
        <h3>Sông dự báo lên mức báo động</h3>
        <span className={`m-count-big ${rivers.length > 0 ? 'bad' : 'ok'}`}>{formatInt(rivers.length)}</span>
      </header>
      {rivers.length === 0 ? (
        <p className="m-empty ok">Không sông nào được dự báo lên mức báo động tiếp theo trong 6 giờ tới.</p>
      ) : (
        <ol className="m-list">
          {rivers.map((r) => {
            const dev = registry?.devices[r.i];
            const sw = FLOOD_STAGE[r.next]!;
            const left = r.at - now;
            return (
              <li key={r.i} data-testid="m-river-ahead" data-gauge={r.i}>
                <span className="m-stage" style={{ background: sw.hex, color: sw.textHex }}>
                  {STAGE_SHORT[r.next]}
                </span>
                <span className="m-item-main">
                  <RiverItemName dev={dev} i={r.i} />
                  <span className="m-item-sub">
                    <b>
                      lúc {formatHourMinute(r.at)} ({left > 0 ? `còn ${formatLeft(left)}` : 'đã đến giờ dự báo'})
                    </b>{' '}
                    <span className="m-muted m-block">
                      hiện tại {formatLevel(r.level)}
                      {r.stage > 0 ? ` (${STAGE_SHORT[r.stage]})` : ''}
                    </span>
                  </span>
                </span>
              </li>
            );
          })}
        </ol>
      )}
      {issuedAt !== null && <p className="m-foot">Dự báo lúc {formatHourMinute(issuedAt)} · mô hình ARX (mực nước, thượng lưu, mưa)</p>}
    </article>
  );
}

function AirTomorrowCard({ air, now }: { air: MobileAirTomorrow | undefined; now: number }) {
  const registry = useLive(selectRegistry);
  if (!air) {
    return (
      <article className="m-env-card" data-testid="m-air-tomorrow">
        <header>
          <h3>Không khí ngày mai</h3>
        </header>
        <p className="m-empty">Chưa có dự báo: cần ít nhất 12 giờ số đo gần nhất của trạm.</p>
      </article>
    );
  }
  const total = air.bands.reduce((a, b) => a + b, 0);
  const isTomorrow = air.day === tomorrowStart(now);
  return (
    <article className="m-env-card" data-testid="m-air-tomorrow" data-day={air.day}>
      <header>
        <h3>
          {isTomorrow ? 'Không khí ngày mai' : 'Không khí'} · {formatForecastDay(air.day)}
        </h3>
      </header>
      <div className="m-stack" role="img" aria-label={`${formatInt(total)} trạm theo mức AQI dự báo`}>
        {AQI_BANDS.map((b, k) => (air.bands[k]! > 0 ? <span key={b.band} style={{ flexGrow: air.bands[k], background: b.hex }} /> : null))}
      </div>
      <ul className="m-band-list" data-testid="m-air-tomorrow-bands">
        {AQI_BANDS.map((b, k) =>
          air.bands[k]! > 0 ? (
            <li key={b.band} data-band={b.band}>
              <span className="dot" style={{ background: b.hex }} aria-hidden="true" />
              {b.name} <b>{formatInt(air.bands[k]!)}</b>
            </li>
          ) : null,
        )}
      </ul>
      <ol className="m-list">
        {air.worst.slice(0, AIR_NAMED).map((w) => {
          const band = aqiBandInfo(w.band);
          const range = bandRangeText(w);
          return (
            <li key={w.i}>
              <span className="m-band-chip" style={{ background: band.hex, color: band.textHex }}>
                {band.name}
              </span>
              <span className="m-item-main">
                <span className="m-item-name">{registry?.devices[w.i]?.name ?? `Trạm #${w.i}`}</span>
                <span className="m-item-sub">
                  AQI ngày ~{w.aqi}
                  {range && ` · có thể ${range}`}
                </span>
              </span>
            </li>
          );
        })}
      </ol>
      <p className="m-foot" data-testid="m-air-tomorrow-note">
        Dự báo lúc {formatHourMinute(air.issuedAt)} · 7 ngày qua: {skillText(air.skill)}
      </p>
    </article>
  );
}

export function ForecastCards() {
  const rivers = useLive(selectRiversAhead);
  const air = useLive(selectAirTomorrow);
  // The server's calendar (a test or a rehearsal runs its own clock): whether the forecast's day is tomorrow.
  const now = useServerNow(30_000);
  if (rivers === undefined && air === undefined) return null;
  return (
    <section className="m-section" aria-labelledby="m-forecast-title" data-testid="m-forecasts">
      <h2 id="m-forecast-title">Dự báo</h2>
      <div className="m-env-grid">
        {rivers !== undefined && <RiversAhead rivers={rivers} now={now} />}
        <AirTomorrowCard air={air} now={now} />
      </div>
    </section>
  );
}
