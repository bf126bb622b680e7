/**
 * Violations: today's count by type (chart) and the live feed. Plates arrive masked from the server
 * (STANDARDS.md §5) and are shown as they come; fines are the decree's ranges (Nghị định 168/2024).
 */
import { VEHICLE_CLASS_LABEL_VI, VIOLATION_LABEL_VI, type FeedViolation } from '../../../shared/traffic';
import { useLive } from '../../store/useLive';
import type { LiveStore } from '../../store/liveStore';
import { formatFine } from '../../ui/envFormat';
import { formatInt, formatTime } from '../../ui/format';
import { ViolationTypeChart } from '../charts/ViolationTypeChart';

const FEED_ROWS = 14;

const selectFeed = (s: LiveStore) => s.traffic.feed;
const selectSummaryTotal = (s: LiveStore) => (s.traffic.summary ? s.traffic.summary.total : null);

function speedText(v: FeedViolation): string {
  return v.violation === 'speeding' && v.speedKmh !== undefined && v.speedLimitKmh !== undefined ? ` ${v.speedKmh}/${v.speedLimitKmh} km/h` : '';
}

export function ViolationsPage({ scale }: { scale: number }) {
  const feed = useLive(selectFeed);
  const total = useLive(selectSummaryTotal);
  return (
    <>
      <section className="panel chart-panel short" aria-labelledby="vt-title">
        <h2 id="vt-title">
          Vi phạm hôm nay <span className="count-pill">{total === null ? '—' : formatInt(total)}</span>
        </h2>
        <ViolationTypeChart scale={scale} />
      </section>
      <section className="panel grow" aria-labelledby="feed-title" data-testid="violation-feed">
        <h2 id="feed-title">Vi phạm mới nhất · camera AI</h2>
        {feed.length === 0 ? (
          <p className="empty">Chưa có vi phạm nào hôm nay.</p>
        ) : (
          <ul className="feed fit">
            {feed.slice(0, FEED_ROWS).map((v) => (
              <li key={v.id} data-testid="feed-row">
                <span className="feed-time num">{formatTime(v.ts)}</span>
                <span className="row-main">
                  <span className="row-name">
                    {VIOLATION_LABEL_VI[v.violation]}
                    <span className="muted">{speedText(v)}</span>
                  </span>
                  <span className="row-sub">
                    {VEHICLE_CLASS_LABEL_VI[v.vehicleType]} <span className="plate" data-testid="plate">{v.plate}</span>
                    {v.road && ` · ${v.road}`}
                  </span>
                </span>
                <span className="fine">{formatFine(v.fineVnd)}</span>
              </li>
            ))}
          </ul>
        )}
        <p className="footnote">Biển số đã được che theo Nghị định 13/2023/NĐ-CP · Mức phạt theo Nghị định 168/2024/NĐ-CP</p>
      </section>
    </>
  );
}
