import type { DegradedDependency } from '../../shared/health';
import { useLive } from '../store/useLive';
import { formatTime } from './format';
import { DEPENDENCY_DOWN_TEXT } from './labels';
import { selectConnection, selectDegraded } from './selectors';

/**
 * What the server says is wrong behind it (issue 16): one warning badge per dependency down (PostgreSQL,
 * Redis, MQTT, the store), from the live frames. Only while the link to the server is up: offline, the
 * connection badge already says the screen is stale, and the server's last word on its dependencies is too.
 * `paused`: the wall shows a past instant, where live news about the server does not belong.
 */
export function DependencyBadges({ paused = false, className = '' }: { paused?: boolean; className?: string }) {
  const connection = useLive(selectConnection);
  const degraded = useLive(selectDegraded);
  if (paused || connection.status !== 'online' || degraded.length === 0) return null;
  return (
    <div className={`dep-badges ${className}`} data-testid="dependency-badges" role="alert">
      {shown(degraded).map((d) => (
        <span key={d.name} className="dep-badge" data-dependency={d.name} title={d.since !== null ? `từ ${formatTime(d.since)}` : undefined}>
          <span className="dep-mark" aria-hidden="true">
            !
          </span>
          {DEPENDENCY_DOWN_TEXT[d.name]}
        </span>
      ))}
    </div>
  );
}

/** With PostgreSQL down its failing writes are no news of their own: one badge says it. */
function shown(degraded: readonly DegradedDependency[]): readonly DegradedDependency[] {
  return degraded.some((d) => d.name === 'postgresql') ? degraded.filter((d) => d.name !== 'store') : degraded;
}
