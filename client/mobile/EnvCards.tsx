/**
 * The phone's environment cards: what a leader asks first. Air quality over the province (stations per
 * VN_AQI band, the worst ones), rivers at or above BĐ I and whether they rise, wastewater stations over
 * QCVN 40, and heavy rain. All from the server's small summary (worst first, capped).
 */
import { AQI_BANDS } from '../../shared/vnAqi';
import type { MobileEnvSummary } from '../../shared/events';
import { COMPLIANCE, FLOOD_STAGE, RAIN_CATEGORY_CLASS, RAIN_CLASSES, STAGE_SHORT, aqiBandInfo } from '../map/envStyles';
import { useLive } from '../store/useLive';
import type { LiveStore } from '../store/liveStore';
import { formatDuration, formatLevel, formatMm, paramLabel } from '../ui/envFormat';
import { formatInt, formatSince } from '../ui/format';
import { selectFrameAt, selectRegistry } from '../ui/selectors';
import { RIVERS_CARD_ID, RiverItemName, riverTrend } from './RiverAlert';
import type { RainCategory } from '../../shared/environment';
import { appNow } from '../store/clock';

const selectEnv = (s: LiveStore) => s.mobile.env;
const LIST = 4;

/** Says how many a list leaves out (the summary itself is capped by the server, worst first). */
function More({ shown, total }: { shown: number; total: number }) {
  return total > shown ? <p className="m-more-line">và {formatInt(total - shown)} trạm khác</p> : null;
}

function useName(): (i: number) => string {
  const registry = useLive(selectRegistry);
  return (i) => registry?.devices[i]?.name ?? `Trạm #${i}`;
}

function AirCard({ env }: { env: MobileEnvSummary }) {
  const name = useName();
  const total = env.aqiBands.reduce((a, b) => a + b, 0);
  const worst = env.worstAir[0];
  return (
    <article className="m-env-card" data-testid="m-aqi">
      <header>
        <h3>Không khí · VN_AQI</h3>
        {worst && (
          <span className="m-chip" style={{ background: aqiBandInfo(worst.band).hex, color: aqiBandInfo(worst.band).textHex }}>
            cao nhất {worst.aqi}
          </span>
        )}
      </header>
      {total === 0 ? (
        <p className="m-empty">Chưa trạm nào đủ dữ liệu để tính AQI.</p>
      ) : (
        <>
          <div className="m-stack" role="img" aria-label={`${formatInt(total)} trạm theo mức AQI`}>
            {AQI_BANDS.map((b, k) =>
              env.aqiBands[k]! > 0 ? <span key={b.band} style={{ flexGrow: env.aqiBands[k], background: b.hex }} /> : null,
            )}
          </div>
          <ul className="m-band-list">
            {AQI_BANDS.map((b, k) =>
              env.aqiBands[k]! > 0 ? (
                <li key={b.band}>
                  <span className="dot" style={{ background: b.hex }} aria-hidden="true" />
                  {b.name} <b>{formatInt(env.aqiBands[k]!)}</b>
                </li>
              ) : null,
            )}
          </ul>
          <ol className="m-list">
            {env.worstAir.slice(0, 3).map((w) => {
              const band = aqiBandInfo(w.band);
              return (
                <li key={w.i}>
                  <span className="m-aqi" style={{ background: band.hex, color: band.textHex }}>
                    {w.aqi}
                  </span>
                  <span className="m-item-main">
                    <span className="m-item-name">{name(w.i)}</span>
                    <span className="m-item-sub">{band.name}</span>
                  </span>
                </li>
              );
            })}
          </ol>
        </>
      )}
    </article>
  );
}

