/** The legend of the map's current mode: the official colours with their Vietnamese names, never colour alone. */
import { RISK_LEVELS } from '../../shared/disasterRisk';
import { DEVICE_TYPE_LABELS } from '../../shared/devices';
import { LOS_BANDS, NO_DATA_STYLE } from '../../shared/traffic';
import { AQI_BANDS } from '../../shared/vnAqi';
import { MAP_COLORS, OFFLINE_RGB, TYPE_RGB, cssRgb } from '../map/colors';
import { COMPLIANCE, FLOOD_STAGE, NO_VALUE, OFFLINE, RAIN1_HEAT_RANGE, RAIN_CLASSES, RELEASE_SWATCH, RESERVOIR_STAGE } from '../map/envStyles';
import { FIRE_LEVELS, fireBandText } from '../map/fireStyles';
import { IOT_GRID_ABOVE, IOT_GRID_KM, IOT_GRID_MAX_ZOOM, IOT_GRID_STEPS } from '../map/layers/deviceLayers';
import type { MapMode } from '../map/modes';
import { formatValue } from '../ui/envFormat';
import { selectFireSummary } from '../ui/fireSelectors';
import { formatInt } from '../ui/format';
import { selectCounts, shownTypes } from '../ui/selectors';
import { useCalmLive, useLive } from '../store/useLive';
import type { LiveStore } from '../store/liveStore';
import type { RiskState } from '../store/riskState';

interface Item {
  hex: string;
  label: string;
  detail?: string;
  shape?: 'dot' | 'line' | 'ring' | 'box';
  ink?: string;
  text?: string;
  /** The key's outline, when not its fill colour. */
  border?: string;
}

function Items({ items }: { items: Item[] }) {
  return (
    <ul className="legend-items">
      {items.map((it) => (
        <li key={it.label}>
          <span className={`legend-key legend-${it.shape ?? 'dot'}`} style={{ background: it.shape === 'ring' ? 'transparent' : it.hex, borderColor: it.border ?? it.hex, color: it.ink }}>
            {it.text}
          </span>
          <span className="legend-label">{it.label}</span>
          <span className="legend-detail">{it.detail ?? ''}</span>
        </li>
      ))}
    </ul>
  );
}

const aqiItems = (shape: Item['shape']): Item[] =>
  AQI_BANDS.map((b) => ({ hex: b.hex, label: b.name, detail: `${b.min}–${b.max}`, shape, ink: b.textHex }));

const heatGradient = `linear-gradient(90deg, ${RAIN1_HEAT_RANGE.map(([r, g, b, a], k) => `rgba(${r},${g},${b},${(a / 255).toFixed(2)}) ${(k / (RAIN1_HEAT_RANGE.length - 1)) * 100}%`).join(', ')})`;

const hasReservoirs = (s: LiveStore): boolean => s.env.stations.reservoir.length > 0;

/** The reservoirs' key under the rivers', where the province has any. */
function ReservoirLegend() {
  const any = useLive(hasReservoirs);
  if (!any) return null;
  return (
    <>
      <h3>Hồ chứa thủy điện (vòng trắng)</h3>
      <Items
        items={[RELEASE_SWATCH.releasing, RELEASE_SWATCH.announced, RESERVOIR_STAGE[2]!, RESERVOIR_STAGE[1]!, RESERVOIR_STAGE[0]!].map((s) => ({
          hex: s.hex,
          label: s.labelVi,
          border: '#ecf2f8',
        }))}
      />
    </>
  );
}

