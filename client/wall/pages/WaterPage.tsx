/** Wastewater: compliance with QCVN 40:2011 now, and the stations exceeding (parameter, value vs limit, since when). */
import { COMPLIANCE, NO_VALUE, OFFLINE } from '../../map/envStyles';
import { useLive } from '../../store/useLive';
import { selectWaterSummary, type ParamRow, type WaterRow } from '../../ui/envSelectors';
import { formatDuration, formatValue, paramLabel, paramUnit } from '../../ui/envFormat';
import { formatInt, formatSince } from '../../ui/format';
import { selectFrameAt, selectRegistry } from '../../ui/selectors';
import { StationButton } from '../StationButton';
import { appNow } from '../../store/clock';

function limitText(p: ParamRow): string {
  const unit = paramUnit(p.name);
  const limit = p.min !== undefined ? `${formatValue(p.min)}–${formatValue(p.max)}` : `≤ ${formatValue(p.max)}`;
  return `${formatValue(p.value)} / ${limit}${unit ? ` ${unit}` : ''}`;
}

function StationList({ rows, now, kind }: { rows: WaterRow[]; now: number; kind: 'exceeding' | 'near' }) {
  const registry = useLive(selectRegistry);
  return (
    <ul className="rows fit">
      {rows.map((r) => (
        <li key={r.i}>
          <StationButton i={r.i} className="tall">
            <span className="status-chip" style={{ background: COMPLIANCE[kind].hex, color: COMPLIANCE[kind].textHex }}>
              {kind === 'exceeding' ? 'Vượt' : 'Gần'}
            </span>
            <span className="row-main">
              <span className="row-name">{registry?.devices[r.i]?.name ?? `Trạm #${r.i}`}</span>
              {r.params.map((p) => (
                <span key={p.name} className="param-line">
                  <b>{paramLabel(p.name)}</b> {limitText(p)}
                  {p.exceedingSince !== null && (
                    <span className="muted">
                      {' '}
                      · từ {formatSince(p.exceedingSince, now)} ({formatDuration(now - p.exceedingSince)})
                    </span>
                  )}
                </span>
              ))}
            </span>
          </StationButton>
        </li>
      ))}
    </ul>
  );
}

export function WaterPage() {
  const sum = useLive(selectWaterSummary);
  const now = useLive(selectFrameAt) ?? appNow();
  const counts = [
    { sw: COMPLIANCE.within, n: sum.within, key: 'within' },
    { sw: COMPLIANCE.near, n: sum.near.length, key: 'near' },
    { sw: COMPLIANCE.exceeding, n: sum.exceeding.length, key: 'exceeding' },
    { sw: NO_VALUE, n: sum.noData, key: 'noData' },
    { sw: OFFLINE, n: sum.offline, key: 'offline' },
  ];
  return (
    <>
      <section className="panel" aria-labelledby="ww-title" data-testid="water-summary">
        <h2 id="ww-title">Nước thải · QCVN 40:2011/BTNMT</h2>
        <p className="panel-sub">{formatInt(sum.total)} trạm quan trắc tự động, liên tục</p>
        <ul className="count-tiles">
          {counts.map((c) => (
            <li key={c.key} className={c.n === 0 && (c.key === 'noData' || c.key === 'offline') ? 'dim' : ''}>
              <span className="tile-value">{sum.hasData ? formatInt(c.n) : '—'}</span>
              <span className="tile-label">
                <span className="dot" style={{ background: c.sw.hex }} aria-hidden="true" />
                {c.sw.labelVi}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <section className="panel grow" aria-labelledby="ww-exc-title" data-testid="water-exceeding">
        <h2 id="ww-exc-title">Đang vượt quy chuẩn</h2>
        {sum.exceeding.length === 0 ? (
          <p className="empty ok">{sum.hasData ? 'Không có trạm nào vượt quy chuẩn.' : 'Đang chờ dữ liệu…'}</p>
        ) : (
          <StationList rows={sum.exceeding} now={now} kind="exceeding" />
        )}
      </section>
      {sum.near.length > 0 && (
        <section className="panel grow" aria-labelledby="ww-near-title" data-testid="water-near">
          <h2 id="ww-near-title">Gần ngưỡng (≥ 80 % giới hạn)</h2>
          <StationList rows={sum.near} now={now} kind="near" />
        </section>
      )}
    </>
  );
}
