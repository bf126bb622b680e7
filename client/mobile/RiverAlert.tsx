/**
 * The phone's flood line, under the header and above the alarms: in a flood a leader's first question is
 * which rivers are high, and the rivers card sits below every alarm card. Rivers at BĐ II and III only
 * (BĐ I is a watch level, listed in the card), worst first as the server sends them; one tap goes to the
 * rivers card. Nothing at all when no river is that high.
 */
import type { Device } from '../../shared/devices';
import type { MobileEnvSummary } from '../../shared/events';
import { FLOOD_STAGE, STAGE_SHORT } from '../map/envStyles';
import type { LiveStore } from '../store/liveStore';
import { useLive } from '../store/useLive';
import { formatLevel } from '../ui/envFormat';
import { formatInt } from '../ui/format';
import { selectRegistry } from '../ui/selectors';

type RiverRow = MobileEnvSummary['riversAboveBd1'][number];

/** The rivers card's id: where the line takes the reader. */
export const RIVERS_CARD_ID = 'm-rivers';
/** Named in the line; the rest are counted ("và 2 sông khác"). */
const NAMED = 3;

/** The dot stays at the end of a line when the next river wraps to the following one. */
const SEP = '\u00a0· ';

const selectRivers = (s: LiveStore) => s.mobile.env?.riversAboveBd1;

/** A gauge by its station ("Trà Khúc"), as the river pages name it. */
export function riverStationName(dev: Device | undefined, i: number): string {
  return String(dev?.props?.station ?? dev?.name ?? `#${i}`);
}

/** A gauge's name on a list row, with its river when the registry names it. */
export function RiverItemName({ dev, i }: { dev: Device | undefined; i: number }) {
  return (
    <span className="m-item-name">
      {riverStationName(dev, i)}
      {dev?.props?.river !== undefined && <span className="m-muted"> · sông {String(dev.props.river)}</span>}
    </span>
  );
}

/** Rising or falling faster than half a centimetre an hour; null when unknown or about steady. */
export function riverTrend(rateCmH: number | null): 'rising' | 'falling' | null {
  if (rateCmH === null) return null;
  return rateCmH > 0.5 ? 'rising' : rateCmH < -0.5 ? 'falling' : null;
}

export function RiverAlert() {
  const rivers = useLive(selectRivers);
  const registry = useLive(selectRegistry);
  const high = (rivers ?? []).filter((r) => r.stage >= 2);
  if (high.length === 0) return null;
  const worst = Math.max(...high.map((r) => r.stage));
  const lowest = Math.min(...high.map((r) => r.stage));
  const sw = FLOOD_STAGE[worst]!;
  const item = (r: RiverRow) => `${riverStationName(registry?.devices[r.i], r.i)} ${STAGE_SHORT[r.stage]} ${formatLevel(r.level)}`;
  const named = high.slice(0, NAMED);
  const rest = high.length - named.length;
  const spoken = named.map((r) => {
    const t = riverTrend(r.rateCmH);
    return `${item(r)}${t === 'rising' ? ', đang lên' : t === 'falling' ? ', đang xuống' : ''}`;
  });
  const title = `${formatInt(high.length)} sông trên ${STAGE_SHORT[lowest]}`;
  return (
    <a
      href={`#${RIVERS_CARD_ID}`}
      className="m-river-alert"
      data-testid="m-river-alert"
      data-stage={worst}
      style={{ background: sw.hex, color: sw.textHex }}
      aria-label={`${title}: ${spoken.join('; ')}${rest > 0 ? `; và ${formatInt(rest)} sông khác` : ''}. Xem mực nước các sông.`}
    >
      <span className="m-river-alert-text">
        <b>
          <span aria-hidden="true">⚠ </span>
          {title}:
        </b>{' '}
        {named.map((r, k) => {
          const t = riverTrend(r.rateCmH);
          // A line may break inside a name, never inside "BĐ III" or "7,86 m ↑".
          return (
            <span key={r.i} className="m-river-alert-item">
              {k > 0 && SEP}
              {riverStationName(registry?.devices[r.i], r.i)} <span className="m-nowrap">{STAGE_SHORT[r.stage]}</span>{' '}
              <span className="m-nowrap">
                {formatLevel(r.level)}
                {t && ` ${t === 'rising' ? '↑' : '↓'}`}
              </span>
            </span>
          );
        })}
        {rest > 0 && `${SEP}và ${formatInt(rest)} sông khác`}
      </span>
      <span className="m-river-alert-go" aria-hidden="true">
        ›
      </span>
    </a>
  );
}