export function MapLegend({ mode }: { mode: MapMode }) {
  switch (mode) {
    case 'air':
      return (
        <>
          <h3>VN_AQI giờ (QĐ 1459/QĐ-TCMT)</h3>
          <Items items={[...aqiItems('dot'), { hex: NO_VALUE.hex, label: NO_VALUE.labelVi }, { hex: OFFLINE.hex, label: OFFLINE.labelVi }]} />
          <p className="legend-note">Số trong vòng tròn: AQI của trạm</p>
        </>
      );
    case 'water':
      return (
        <>
          <h3>Nước thải so với QCVN 40:2011/BTNMT</h3>
          <Items items={[...(['within', 'near', 'exceeding'] as const).map((k) => ({ hex: COMPLIANCE[k].hex, label: COMPLIANCE[k].labelVi })), { hex: NO_VALUE.hex, label: NO_VALUE.labelVi }, { hex: OFFLINE.hex, label: OFFLINE.labelVi }]} />
          <p className="legend-note">Nhãn: thông số vượt hoặc gần ngưỡng</p>
        </>
      );
    case 'hydro':
      return (
        <>
          <h3>Mực nước so với mức báo động</h3>
          <Items items={[...FLOOD_STAGE.map((s) => ({ hex: s.hex, label: s.labelVi })), { hex: OFFLINE.hex, label: OFFLINE.labelVi }]} />
          <p className="legend-note">Mức BĐ I/II/III theo cấu hình từng trạm</p>
          <ReservoirLegend />
        </>
      );
    case 'rain24':
    case 'communeRain':
      return (
        <>
          <h3>{mode === 'rain24' ? 'Lượng mưa 24 giờ' : 'Mưa 24 giờ lớn nhất của xã'}</h3>
          <Items items={RAIN_CLASSES.map((c) => ({ hex: c.hex, label: c.labelVi, detail: c.rangeVi, shape: mode === 'rain24' ? 'dot' : 'box' }))} />
          <p className="legend-note">
            {mode === 'rain24' ? 'Vùng màu: nội suy từ các trạm đo mưa' : 'Xã không có trạm đo mưa: không tô màu'}
          </p>
        </>
      );
    case 'rain1':
      return (
        <>
          <h3>Lượng mưa 1 giờ qua</h3>
          <div className="legend-heat">
            <span className="heat-bar" style={{ background: heatGradient }} />
            <span className="legend-detail">2 → 50 mm trong 1 giờ</span>
          </div>
          <p className="legend-note">Nhãn: trạm mưa trên 5 mm trong giờ qua</p>
        </>
      );
    case 'communeAqi':
      return (
        <>
          <h3>AQI cao nhất của xã, phường</h3>
          <Items items={aqiItems('box')} />
          <p className="legend-note">Xã không có trạm không khí: không tô màu</p>
        </>
      );
    case 'traffic':
      return (
        <>
          <h3>Mức phục vụ (tốc độ so với tốc độ tự do)</h3>
          <Items
            items={[
              ...LOS_BANDS.map((b) => ({ hex: b.hex, label: `${b.los} · ${b.labelVi}`, detail: b.upToPct === null ? `> ${b.abovePct} %` : b.los === 'F' ? `≤ ${b.upToPct} %` : `${b.abovePct}–${b.upToPct} %`, shape: 'line' as const })),
              { hex: NO_DATA_STYLE.hex, label: NO_DATA_STYLE.labelVi, shape: 'line' },
              { hex: '#ecf2f8', label: 'Camera AI' },
              { hex: '#ff40c8', label: 'Vi phạm mới', shape: 'ring' },
            ]}
          />
        </>
      );
    case 'communeRisk':
      return <RiskLegend />;
    case 'communeFire':
      return <FireLegend />;
    case 'devices':
      return <DevicesLegend />;
  }
}

/** What the legend says about the levels held: communes per level, those without rain data, the zones. */
function riskSummary(risk: RiskState) {
  const byLevel = risk.countByLevel();
  let noRain = 0;
  const zones = new Set<number>();
  for (const c of risk.communes.values()) {
    if (c.rainFrom === null) noRain++;
    zones.add(c.zone);
  }
  const { available, provisional, susceptibilitySource, flood } = risk;
  return {
    byLevel,
    byHazard: risk.countByHazard(),
    noRain,
    zone: zones.size === 1 ? [...zones][0]! : null,
    available,
    provisional,
    susceptibilitySource,
    flood,
  };
}

