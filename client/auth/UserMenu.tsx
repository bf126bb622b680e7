/**
 * Who is signed in, in a header: name and role, and a menu with the views this role may open, the admin and
 * audit pages when allowed, and logout. A wall display shows only its name (nobody is at its keyboard).
 */
import { useEffect, useRef, useState } from 'react';
import { ROLE_LABEL_VI, can, type Me } from '../../shared/auth';
import { logOut } from '../net/auth';
import { useMe } from './useMe';
import './userMenu.css';

interface Link {
  href: string;
  label: string;
}

export function menuLinks(me: Me, here: string): Link[] {
  const links: Link[] = [];
  if (can(me.role, 'read')) {
    links.push({ href: '/', label: 'Màn hình tường' }, { href: '/console', label: 'Bàn điều hành' }, { href: '/m', label: 'Giao diện điện thoại' });
  }
  if (can(me.role, 'users.manage') || can(me.role, 'displays.manage')) links.push({ href: '/admin', label: 'Quản trị người dùng, màn hình' });
  if (can(me.role, 'audit.read')) links.push({ href: '/audit', label: 'Nhật ký kiểm toán' });
  return links.filter((l) => l.href !== here);
}

export function UserMenu({ className = '' }: { className?: string }) {
  const me = useMe();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent): void => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !ref.current?.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('mousedown', close);
    window.addEventListener('keydown', close);
    return () => {
      window.removeEventListener('mousedown', close);
      window.removeEventListener('keydown', close);
    };
  }, [open]);
  if (!me) return null;
  if (me.role === 'display') {
    return (
      <div className={`user-chip is-display ${className}`} data-testid="user-menu" title="Màn hình gắn mã, chỉ xem">
        <span className="user-role">Màn hình</span> <b>{me.displayName}</b>
      </div>
    );
  }
  const scope = me.communes ? ` · ${me.communes.length} xã/phường` : '';
  return (
    <div className={`user-menu ${className}`} ref={ref} data-testid="user-menu">
      <button type="button" className="user-chip" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="user-menu-button">
        <b>{me.displayName}</b>
        <span className="user-role">
          {ROLE_LABEL_VI[me.role]}
          {scope}
        </span>
      </button>
      {open && (
        <div className="user-dropdown" role="menu">
          <div className="user-who">
            Đăng nhập: <b>{me.username}</b>
          </div>
          {menuLinks(me, window.location.pathname).map((l) => (
            <a key={l.href} role="menuitem" href={l.href}>
              {l.label}
            </a>
          ))}
          <button type="button" role="menuitem" className="user-logout" onClick={() => void logOut()} data-testid="logout">
            Đăng xuất
          </button>
        </div>
      )}
    </div>
  );
}
