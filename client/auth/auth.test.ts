import { describe, expect, it } from 'vitest';
import type { Me } from '../../shared/auth';
import { detailParts, parseCommunes } from '../admin/format';
import { loginUrl, safeNext } from '../net/auth';
import { landingFor, noticeFor } from './LoginApp';
import { menuLinks } from './UserMenu';

const me = (role: Me['role']): Me => ({ username: 'u', displayName: 'U', role, communes: null });

describe('where login leads', () => {
  it('keeps same-site paths only (no open redirect)', () => {
    expect(safeNext('/console?x=1')).toBe('/console?x=1');
    for (const bad of ['//evil.example/x', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '/login', '/login?next=/', '', null]) {
      expect(safeNext(bad)).toBeNull();
    }
  });

  it('sends a user back where they came from, else to what the role and the screen suit', () => {
    expect(landingFor(me('operator'), '/console', false)).toBe('/console');
    expect(landingFor(me('operator'), '//evil.example', false)).toBe('/');
    expect(landingFor(me('leader'), null, true)).toBe('/m');
    expect(landingFor(me('auditor'), null, false)).toBe('/audit');
  });

  it('builds the login address with the page to come back to and the reason', () => {
    expect(loginUrl('expired', new URL('http://h/console?f=1'))).toBe('/login?next=%2Fconsole%3Ff%3D1&reason=expired');
    expect(loginUrl(undefined, new URL('http://h/'))).toBe('/login');
  });

  it('says why the login page is shown', () => {
    expect(noticeFor(new URLSearchParams('reason=role-changed'))).toContain('Quyền của tài khoản');
    expect(noticeFor(new URLSearchParams('error=display'))).toContain('Mã gắn màn hình');
    expect(noticeFor(new URLSearchParams('reason=nonsense'))).toBeNull();
  });
});

describe('user menu', () => {
  it('offers each role only the pages it may open', () => {
    expect(menuLinks(me('admin'), '/').map((l) => l.href)).toEqual(['/console', '/m', '/admin', '/audit']);
    expect(menuLinks(me('viewer'), '/m').map((l) => l.href)).toEqual(['/', '/console']);
    expect(menuLinks(me('auditor'), '/audit')).toEqual([]);
  });
});

describe('admin formatting', () => {
  it('reads commune codes from free text, empty meaning the whole province', () => {
    expect(parseCommunes(' 51001, 51004;51001\n51007 ')).toEqual(['51001', '51004', '51007']);
    expect(parseCommunes('  ')).toBeNull();
  });

  it('puts the reason first in an audit row', () => {
    expect(detailParts({ role: 'operator', reason: 'Công văn 12' })).toEqual(['Lý do: Công văn 12', 'Vai trò: operator']);
    expect(detailParts(null)).toEqual([]);
  });
});
