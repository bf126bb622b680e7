/**
 * What a wall shows once its display token is revoked: nothing of the province, only why, so a screen in a
 * public room stops showing data within one tick and whoever looks at it knows whom to call.
 */
import type { SessionEndReason } from '../../shared/auth';
import './login.css';

const TEXT: Record<SessionEndReason, string> = {
  revoked: 'Mã màn hình này đã bị thu hồi. Màn hình không còn hiển thị dữ liệu.',
  logout: 'Đã đăng xuất.',
  'role-changed': 'Quyền của tài khoản vừa thay đổi.',
  disabled: 'Tài khoản đã bị khóa.',
  expired: 'Phiên đăng nhập đã hết.',
};

export function SessionEnded({ reason }: { reason: SessionEndReason }) {
  return (
    <main className="session-ended" data-testid="session-ended" data-reason={reason}>
      <p className="session-ended-text">{TEXT[reason]}</p>
      <p className="session-ended-hint">Liên hệ quản trị hệ thống để gắn mã màn hình mới.</p>
    </main>
  );
}
