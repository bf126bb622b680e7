/**
 * The phone's flood releases (xả lũ) at the very top: a dam opening its gates is the one thing a leader must
 * hear before anything else, with what the plant announced (gates, outflow, from when) and the communes below
 * it that must clear the river banks. Nothing at all while no reservoir releases or has announced a release.
 */
import type { MobileRelease } from '../../shared/events';
import { RELEASE_SWATCH } from '../map/envStyles';
import { communeName, useCommunes, type CommuneIndex } from '../alarms/places';
import type { LiveStore } from '../store/liveStore';
import { useLive } from '../store/useLive';
import { formatValue } from '../ui/envFormat';
import { formatHourMinute, formatInt } from '../ui/format';
import { selectRegistry } from '../ui/selectors';

/** Downstream communes named on the card; the rest are counted. */
export const RELEASE_COMMUNES_LISTED = 4;

const selectReleases = (s: LiveStore) => s.mobile.env?.releases;

function communes(codes: readonly string[], index: CommuneIndex | null): string {
  const names = codes.slice(0, RELEASE_COMMUNES_LISTED).map((c) => communeName(c, index) ?? c);
  const rest = codes.length - names.length;
  return rest > 0 ? `${names.join(', ')} và ${formatInt(rest)} xã khác` : names.join(', ');
}

/** "2 cửa xả · 5.300 m³/s · từ 04:00" or, announced, "dự kiến mở 2 cửa lúc 04:00, xả 5.300 m³/s". */
function plan(r: MobileRelease): string {
  const gates = r.gates !== null ? `${formatInt(r.gates)} cửa` : null;
  const flow = r.outflow !== null ? `${formatValue(r.outflow)} m³/s` : null;
  const at = r.startsAt !== null ? formatHourMinute(r.startsAt) : null;
  if (r.release === 'announced') return ['dự kiến mở', gates, at && `lúc ${at}`, flow && `· xả ${flow}`].filter(Boolean).join(' ');
  return [gates && `${gates} xả mở`, flow, at && `từ ${at}`].filter(Boolean).join(' · ');
}

export function ReleaseCard() {
  const releases = useLive(selectReleases);
  const registry = useLive(selectRegistry);
  const index = useCommunes();
  if (!releases || releases.length === 0) return null;
  return (
    <section className="m-env-card m-alert m-release" aria-labelledby="m-release-title" data-testid="m-release">
      <header>
        <h2 id="m-release-title">Thủy điện xả lũ</h2>
      </header>
      <ul className="m-list">
        {releases.map((r) => {
          const sw = RELEASE_SWATCH[r.release];
          const name = String(registry?.devices[r.i]?.props?.plant ?? registry?.devices[r.i]?.name ?? `#${r.i}`);
          return (
            <li key={r.i} data-release={r.release}>
              <span className="m-stage" style={{ background: sw.hex, color: sw.textHex }}>
                {r.release === 'releasing' ? 'Đang xả' : 'Thông báo'}
              </span>
              <span className="m-item-main">
                <span className="m-item-name">{name}</span>
                <span className="m-item-sub">{plan(r)}</span>
                <span className="m-item-sub">
                  Hạ du {formatInt(r.downstream.length)} xã: {communes(r.downstream, index)}
                </span>
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
