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

export function ConnectionBadge({ connection }: { connection: ConnectionState }) {
  return (
    <div className={`conn conn-${connection.status}`} data-testid="connection" data-status={connection.status} role="status">
      <span className="conn-dot" aria-hidden="true" />
      <span className="conn-text">{connectionText(connection)}</span>
    </div>
  );
}
