/**
 * The admin page at /admin (issue 14): people and their roles and commune scope, and the wall displays with
 * their one-time binding link. Every change goes through the server's checked, audited admin API.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { PERSON_ROLES, ROLE_LABEL_VI, can, type CreatedDisplay, type DisplaySummary, type PersonRole, type UserSummary } from '../../shared/auth';
import { UserMenu } from '../auth/UserMenu';
import { useMe } from '../auth/useMe';
import { createDisplay, createUser, fetchDisplays, fetchUsers, revokeDisplay, updateUser } from '../net/admin';
import { CENTER_TITLE } from '../ui/labels';
import { formatDateTime, parseCommunes, randomPassword } from './format';
import './admin.css';

type Feedback = { ok: boolean; text: string } | null;

export function AdminApp() {
  const me = useMe();
  const [users, setUsers] = useState<UserSummary[] | null>(null);
  const [displays, setDisplays] = useState<DisplaySummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [feedback, setFeedback] = useState<Feedback>(null);
  const mayUsers = me !== null && can(me.role, 'users.manage');
  const mayDisplays = me !== null && can(me.role, 'displays.manage');

  const reload = useCallback(async () => {
    try {
      if (mayUsers) setUsers(await fetchUsers());
      if (mayDisplays) setDisplays(await fetchDisplays());
      setError(null);
    } catch (e) {
      setError(String(e));
    }
  }, [mayUsers, mayDisplays]);

  useEffect(() => {
    document.title = `Quản trị · ${CENTER_TITLE}`;
    void reload();
  }, [reload]);

  const done = (ok: boolean, text: string): void => {
    setFeedback({ ok, text });
    if (ok) void reload();
  };

  return (
    <div className="admin-page" data-testid="admin-page">
      <header className="admin-header">
        <div>
          <div className="admin-kicker">{CENTER_TITLE}</div>
          <h1>Quản trị người dùng và màn hình</h1>
        </div>
        <UserMenu />
      </header>
      {!mayUsers && !mayDisplays && <p className="admin-error">Tài khoản này không có quyền quản trị.</p>}
      {error && <p className="admin-error">Không tải được: {error}</p>}
      {feedback && (
        <p className={`admin-feedback ${feedback.ok ? 'is-ok' : 'is-error'}`} role={feedback.ok ? 'status' : 'alert'} data-testid="admin-feedback">
          {feedback.text}
        </p>
      )}
      {mayUsers && (
        <section className="admin-section" aria-labelledby="users-title">
          <h2 id="users-title">Người dùng</h2>
          <UsersTable users={users} self={me?.username ?? ''} onDone={done} />
          <NewUserForm onDone={done} />
        </section>
      )}
      {mayDisplays && (
        <section className="admin-section" aria-labelledby="displays-title">
          <h2 id="displays-title">Màn hình tường (mã gắn màn hình, chỉ xem)</h2>
          <DisplaysTable displays={displays} onDone={done} />
          <NewDisplayForm onDone={done} />
        </section>
      )}
    </div>
  );
}

function UsersTable({ users, self, onDone }: { users: UserSummary[] | null; self: string; onDone: (ok: boolean, text: string) => void }) {
  const [password, setPassword] = useState<{ user: string; value: string } | null>(null);
  if (!users) return <p className="muted">Đang tải…</p>;
  const change = async (u: UserSummary, patch: Parameters<typeof updateUser>[1], what: string): Promise<void> => {
    const out = await updateUser(u.username, patch);
    onDone(out.ok, out.ok ? `${what}: ${u.username}` : `Không ${what.toLowerCase()} được ${u.username}: ${out.message}`);
  };
  return (
    <>
      <table className="admin-table" data-testid="users-table">
        <thead>
          <tr>
            <th>Tên đăng nhập</th>
            <th>Họ tên</th>
            <th>Vai trò</th>
            <th>Phạm vi</th>
            <th>Trạng thái</th>
            <th>Đăng nhập gần nhất</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.username} data-username={u.username} className={u.disabled ? 'is-disabled' : ''}>
              <td className="mono">{u.username}</td>
              <td>{u.displayName}</td>
              <td>
                <select
                  value={u.role}
                  aria-label={`Vai trò của ${u.username}`}
                  disabled={u.username === self}
                  onChange={(e) => void change(u, { role: e.target.value as PersonRole }, 'Đã đổi vai trò')}
                >
                  {PERSON_ROLES.map((r) => (
                    <option key={r} value={r}>
                      {ROLE_LABEL_VI[r]}
                    </option>
                  ))}
                </select>
              </td>
              <td>{u.communes ? <span title={u.communes.join(', ')}>{u.communes.length} xã/phường</span> : 'Toàn tỉnh'}</td>
              <td>{u.disabled ? <span className="tag is-bad">Đã khóa</span> : <span className="tag is-ok">Hoạt động</span>}</td>
              <td>{formatDateTime(u.lastLoginAt)}</td>
              <td className="admin-actions">
                {u.username !== self && (
                  <button type="button" onClick={() => void change(u, { disabled: !u.disabled }, u.disabled ? 'Đã mở khóa' : 'Đã khóa')}>
                    {u.disabled ? 'Mở khóa' : 'Khóa'}
                  </button>
                )}
                <button
                  type="button"
                  onClick={() => {
                    const value = randomPassword();
                    void updateUser(u.username, { password: value }).then((out) => {
                      if (out.ok) setPassword({ user: u.username, value });
                      onDone(out.ok, out.ok ? `Đã đặt mật khẩu mới cho ${u.username}` : `Không đặt được mật khẩu: ${out.message}`);
                    });
                  }}
                >
                  Đặt lại mật khẩu
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {password && (
        <p className="admin-once" data-testid="new-password">
          Mật khẩu mới của <b>{password.user}</b>: <code>{password.value}</code> · chỉ hiện một lần, trao tận tay người dùng.
          <button type="button" onClick={() => setPassword(null)}>
            Đã ghi lại
          </button>
        </p>
      )}
    </>
  );
}

function NewUserForm({ onDone }: { onDone: (ok: boolean, text: string) => void }) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<PersonRole>('operator');
  const [password, setPassword] = useState(() => randomPassword());
  const [communes, setCommunes] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    const out = await createUser({ username, displayName, role, password, communes: parseCommunes(communes) });
    setBusy(false);
    if (out.ok) {
      onDone(true, `Đã tạo ${out.data.username} (${ROLE_LABEL_VI[out.data.role]}). Mật khẩu ban đầu: ${password}. Trao tận tay, chỉ hiện một lần.`);
      setUsername('');
      setDisplayName('');
      setCommunes('');
      setPassword(randomPassword());
    } else onDone(false, `Không tạo được người dùng: ${out.message}`);
  };
  return (
    <form className="admin-form" onSubmit={(e) => void submit(e)} data-testid="new-user">
      <h3>Thêm người dùng</h3>
      <label>
        <span>Tên đăng nhập</span>
        <input value={username} onChange={(e) => setUsername(e.target.value)} required maxLength={64} autoComplete="off" name="new-username" />
      </label>
      <label>
        <span>Họ tên</span>
        <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} required maxLength={128} name="new-display-name" />
      </label>
      <label>
        <span>Vai trò</span>
        <select value={role} onChange={(e) => setRole(e.target.value as PersonRole)} name="new-role">
          {PERSON_ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABEL_VI[r]}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Mật khẩu ban đầu (≥ 10 ký tự)</span>
        <input value={password} onChange={(e) => setPassword(e.target.value)} required minLength={10} maxLength={256} autoComplete="new-password" name="new-password" />
      </label>
      <label className="wide">
        <span>Giới hạn xã/phường (mã, cách nhau dấu phẩy; để trống: toàn tỉnh)</span>
        <input value={communes} onChange={(e) => setCommunes(e.target.value)} placeholder="ví dụ 51001, 51004" name="new-communes" />
      </label>
      <button type="submit" disabled={busy}>
        Tạo người dùng
      </button>
    </form>
  );
}

function DisplaysTable({ displays, onDone }: { displays: DisplaySummary[] | null; onDone: (ok: boolean, text: string) => void }) {
  if (!displays) return <p className="muted">Đang tải…</p>;
  if (displays.length === 0) return <p className="muted">Chưa có màn hình nào được gắn mã.</p>;
  return (
    <table className="admin-table" data-testid="displays-table">
      <thead>
        <tr>
          <th>Tên màn hình</th>
          <th>Tạo bởi</th>
          <th>Tạo lúc</th>
          <th>Hoạt động gần nhất</th>
          <th>Trạng thái</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {displays.map((d) => (
          <tr key={d.id} data-display-id={d.id} className={d.revokedAt ? 'is-disabled' : ''}>
            <td>{d.name}</td>
            <td className="mono">{d.createdBy}</td>
            <td>{formatDateTime(d.createdAt)}</td>
            <td>{formatDateTime(d.lastSeenAt)}</td>
            <td>{d.revokedAt ? <span className="tag is-bad">Đã thu hồi {formatDateTime(d.revokedAt)}</span> : <span className="tag is-ok">Đang dùng</span>}</td>
            <td className="admin-actions">
              {!d.revokedAt && (
                <button
                  type="button"
                  className="danger"
                  data-testid="revoke-display"
                  onClick={() => {
                    if (!window.confirm(`Thu hồi mã của màn hình “${d.name}”? Màn hình sẽ tắt hiển thị dữ liệu ngay.`)) return;
                    void revokeDisplay(d.id).then((out) => onDone(out.ok, out.ok ? `Đã thu hồi màn hình “${d.name}”` : `Không thu hồi được: ${out.message}`));
                  }}
                >
                  Thu hồi
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function NewDisplayForm({ onDone }: { onDone: (ok: boolean, text: string) => void }) {
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedDisplay | null>(null);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const out = await createDisplay(name);
    if (out.ok) {
      setCreated(out.data);
      setName('');
    }
    onDone(out.ok, out.ok ? `Đã tạo mã cho màn hình “${out.data.name}”` : `Không tạo được mã màn hình: ${out.message}`);
  };
  const link = created ? new URL(created.bindPath, window.location.href).href : '';
  return (
    <>
      <form className="admin-form" onSubmit={(e) => void submit(e)} data-testid="new-display">
        <h3>Tạo mã cho màn hình tường</h3>
        <label className="wide">
          <span>Tên màn hình (nơi đặt)</span>
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={128} placeholder="ví dụ Phòng trực ban · màn hình trái" name="display-name" />
        </label>
        <button type="submit">Tạo mã</button>
      </form>
      {created && (
        <div className="admin-once" data-testid="display-link">
          <p>
            Mở địa chỉ này <b>một lần</b> trên trình duyệt của màn hình “{created.name}”; màn hình sẽ tự hiển thị và chạy không cần đăng nhập. Mã chỉ
            hiện một lần.
          </p>
          <code>{link}</code>
          <div>
            <button type="button" onClick={() => void navigator.clipboard?.writeText(link)}>
              Sao chép
            </button>
            <button type="button" onClick={() => setCreated(null)}>
              Đã ghi lại
            </button>
          </div>
        </div>
      )}
    </>
  );
}