function RiversCard({ env }: { env: MobileEnvSummary }) {
  const registry = useLive(selectRegistry);
  const rivers = env.riversAboveBd1;
  return (
    <article id={RIVERS_CARD_ID} className={`m-env-card ${rivers.length > 0 ? 'm-alert' : ''}`} data-testid="m-rivers">
      <header>
        <h3>Sông trên mức báo động</h3>
        <span className={`m-count-big ${rivers.length > 0 ? 'bad' : 'ok'}`}>{formatInt(rivers.length)}</span>
      </header>
      {rivers.length === 0 ? (
        <p className="m-empty ok">Mực nước các sông đều dưới BĐ I.</p>
      ) : (
        <ul className="m-list">
          {rivers.slice(0, LIST + 2).map((r) => {
            const dev = registry?.devices[r.i];
            const sw = FLOOD_STAGE[r.stage]!;
            const t = riverTrend(r.rateCmH);
            const trend =
              r.rateCmH === null ? '' : t === 'rising' ? `↑ lên ${formatInt(r.rateCmH)} cm/h` : t === 'falling' ? `↓ xuống ${formatInt(-r.rateCmH)} cm/h` : '→ đứng yên';
            return (
              <li key={r.i}>
                <span className="m-stage" style={{ background: sw.hex, color: sw.textHex }}>
                  {STAGE_SHORT[r.stage]}
                </span>
                <span className="m-item-main">
                  <RiverItemName dev={dev} i={r.i} />
                  <span className="m-item-sub">
                    <b>{formatLevel(r.level)}</b>
                    {trend && <span className={t === 'rising' ? 'm-rising' : 'm-muted'}> {trend}</span>}
                  </span>
                </span>
              </li>
            );
          })}
        </ul>
      )}
      <More shown={Math.min(rivers.length, LIST + 2)} total={rivers.length} />
    </article>
  );
}

function WaterCard({ env, now }: { env: MobileEnvSummary; now: number }) {
  const name = useName();
  const list = env.wastewaterExceeding;
  return (
    <article className={`m-env-card ${list.length > 0 ? 'm-alert' : ''}`} data-testid="m-water">
      <header>
        <h3>Nước thải vượt QCVN 40</h3>
        <span className={`m-count-big ${list.length > 0 ? 'bad' : 'ok'}`}>{formatInt(list.length)}</span>
      </header>
      {list.length === 0 ? (
        <p className="m-empty ok">Không có trạm nào vượt quy chuẩn.</p>
      ) : (
        <ul className="m-list">
          {list.slice(0, LIST).map((w) => (
            <li key={w.i}>
              <span className="m-stage" style={{ background: COMPLIANCE.exceeding.hex, color: COMPLIANCE.exceeding.textHex }}>
                Vượt
              </span>
              <span className="m-item-main">
                <span className="m-item-name">{name(w.i)}</span>
                <span className="m-item-sub">
                  {w.params.map(paramLabel).join(', ')}
                  {w.since !== null && ` · từ ${formatSince(w.since, now)} (${formatDuration(now - w.since)})`}
                </span>
              </span>
            </li>
          ))}
        </ul>
      )}
      <More shown={Math.min(list.length, LIST)} total={list.length} />
    </article>
  );
}

function RainCard({ env }: { env: MobileEnvSummary }) {
  const name = useName();
  const list = env.heavyRain;
  return (
    <article className="m-env-card" data-testid="m-rain">
      <header>
        <h3>Mưa lớn 24 giờ</h3>
        <span className="m-count-big">{formatInt(list.length)}</span>
      </header>
      {list.length === 0 ? (
        <p className="m-empty ok">Không nơi nào mưa vừa trở lên trong 24 giờ qua.</p>
      ) : (
        <ul className="m-list">
          {list.slice(0, LIST).map((r) => {
            const cls = RAIN_CLASSES[RAIN_CATEGORY_CLASS[r.category as RainCategory] ?? 0]!;
            return (
              <li key={r.i}>
                <span className="m-mm">{formatMm(r.h24)}</span>
                <span className="m-item-main">
                  <span className="m-item-name">{name(r.i)}</span>
                </span>
                <span className="m-chip" style={{ background: cls.hex, color: cls.textHex }}>
                  {r.category}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      <More shown={Math.min(list.length, LIST)} total={list.length} />
    </article>
  );
}

export function EnvCards() {
  const env = useLive(selectEnv);
  const now = useLive(selectFrameAt) ?? appNow();
  return (
    <section className="m-section" aria-labelledby="m-env-title" data-testid="m-env">
      <h2 id="m-env-title">Môi trường</h2>
      {!env ? (
        <p className="m-empty">Đang chờ dữ liệu…</p>
      ) : (
        <div className="m-env-grid">
          <RiversCard env={env} />
          <AirCard env={env} />
          <WaterCard env={env} now={now} />
          <RainCard env={env} />
        </div>
      )}
    </section>
  );
}