const riskSummaries = new WeakMap<RiskState, { version: number; summary: ReturnType<typeof riskSummary> }>();
/** Counted once per version of the levels: the same object until they change. */
const selectRiskSummary = (s: LiveStore) => {
  const held = riskSummaries.get(s.risk);
  if (held?.version === s.risk.version) return held.summary;
  const summary = riskSummary(s.risk);
  riskSummaries.set(s.risk, { version: s.risk.version, summary });
  return summary;
};
const selectHistoric = (s: LiveStore) => s.historicAt !== null;

/**
 * The official levels of QĐ 18/2021/QĐ-TTg (Điều 4) with the communes at each, what hazard they are computed
 * for, and, while the susceptibility classes are the product's stand-in, that the map is not the province's.
 */
export function RiskLegend() {
  // Rain moves the levels' inputs every tick in a storm: the counts need not change more than once a second.
  const risk = useCalmLive(selectRiskSummary);
  const historic = useLive(selectHistoric);
  const count = (n: number) => (risk.available ? `${formatInt(n)} xã` : '');
  return (
    <>
      <h3>Cấp độ rủi ro thiên tai (QĐ 18/2021/QĐ-TTg)</h3>
      <Items
        items={[
          ...RISK_LEVELS.map((l) => ({ hex: l.hex, label: `Cấp ${l.level} · ${l.name}`, detail: count(risk.byLevel[l.level]), shape: 'box' as const })),
          { hex: MAP_COLORS.communeFill, border: MAP_COLORS.communeLine, label: 'Chưa đến cấp 1', detail: count(risk.byLevel[0]), shape: 'box' },
        ]}
      />
      <p className="legend-note" data-testid="risk-hazard">
        Loại thiên tai: Lũ quét, sạt lở đất do mưa (Điều 46){risk.zone !== null ? ` · khu vực ${risk.zone}` : ''}
        {risk.available && risk.byHazard.flashFlood > 0 ? ` · ${formatInt(risk.byHazard.flashFlood)} xã` : ''}
      </p>
      {risk.flood && (
        <p className="legend-note" data-testid="risk-flood">
          Lũ, ngập lụt theo mực nước {formatInt(risk.flood.gauges.length)} trạm thủy văn (Điều 45)
          {risk.available && risk.byHazard.flood > 0 ? ` · ${formatInt(risk.byHazard.flood)} xã` : ''}
        </p>
      )}
      {!risk.available && (
        <p className="legend-note" data-testid="risk-unavailable">
          {historic ? 'Thời điểm đã qua: máy chủ không có cấp độ rủi ro cho thời điểm này, bản đồ không tô màu' : 'Chưa nhận được cấp độ rủi ro từ máy chủ'}
        </p>
      )}
      {risk.available && risk.noRain > 0 && (
        <p className="legend-note">{formatInt(risk.noRain)} xã không có trạm đo mưa ở gần: chưa tính được cấp độ</p>
      )}
      {risk.available && risk.provisional && (
        <p className="legend-note legend-warn" data-testid="risk-provisional">
          <b>⚠ Phân vùng nguy cơ tạm thời — chưa phải bản đồ chính thức của tỉnh.</b>
          {risk.susceptibilitySource && <> Nguồn phân vùng: {risk.susceptibilitySource}</>}
        </p>
      )}
      {risk.available && !risk.provisional && risk.susceptibilitySource && (
        <p className="legend-note">Phân vùng nguy cơ sạt lở, lũ quét: {risk.susceptibilitySource}</p>
      )}
      {risk.available && risk.flood && !risk.flood.verified && (
        <p className="legend-note legend-warn" data-testid="risk-flood-provisional">
          <b>⚠ Khu vực trạm và xã được cảnh báo lũ tạm thời.</b> {risk.flood.source}
        </p>
      )}
    </>
  );
}

/**
 * The fire danger levels of QĐ 127/2000/QĐ-BNN-KL in the fire sign colours, each with its band of P in the
 * province's rule and the communes at it; how P is built; which communes count as forest; and, while the
 * bands were not checked against the province's decision, that they were not.
 */
