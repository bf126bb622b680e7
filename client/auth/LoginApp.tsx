/**
 * The login page at /login (issue 14): Vietnamese, one form, says clearly why it is shown (logged out, session
 * expired, role changed, a bad display link) and, when the account is locked, until when. After login the
 * browser goes back where it was sent from, or to the view that fits the role and the screen.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Me } from '../../shared/auth';
import { loadMe, logIn, safeNext } from '../net/auth';
import { CENTER_TITLE } from '../ui/labels';
import './login.css';

const REASONS: Record<string, string> = {
  logout: 'Bạn đã đăng xuất.',
  expired: 'Phiên đăng nhập đã hết hoặc chưa đăng nhập. Vui lòng đăng nhập.',
  'role-changed': 'Quyền của tài khoản vừa được thay đổi. Vui lòng đăng nhập lại.',
  disabled: 'Tài khoản đã bị khóa. Liên hệ quản trị hệ thống.',
};

export function noticeFor(q: URLSearchParams): string | null {
  if (q.get('error') === 'display') return 'Mã gắn màn hình không hợp lệ hoặc đã bị thu hồi. Liên hệ quản trị để lấy mã mới.';
  return REASONS[q.get('reason') ?? ''] ?? null;
}

/** Where to go after login: the page that sent us here, else what the role and the screen suit. */
export function landingFor(me: Me, next: string | null, narrow: boolean): string {
  const safe = safeNext(next);
  if (safe) return safe;
  if (me.role === 'auditor') return '/audit';
  return narrow ? '/m' : '/';
}

function clock(ts: number): string {
  return new Date(ts).toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit' });
}

export function LoginApp() {
  const q = new URLSearchParams(window.location.search);
  const notice = noticeFor(q);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [show, setShow] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const userRef = useRef<HTMLInputElement>(null);
  const passRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = `Đăng nhập · ${CENTER_TITLE}`;
    userRef.current?.focus();
    // Already signed in (a bookmark of /login, the back button): straight on, unless the page says why it is here.
    if (notice) return;
    loadMe().then(
      (me) => {
        if (me) window.location.replace(landingFor(me.user, q.get('next'), window.matchMedia('(max-width: 700px)').matches));
      },
      () => undefined,
    );
    // Once, on arrival.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (busy) return;
    if (!username.trim() || !password) {
      setError(!username.trim() ? 'Nhập tên đăng nhập.' : 'Nhập mật khẩu.');
      (!username.trim() ? userRef : passRef).current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    const out = await logIn(username.trim(), password);
    if (out.ok) {
      window.location.assign(landingFor(out.me.user, q.get('next'), window.matchMedia('(max-width: 700px)').matches));
      return;
    }
    setBusy(false);
    setPassword('');
    setError(out.unlockAt ? `Đăng nhập sai quá nhiều lần. Tạm khóa đến ${clock(out.unlockAt)}.` : out.message.charAt(0).toUpperCase() + out.message.slice(1) + '.');
    passRef.current?.focus();
  };

  return (
    <div className="login-page" data-testid="login-page">
      <main className="login-card">
        <header className="login-head">
          <div className="login-mark" aria-hidden="true">
            IOC
          </div>
          <div>
            <div className="login-kicker">{CENTER_TITLE}</div>
            <h1>Đăng nhập hệ thống</h1>
          </div>
        </header>
        {notice && (
          <p className="login-notice" role="status" data-testid="login-notice">
            {notice}
          </p>
        )}
        <form onSubmit={(e) => void submit(e)} noValidate>
          <label className="login-field">
            <span>Tên đăng nhập</span>
            <input
              ref={userRef}
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              maxLength={64}
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              disabled={busy}
              data-testid="login-username"
            />
          </label>
          <label className="login-field">
            <span>Mật khẩu</span>
            <span className="login-password">
              <input
                ref={passRef}
                name="password"
                type={show ? 'text' : 'password'}
                autoComplete="current-password"
                maxLength={256}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                disabled={busy}
                data-testid="login-password"
              />
              <button type="button" className="login-show" onClick={() => setShow(!show)} aria-pressed={show} title={show ? 'Ẩn mật khẩu' : 'Hiện mật khẩu'}>
                {show ? 'Ẩn' : 'Hiện'}
              </button>
            </span>
          </label>
          {error && (
            <p className="login-error" role="alert" data-testid="login-error">
              {error}
            </p>
          )}
          <button type="submit" className="login-submit" disabled={busy} data-testid="login-submit">
            {busy ? 'Đang đăng nhập…' : 'Đăng nhập'}
          </button>
        </form>
        <footer className="login-foot">
          Hệ thống thông tin của cơ quan nhà nước. Mọi lần đăng nhập và thao tác được ghi nhật ký kiểm toán. Quên mật khẩu: liên hệ quản
          trị hệ thống.
        </footer>
      </main>
    </div>
  );
}
