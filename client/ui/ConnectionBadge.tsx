import type { ConnectionState } from '../store/liveStore';
import { assertNever } from '../../shared/protocol';
import { formatTime } from './format';

export function connectionText(c: ConnectionState): string {
  switch (c.status) {
    case 'online':
      return 'Trực tuyến';
    case 'connecting':
      return 'Đang kết nối…';
    case 'offline':
      return c.staleSince === null ? 'Mất kết nối' : `Mất kết nối — dữ liệu cũ từ ${formatTime(c.staleSince)}`;
    case 'mismatch':
      return 'Phiên bản đã cũ';
    default:
      return assertNever(c.status, 'connection status');
  }
}

/** `paused`: the wall shows a past instant; the link may be fine, but no live frame is shown. */
export function ConnectionBadge({ connection, paused = false }: { connection: ConnectionState; paused?: boolean }) {
  return (
    <div
      className={`conn conn-${connection.status}${paused ? ' conn-paused' : ''}`}
      data-testid="connection"
      data-status={connection.status}
      data-paused={paused ? '1' : undefined}
      role="status"
    >
      <span className="conn-dot" aria-hidden="true" />
      <span className="conn-text">{paused ? 'Trực tiếp tạm dừng' : connectionText(connection)}</span>
    </div>
  );
}
