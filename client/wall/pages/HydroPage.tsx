/**
 * Rivers and rain: hydrographs of the gauges at or above BĐ I, then the gauges with official alarm
 * levels (up to four charts), the other gauges in one line each, the province's hydropower reservoirs (a
 * release first), and the wettest rain gauges in 24 h.
 */
import { FLOOD_STAGE, RAIN_CATEGORY_CLASS, RAIN_CLASSES, STAGE_SHORT, reservoirSwatch } from '../../map/envStyles';
import { useLive } from '../../store/useLive';
import { selectGaugeFloodRisk, selectGauges, selectRainTop, selectReservoirs, type GaugeRow, type ReservoirRow } from '../../ui/envSelectors';
import { formatDuration, formatLevel, formatMm, formatRise, formatValue } from '../../ui/envFormat';
import { selectRegistry } from '../../ui/selectors';
import type { ReactNode } from 'react';
import type { Device } from '../../../shared/devices';
import type { HydroForecast } from '../../../shared/forecast';
import { riskLevelInfo, type FloodRiskResult } from '../../../shared/disasterRisk';
import { formatHourMinute } from '../../ui/format';
import { Hydrograph } from '../charts/Hydrograph';
import { StationButton } from '../StationButton';

const CHARTS = 4;
const RAIN_ROWS = 4;

function StageChip({ stage }: { stage: number }) {
  const sw = FLOOD_STAGE[stage]!;
  return (
    <span className="status-chip" style={{ background: sw.hex, color: sw.textHex }}>
      {stage === 0 ? 'Dưới BĐ I' : STAGE_SHORT[stage]}
    </span>
  );
}

/** The gauge's own flood risk level (Điều 45) in its official colour, first on its sub line; nothing below cấp 1. */
function FloodRiskChip({ r }: { r: FloodRiskResult | undefined }) {
  if (!r || r.level === 0) return null;
  const info = riskLevelInfo(r.level);
  return (
    <span
      className="risk-chip"
      style={{ background: info.hex, color: info.textHex }}
      data-testid="gauge-flood-risk"
      data-level={r.level}
      title={`QĐ 18/2021/QĐ-TTg, Điều 45, ${clauseText(r.clause!)}`}
    >
      Rủi ro lũ cấp {r.level}
    </span>
  );
}

/** "khoản 2 điểm c", "khoản 4". */
function clauseText(clause: string): string {
  return clause.length > 1 ? `khoản ${clause[0]} điểm ${clause.slice(1)}` : `khoản ${clause}`;
}

function gaugeName(dev: Device | undefined, i: number): string {
  return String(dev?.props?.station ?? dev?.name ?? `#${i}`);
}

/**
 * Name, level and stage on the first line; then one line, most urgent first (rise, time to the next
 * level), the river last, where the card's width may cut it. A second line of subtitle would squeeze
 * the chart below it, so the note on illustrative levels is the card's footer instead.
 */
/** The first lead (past its learning) at which the forecast reaches the next BĐ level; null when none does. */
export function forecastCrossing(f: HydroForecast | undefined, bd: readonly [number, number, number], stage: number): { stage: number; at: number; h: number } | null {
  if (!f || stage >= 3) return null;
  const level = bd[stage]!;
  const lead = f.leads.find((l) => !l.warmingUp && l.level >= level);
  return lead ? { stage: stage + 1, at: lead.at, h: lead.h } : null;
}

function GaugeHead({ g }: { g: GaugeRow }) {
  const registry = useLive(selectRegistry);
  const forecast = useLive((s) => s.env.forecasts.get(g.i));
  const floodRisk = useLive(selectGaugeFloodRisk).get(g.i);
  const dev = registry?.devices[g.i];
  const station = gaugeName(dev, g.i);
  const river = dev?.props?.river;
  const x = g.x;
  const parts: ReactNode[] = [];
  if (!g.online) parts.push('mất kết nối');
  else if (x?.level == null) parts.push('chưa có số đo');
  else if (x.rateCmH !== null) parts.push(formatRise(x.rateCmH));
  if (x && x.nextLevelInMs !== null && x.stage < 3 && x.nextLevelInMs < 24 * 3_600_000) {
    parts.push(
      <span key="eta" className="eta">
        {STAGE_SHORT[x.stage + 1]} sau {formatDuration(x.nextLevelInMs)}
      </span>,
    );
  }
  const ahead = x ? forecastCrossing(forecast, x.bd, x.stage) : null;
  if (ahead) {
    parts.push(
      <span key="forecast" className="eta forecast-eta" data-testid="forecast-eta">
        dự báo {STAGE_SHORT[ahead.stage]} lúc {formatHourMinute(ahead.at)} (còn {ahead.h} giờ)
      </span>,
    );
  }
  if (river !== undefined) parts.push(`sông ${String(river)}`);
  return (
    <StationButton i={g.i} className="gauge-head">
      <span className="row-name">
        {station}
        {g.online && x?.level != null && <b className="gauge-level"> {formatLevel(x.level)}</b>}
      </span>
      {g.online && x && <StageChip stage={x.stage} />}
      <span className="row-sub">
        <FloodRiskChip r={floodRisk} />
        {parts.map((p, k) => [k > 0 && ' · ', p])}
      </span>
    </StationButton>
  );
}

