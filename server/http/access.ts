/**
 * Every edge checks (issue 14 point 3). Each route declares who may call it with `allow(permission)` or
 * `publicRoute`; `assertEveryRouteGuarded` refuses to start an app with a route that declares neither, and
 * the table-driven test walks the same declarations. The principal comes from the session (people and
 * displays) or, for `/metrics` only, a bearer token from the environment.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { CSRF_HEADER, type Permission } from '../../shared/auth';
import { ERROR_CODES } from '../../shared/protocol';
import { permits, type Identity, type Principal } from '../security/identity';

export type Access = { kind: 'public' } | { kind: 'permission'; permission: Permission; provinceWide: boolean } | { kind: 'metrics' };

type Tagged = RequestHandler & { access: Access };

function tag(h: RequestHandler, access: Access): Tagged {
  return Object.assign(h, { access });
}

export function principalOf(res: Response): Principal | null {
  return (res.locals.principal as Principal | undefined) ?? null;
}

/** The principal of a guarded route (the guard ran, so there is one). */
export function who(res: Response): Principal {
  const p = principalOf(res);
  if (!p) throw new Error('who(): no principal on a guarded route');
  return p;
}

export function unauthorized(res: Response): void {
  res.status(401).json({ error: { code: ERROR_CODES.UNAUTHORIZED, message: 'cần đăng nhập (login required)' } });
}

export function forbidden(res: Response, message = 'không có quyền (forbidden)'): void {
  res.status(403).json({ error: { code: ERROR_CODES.FORBIDDEN, message } });
}

/**
 * Only principals whose role grants `permission`. `provinceWide`: the answer covers the whole province
 * (exports, open data, the past at an instant), so a commune-scoped user is refused rather than given a
 * partial province that looks whole.
 */
export function allow(permission: Permission, opts: { provinceWide?: boolean } = {}): Tagged {
  const provinceWide = opts.provinceWide ?? false;
  return tag(
    (_req, res, next) => {
      const p = principalOf(res);
      if (!p) return unauthorized(res);
      if (!permits(p, permission)) return forbidden(res, `vai trò ${p.role} không được phép: ${permission}`);
      if (provinceWide && p.communes) return forbidden(res, 'tài khoản theo phạm vi xã/phường không dùng được dữ liệu toàn tỉnh này');
      next();
    },
    { kind: 'permission', permission, provinceWide },
  );
}

/** Anyone: the login page's calls and the liveness probe. */
export const publicRoute: Tagged = tag((_req, _res, next) => next(), { kind: 'public' });

/** `/metrics`: a principal allowed to read, or `Authorization: Bearer $METRICS_TOKEN` (Prometheus). */
export function allowMetrics(token: string | undefined): Tagged {
  const expected = token ? Buffer.from(`Bearer ${token}`) : null;
  return tag(
    (req, res, next) => {
      const given = req.headers.authorization;
      if (expected && given && given.length === expected.length && timingSafeEqual(Buffer.from(given), expected)) return next();
      const p = principalOf(res);
      if (!p) return unauthorized(res);
      if (!permits(p, 'read')) return forbidden(res);
      next();
    },
    { kind: 'metrics' },
  );
}

/** Puts the session's principal (if any and still valid) on res.locals. */
export function authenticate(identity: Identity): RequestHandler {
  return (req, res, next) => {
    const key = req.session?.principal;
    if (!key) return next();
    identity.resolve(key).then((p) => {
      if (p) res.locals.principal = p;
      next();
    }, next);
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF for cookie-authenticated writes: the session's token in a header a cross-site form cannot set.
 * A write without a session goes on (its route answers 401), except login, which checks `Origin`.
 */
export function csrf(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method) || !req.session?.principal) return next();
    const sent = req.headers[CSRF_HEADER];
    const expected = req.session.csrf;
    if (typeof sent === 'string' && expected && sent.length === expected.length && timingSafeEqual(Buffer.from(sent), Buffer.from(expected))) return next();
    res.status(403).json({ error: { code: ERROR_CODES.CSRF, message: `thiếu hoặc sai mã chống giả mạo (${CSRF_HEADER})` } });
  };
}

/** A browser's cross-site request carries an Origin that is not ours; tools without one are let through. */
export function sameOrigin(req: Request, allowed: readonly string[] = []): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  const host = req.headers['x-forwarded-host'] ?? req.headers.host;
  try {
    const o = new URL(origin);
    return o.host === host || allowed.includes(o.origin);
  } catch {
    return false;
  }
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean>; stack: { handle: Partial<Tagged> }[] };
  handle?: { stack?: Layer[] };
}

export interface RouteAccess {
  method: string;
  path: string;
  access: Access | null;
}

/** Every route of the app (routers included) with the access it declares (null: none). */
export function routeAccess(app: Express): RouteAccess[] {
  const out: RouteAccess[] = [];
  const walk = (stack: Layer[]) => {
    for (const l of stack) {
      if (l.route) {
        const access = l.route.stack.map((s) => s.handle.access).find((a) => a !== undefined) ?? null;
        for (const m of Object.keys(l.route.methods)) out.push({ method: m.toUpperCase(), path: l.route.path, access });
      } else if (l.handle?.stack) walk(l.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return out;
}

export function assertEveryRouteGuarded(app: Express): void {
  const open = routeAccess(app).filter((r) => r.access === null);
  if (open.length) throw new Error(`routes without an access declaration: ${open.map((r) => `${r.method} ${r.path}`).join(', ')}`);
}
