import { DEVICE_TYPE_LABELS } from '../../shared/devices';
import { DEVICE_TYPES } from '../../shared/mqtt';
import type { TypeCounts } from '../../shared/events';
import { OFFLINE_RGB, TYPE_RGB, cssRgb } from '../map/colors';
import { useCalmLive } from '../store/useLive';
import { formatInt } from '../ui/format';
import { selectCounts, shownTypes } from '../ui/selectors';

export function countsEqual(a: TypeCounts, b: TypeCounts): boolean {
  return DEVICE_TYPES.every((t) => a[t].total === b[t].total && a[t].online === b[t].online);
}

/** Online/offline per device type; the colour dots double as the map legend. */
export function TypeCountsPanel() {
  // Once a second at most on the wall (client/store/calmView.ts).
  const counts = useCalmLive(selectCounts, countsEqual);
  return (
    <section className="panel counts-panel" aria-labelledby="counts-title">
      <h2 id="counts-title">Thiết bị theo loại</h2>
      <table className="counts" data-testid="type-counts">
        <thead>
          <tr>
            <th scope="col">Loại thiết bị</th>
            <th scope="col">Trực tuyến</th>
            <th scope="col">Mất kết nối</th>
          </tr>
        </thead>
        <tbody>
          {shownTypes(counts).map((t) => {
            const c = counts[t];
            const offline = c.total - c.online;
            const share = c.total > 0 ? c.online / c.total : 0;
            return (
              <tr key={t} data-type={t}>
                <th scope="row">
                  <span className="dot" style={{ background: cssRgb(TYPE_RGB[t]) }} aria-hidden="true" />
                  <span className="type-label">{DEVICE_TYPE_LABELS[t]}</span>
                  <span className="bar" aria-hidden="true">
                    <span style={{ width: `${(share * 100).toFixed(1)}%`, background: cssRgb(TYPE_RGB[t]) }} />
                  </span>
                </th>
                <td className="num">
                  {formatInt(c.online)}
                  <span className="of">/{formatInt(c.total)}</span>
                </td>
                <td className={`num ${offline > 0 ? 'warn' : 'muted'}`}>{formatInt(offline)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="legend-offline">
        <span className="dot dot-offline" style={{ background: cssRgb(OFFLINE_RGB) }} aria-hidden="true" /> Chấm xám trên bản đồ: thiết bị mất
        kết nối
      </div>
    </section>
  );
}