/** One reservoir: level against the procedure's limit now, the flows, the gates, and a release before all. */
function ReservoirItem({ r, name }: { r: ReservoirRow; name: string }) {
  const x = r.x;
  // A release stays on the row when the plant's link drops: the last word it sent is what the communes act on.
  const sw = x && (x.release || r.online) ? reservoirSwatch(x) : null;
  const parts: string[] = [];
  if (!r.online) parts.push(x?.release ? 'mất kết nối, trạng thái cuối cùng nhận được' : 'mất kết nối');
  else if (!x || x.level === null) parts.push('chưa có số đo');
  else {
    parts.push(`${x.inFloodSeason ? 'trước lũ' : 'MNDBT'} ${formatValue(x.limitNow)} m`);
    if (x.inflow !== null) parts.push(`đến ${formatValue(x.inflow)} m³/s`);
    if (x.outflow !== null) parts.push(`xả ${formatValue(x.outflow)} m³/s`);
    parts.push(`${x.gatesOpen ?? 0}/${x.gates} cửa xả mở`);
  }
  const notice = x?.notice;
  return (
    <li data-release={x?.release ?? 'none'}>
      <StationButton i={r.i}>
        <span className="row-main">
          <span className="row-name">
            {name}
            {r.online && x?.level != null && <b className="gauge-level"> {formatLevel(x.level)}</b>}
          </span>
          <span className="row-sub">
            {notice?.phase === 'announced'
              ? `Mở ${notice.gates ?? '?'} cửa lúc ${formatHourMinute(notice.startsAt)} · ${x!.downstream.length} xã hạ du · `
              : ''}
            {parts.join(' · ')}
          </span>
        </span>
        {sw && (
          <span className="status-chip" style={{ background: sw.hex, color: sw.textHex }}>
            {sw.labelVi}
          </span>
        )}
      </StationButton>
    </li>
  );
}

export function HydroPage({ scale }: { scale: number }) {
  const reservoirs = useLive(selectReservoirs);
  const gauges = useLive(selectGauges);
  const rain = useLive(selectRainTop);
  const registry = useLive(selectRegistry);
  const charted = gauges.filter((g) => g.online && ((g.x?.stage ?? 0) > 0 || g.official)).slice(0, CHARTS);
  const chartedSet = new Set(charted.map((g) => g.i));
  const above = gauges.filter((g) => g.online && (g.x?.stage ?? 0) > 0 && !chartedSet.has(g.i));
  return (
    <>
      <section className="panel grow" aria-labelledby="rivers-title" data-testid="rivers">
        <h2 id="rivers-title">Mực nước sông · 24 giờ qua</h2>
        <div className="hydro-grid">
          {charted.map((g) => (
            <div key={g.i} className="gauge" data-official={g.official ? '1' : '0'}>
              <GaugeHead g={g} />
              <Hydrograph i={g.i} bd={g.x?.bd ?? [0, 0, 0]} scale={scale} />
              {!g.official && <div className="gauge-foot">Mức BĐ minh họa, chưa có mức chính thức</div>}
            </div>
          ))}
        </div>
        {above.length > 0 && (
          <p className="also" data-testid="rivers-also">
            Cũng trên BĐ I:{' '}
            {above.map((g, k) => (
              <span key={g.i}>
                {k > 0 && ', '}
                <b>{gaugeName(registry?.devices[g.i], g.i)}</b> {g.x?.level != null && formatLevel(g.x.level)} ({STAGE_SHORT[g.x?.stage ?? 0]})
              </span>
            ))}
          </p>
        )}
      </section>
      {reservoirs.length > 0 && (
        <section className="panel" aria-labelledby="reservoirs-title" data-testid="reservoirs">
          <h2 id="reservoirs-title">Hồ chứa thủy điện</h2>
          <ol className="rows compact">
            {reservoirs.map((r) => (
              <ReservoirItem key={r.i} r={r} name={registry?.devices[r.i]?.name ?? `#${r.i}`} />
            ))}
          </ol>
          {reservoirs.some((r) => String(registry?.devices[r.i]?.props?.levelsSource ?? '').startsWith('⚠')) && (
            <div className="gauge-foot" data-testid="reservoirs-unverified">
              ⚠ Mực nước quy trình vận hành chưa kiểm chứng (nguồn: cấu hình tỉnh)
            </div>
          )}
        </section>
      )}
      <section className="panel" aria-labelledby="rain-title" data-testid="rain-top">
        <h2 id="rain-title">Mưa lớn nhất 24 giờ qua</h2>
        {rain.length === 0 ? (
          <p className="empty ok">Không có trạm nào ghi nhận mưa trong 24 giờ qua.</p>
        ) : (
          <ol className="rows compact">
            {rain.slice(0, RAIN_ROWS).map((r) => {
              const cls = r.x.category24h ? RAIN_CLASSES[RAIN_CATEGORY_CLASS[r.x.category24h]]! : null;
              return (
                <li key={r.i}>
                  <StationButton i={r.i}>
                    <span className="num rain-mm">{formatMm(r.x.h24)}</span>
                    <span className="row-main">
                      <span className="row-name">{registry?.devices[r.i]?.name ?? `#${r.i}`}</span>
                    </span>
                    {cls && (
                      <span className="status-chip" style={{ background: cls.hex, color: cls.textHex }}>
                        {cls.labelVi}
                      </span>
                    )}
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