export function FireLegend() {
  const fire = useLive(selectFireSummary);
  const historic = useLive(selectHistoric);
  const { rule } = fire;
  const count = (n: number) => (fire.available ? `${formatInt(n)} xã` : '');
  return (
    <>
      <h3>Cấp dự báo cháy rừng theo xã (QĐ 127/2000)</h3>
      <ul className="legend-items legend-fire" data-testid="fire-levels-legend">
        {FIRE_LEVELS.map((l) => (
          <li key={l.level} data-level={l.level}>
            <span className="legend-key legend-box legend-roman" style={{ background: l.hex, borderColor: l.hex, color: l.textHex }}>
              {l.roman}
            </span>
            <span className="legend-label">{l.vi}</span>
            <span className="legend-detail">{rule ? fireBandText(l.level, rule) : ''}</span>
            <span className="legend-detail legend-count">{count(fire.byLevel[l.level])}</span>
          </li>
        ))}
        {fire.available && fire.byLevel[0] > 0 && (
          <li data-level="0">
            <span className="legend-key legend-box legend-roman" style={{ background: MAP_COLORS.communeFill, borderColor: MAP_COLORS.communeLine }} />
            <span className="legend-label">Chưa tính được cấp</span>
            <span className="legend-detail">chưa có số đo 13 giờ</span>
            <span className="legend-detail legend-count">{count(fire.byLevel[0])}</span>
          </li>
        )}
      </ul>
      {!fire.available && (
        <p className="legend-note" data-testid="fire-unavailable">
          {historic ? 'Thời điểm đã qua: máy chủ không có cấp dự báo cháy rừng cho thời điểm này, bản đồ không tô màu' : 'Chưa nhận được cấp dự báo cháy rừng từ máy chủ'}
        </p>
      )}
      {rule && (
        <p className="legend-note" data-testid="fire-index">
          Chỉ số Nesterov P: cộng dồn T13 × độ thiếu hụt bão hoà qua các ngày không mưa; mưa ≥ {formatValue(rule.resetRainMm)} mm thì tính lại
        </p>
      )}
      <p className="legend-note" data-testid="fire-forest">
        Xã có rừng: tạm tính mọi xã (chưa có bản đồ rừng); phường không tô màu
      </p>
      {fire.available && !fire.verified && (
        <p className="legend-note legend-warn" data-testid="fire-unverified">
          <b>⚠ Ngưỡng cấp chưa đối chiếu quyết định của tỉnh</b>
          {fire.source && <> — {fire.source}</>}
        </p>
      )}
      {fire.available && fire.verified && fire.source && <p className="legend-note">Ngưỡng cấp: {fire.source}</p>}
    </>
  );
}

const selectIotTotal = (s: LiveStore) => s.counts.iot.total;
const rgbaCss = ([r, g, b, a]: readonly number[]) => `rgba(${r},${g},${b},${((a ?? 255) / 255).toFixed(2)})`;

/** Device types; with many IoT devices, also the zoomed-out grid that stands for them (deviceLayers.ts). */
function DevicesLegend() {
  const grid = useLive(selectIotTotal) > IOT_GRID_ABOVE;
  const types = shownTypes(useLive(selectCounts));
  return (
    <>
      <h3>Thiết bị theo loại</h3>
      <Items items={[...types.map((t) => ({ hex: cssRgb(TYPE_RGB[t]), label: DEVICE_TYPE_LABELS[t] })), { hex: cssRgb(OFFLINE_RGB), label: 'Mất kết nối' }]} />
      {grid && (
        <div className="legend-grid" data-testid="legend-iot-grid">
          <h3>{DEVICE_TYPE_LABELS.iot}: ô {IOT_GRID_KM} km</h3>
          <Items items={IOT_GRID_STEPS.map((s) => ({ hex: rgbaCss(s.rgba), label: s.label, shape: 'box' as const }))} />
          <p className="legend-note">Khi thu nhỏ bản đồ (mức {IOT_GRID_MAX_ZOOM} trở xuống); phóng to để xem từng thiết bị</p>
        </div>
      )}
    </>
  );
}
