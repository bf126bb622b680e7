/** The legend of the map's current mode: the official colours with their Vietnamese names, never colour alone. */
import { DEVICE_TYPE_LABELS } from '../../shared/devices';
import { DEVICE_TYPES } from '../../shared/mqtt';
import { LOS_BANDS, NO_DATA_STYLE } from '../../shared/traffic';
import { AQI_BANDS } from '../../shared/vnAqi';
import { OFFLINE_RGB, TYPE_RGB, cssRgb } from '../map/colors';
import { COMPLIANCE, FLOOD_STAGE, NO_VALUE, OFFLINE, RAIN1_HEAT_RANGE, RAIN_CLASSES } from '../map/envStyles';
import { IOT_GRID_ABOVE, IOT_GRID_KM, IOT_GRID_MAX_ZOOM, IOT_GRID_STEPS } from '../map/layers/deviceLayers';
import type { MapMode } from '../map/modes';
import { useLive } from '../store/useLive';
import type { LiveStore } from '../store/liveStore';

interface Item {
  hex: string;
  label: string;
  detail?: string;
  shape?: 'dot' | 'line' | 'ring' | 'box';
  ink?: string;
  text?: string;
}

function Items({ items }: { items: Item[] }) {
  return (
    <ul className="legend-items">
      {items.map((it) => (
        <li key={it.label}>
          <span className={`legend-key legend-${it.shape ?? 'dot'}`} style={{ background: it.shape === 'ring' ? 'transparent' : it.hex, borderColor: it.hex, color: it.ink }}>
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
    case 'devices':
      return <DevicesLegend />;
  }
}

const selectIotTotal = (s: LiveStore) => s.counts.iot.total;
const rgbaCss = ([r, g, b, a]: readonly number[]) => `rgba(${r},${g},${b},${((a ?? 255) / 255).toFixed(2)})`;

/** Device types; with many IoT devices, also the zoomed-out grid that stands for them (deviceLayers.ts). */
function DevicesLegend() {
  const grid = useLive(selectIotTotal) > IOT_GRID_ABOVE;
  return (
    <>
      <h3>Thiết bị theo loại</h3>
      <Items items={[...DEVICE_TYPES.map((t) => ({ hex: cssRgb(TYPE_RGB[t]), label: DEVICE_TYPE_LABELS[t] })), { hex: cssRgb(OFFLINE_RGB), label: 'Mất kết nối' }]} />
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
