/**
 * The phone's communes at disaster risk level 3 or more (cấp độ rủi ro thiên tai, QĐ 18/2021/QĐ-TTg), near the
 * top with the alarms: at "rủi ro lớn" a leader decides on evacuations. Each commune with its level in the
 * official colour and its word, and what set it (the 24 h rain, or the river gauge); highest first as the server
 * sends them.
 * Nothing at all while no commune is that high. While the susceptibility zoning is the product's stand-in, a
 * small line says so.
 */
import { MOBILE_RISK_MIN_LEVEL, RISK_HAZARD_VI, riskHazards, type CommuneRisk } from '../../shared/communeRisk';
import { riskLevelInfo, type RiskLevel } from '../../shared/disasterRisk';
import { communeName, useCommunes, type CommuneIndex } from '../alarms/places';
import type { LiveStore } from '../store/liveStore';
import { useLive } from '../store/useLive';
import { formatMm, formatValue } from '../ui/envFormat';
import { formatInt } from '../ui/format';

/** Named on the card; the rest are counted ("và 3 xã khác"). */
export const RISK_LISTED = 5;

const selectRisk = (s: LiveStore) => s.mobile.risk;

/** "Xã An Phú", from the commune labels (the code until they are loaded). */
function displayName(code: string, index: CommuneIndex | null): string {
  const name = communeName(code, index) ?? code;
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * What set the level: "lũ quét, sạt lở đất · mưa 24 giờ 215 mm (trạm lân cận) · 2 ngày mưa trước đó", or
 * "lũ, ngập lụt · trạm Trà Khúc", or both.
 */
function causeText(c: CommuneRisk): string {
  return riskHazards(c)
    .map((h) => (h === 'flood' ? `${RISK_HAZARD_VI.flood}${c.floodStation ? ` · trạm ${c.floodStation}` : ''}` : `${RISK_HAZARD_VI.flashFlood} · ${rainText(c)}`))
    .join('; ');
}

/** "mưa 24 giờ 215 mm (trạm lân cận) · 2 ngày mưa trước đó" */
function rainText(c: CommuneRisk): string {
  if (c.rain24h === null) return 'chưa có số liệu mưa';
  const parts = [`mưa 24 giờ ${formatMm(c.rain24h)}${c.rainFrom === 'nearby' ? ' (trạm lân cận)' : ''}`];
  if (c.antecedentRainDays !== null && c.antecedentRainDays > 0) parts.push(`${formatValue(c.antecedentRainDays)} ngày mưa trước đó`);
  return parts.join(' · ');
}

export function RiskCard() {
  const risk = useLive(selectRisk);
  const index = useCommunes();
  // The server lists level 3 and up only; the filter keeps the card's title true whatever it sends.
  const communes = (risk?.communes ?? []).filter((c): c is CommuneRisk & { level: RiskLevel } => c.level >= MOBILE_RISK_MIN_LEVEL);
  if (!risk || communes.length === 0) return null;
  const shown = communes.slice(0, RISK_LISTED);
  const rest = communes.length - shown.length;
  return (
    <section className="m-env-card m-alert m-risk" aria-labelledby="m-risk-title" data-testid="m-risk">
      <header>
        <h2 id="m-risk-title">Xã có cấp độ rủi ro thiên tai từ cấp {MOBILE_RISK_MIN_LEVEL}</h2>
        <span className="m-count-big bad" data-testid="m-risk-count">
          {formatInt(communes.length)}
        </span>
      </header>
      <ul className="m-list">
        {shown.map((c) => {
          const info = riskLevelInfo(c.level);
          return (
            <li key={c.code} data-code={c.code} data-level={c.level}>
              <span className="m-stage" style={{ background: info.hex, color: info.textHex }}>
                Cấp {c.level}
              </span>
              <span className="m-item-main">
                <span className="m-item-name">{displayName(c.code, index)}</span>
                <span className="m-item-sub">
                  {info.name} · {causeText(c)}
                </span>
              </span>
            </li>
          );
        })}
      </ul>
      {rest > 0 && <p className="m-more-line">và {formatInt(rest)} xã khác</p>}
      <p className="m-foot">
        Lũ quét, sạt lở đất do mưa (Điều 46); lũ, ngập lụt theo mực nước sông (Điều 45), QĐ 18/2021/QĐ-TTg.
        {risk.provisional && (
          <span className="m-block" data-testid="m-risk-provisional">
            Phân vùng nguy cơ tạm thời — chưa phải bản đồ chính thức của tỉnh.
          </span>
        )}
      </p>
    </section>
  );
}
