import { useRef } from 'react';
import type { ConnectionState } from '../store/liveStore';
import { useBlink } from './blink';
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
  const dot = useRef<HTMLSpanElement>(null);
  // The live dot blinks while frames come (on the screen's beat, not a CSS animation: client/ui/blink.ts).
  useBlink(dot, connection.status === 'online' && !paused);
  return (
    <div
      className={`conn conn-${connection.status}${paused ? ' conn-paused' : ''}`}
      data-testid="connection"
      data-status={connection.status}
      data-paused={paused ? '1' : undefined}
      role="status"
    >
      <span className="conn-dot" ref={dot} aria-hidden="true" />
      <span className="conn-text">{paused ? 'Trực tiếp tạm dừng' : connectionText(connection)}</span>
    </div>
  );
}
