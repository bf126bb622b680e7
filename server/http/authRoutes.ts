/**
 * Logins, the admin's users and displays, the audit log, and the one way a raw plate leaves the server
 * (an operator's reasoned, audited unmask). Every route declares its access (server/http/access.ts).
 */
import express, { Router, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Session } from 'express-session';
import {
  createDisplaySchema,
  createUserSchema,
  loginRequestSchema,
  unmaskRequestSchema,
  updateUserSchema,
  type CreatedDisplay,
  type MeResponse,
  type UnmaskResponse,
  type UserSummary,
} from '../../shared/auth';
import { ERROR_CODES } from '../../shared/protocol';
import { auditQuerySchema } from '../security/audit';
import { DISPLAY_SESSION_MS, PERSON_SESSION_MS, me, type Identity, type Principal } from '../security/identity';
import type { User } from '../security/users';
import type { ViolationTracker } from '../domain/traffic/violations';
import { allow, forbidden, principalOf, publicRoute, sameOrigin, unauthorized, who } from './access';

export interface AuthRouteDeps {
  identity: Identity;
  /** Raw plates, for the audited unmask. */
  violations: Pick<ViolationTracker, 'rawPlate' | 'communeOf'>;
  /** Login attempts per address and per user in a window (defaults: 20 and 5 in 15 min). */
  loginLimits?: { windowMs?: number; perAddress?: number; perUser?: number };
}

const body = express.json({ limit: '16kb' });

function summary(u: User): UserSummary {
  return { username: u.username, displayName: u.displayName, role: u.role, communes: u.communes, disabled: u.disabled, createdAt: u.createdAt, lastLoginAt: u.lastLoginAt };
}

function badRequest(res: Response, issues: { path: PropertyKey[]; message: string }[]): void {
  res.status(400).json({ error: { code: ERROR_CODES.BAD_REQUEST, message: issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ') } });
}

function regenerate(s: Session): Promise<void> {
  return new Promise((resolve, reject) => s.regenerate((err) => (err ? reject(err as Error) : resolve())));
}

function save(s: Session): Promise<void> {
  return new Promise((resolve, reject) => s.save((err) => (err ? reject(err as Error) : resolve())));
}

function destroy(s: Session): Promise<void> {
  return new Promise((resolve, reject) => s.destroy((err) => (err ? reject(err as Error) : resolve())));
}

function hhmm(ts: number): string {
  return new Date(ts).toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Ho_Chi_Minh' });
}

export function authRoutes(deps: AuthRouteDeps): Router {
  const { identity } = deps;
  const r = Router();
  const windowMs = deps.loginLimits?.windowMs ?? 15 * 60_000;

  const locked = (req: Request, res: Response) => {
    const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
    const unlockAt = reset ? reset.getTime() : Date.now() + windowMs;
    const username = typeof req.body?.username === 'string' ? String(req.body.username).slice(0, 64).toLowerCase() : null;
    void identity.record({ actor: username ?? 'anonymous', action: 'login.locked', address: req.ip ?? null, detail: { unlockAt } });
    res.status(429).json({ error: { code: ERROR_CODES.LOCKED, message: `đăng nhập sai quá nhiều lần; tạm khóa đến ${hhmm(unlockAt)}`, unlockAt } });
  };
  // Failed attempts only count (skipSuccessfulRequests); the sixth wrong password within the window is refused.
  const perAddress = rateLimit({ windowMs, limit: deps.loginLimits?.perAddress ?? 20, skipSuccessfulRequests: true, standardHeaders: 'draft-8', legacyHeaders: false, handler: locked });
  const perUser = rateLimit({
    windowMs,
    limit: deps.loginLimits?.perUser ?? 5,
    skipSuccessfulRequests: true,
    standardHeaders: false,
    legacyHeaders: false,
    keyGenerator: (req) => `user:${typeof req.body?.username === 'string' ? String(req.body.username).trim().toLowerCase().slice(0, 64) : ''}`,
    handler: locked,
  });

  const answerMe = async (req: Request, res: Response, p: Principal) => {
    req.session.csrf ??= identity.newCsrfToken();
    await save(req.session);
    const out: MeResponse = { user: me(p), csrfToken: req.session.csrf };
    res.json(out);
  };

  r.post('/api/auth/login', publicRoute, body, perAddress, perUser, async (req, res, next) => {
    try {
      if (!sameOrigin(req)) return forbidden(res, 'đăng nhập từ trang khác bị từ chối (cross-site login)');
      const q = loginRequestSchema.safeParse(req.body);
      if (!q.success) return badRequest(res, q.error.issues);
      const v = await identity.users.verifyPassword(q.data.username, q.data.password);
      if ('error' in v) {
        await identity.record({ actor: q.data.username, action: 'login.failure', address: req.ip ?? null, detail: { reason: v.error } });
        res.status(401).json({ error: { code: ERROR_CODES.UNAUTHORIZED, message: v.error === 'disabled' ? 'tài khoản đã bị khóa' : 'sai tên đăng nhập hoặc mật khẩu' } });
        return;
      }
      // A new session id at login: a session fixed before it is worth nothing after.
      await regenerate(req.session);
      req.session.principal = `user:${v.user.id}`;
      req.session.csrf = identity.newCsrfToken();
      req.session.cookie.maxAge = PERSON_SESSION_MS;
      await identity.record({ actor: v.user.username, action: 'login.success', address: req.ip ?? null });
      const p = await identity.resolve(req.session.principal);
      if (!p) return unauthorized(res);
      await answerMe(req, res, p);
    } catch (err) {
      next(err);
    }
  });

  r.post('/api/auth/logout', publicRoute, async (req, res, next) => {
    try {
      const p = principalOf(res);
      if (!p) return unauthorized(res);
      // A logout is a write: it needs the CSRF token like any other (the csrf middleware checked it).
      await destroy(req.session);
      res.clearCookie('ioc.sid');
      await identity.record({ actor: p.username, action: 'logout', address: req.ip ?? null });
      identity.ended(p.key, 'logout');
      res.status(204).end();
    } catch (err) {
      next(err);
    }
  });

  r.get('/api/auth/me', publicRoute, async (req, res, next) => {
    const p = principalOf(res);
    if (!p) return unauthorized(res);
    answerMe(req, res, p).catch(next);
  });

  // ---- users (admin) ----
  r.get('/api/admin/users', allow('users.manage'), async (_req, res, next) => {
    try {
      res.json({ users: (await identity.users.list()).map(summary) });
    } catch (err) {
      next(err);
    }
  });

  r.post('/api/admin/users', allow('users.manage'), body, async (req, res, next) => {
    try {
      const q = createUserSchema.safeParse(req.body);
      if (!q.success) return badRequest(res, q.error.issues);
      if (await identity.users.byName(q.data.username)) {
        res.status(409).json({ error: { code: ERROR_CODES.BAD_REQUEST, message: `tên đăng nhập '${q.data.username}' đã có` } });
        return;
      }
      const u = await identity.users.create(q.data);
      await identity.record({ actor: who(res).username, action: 'user.create', target: u.username, detail: { role: u.role, communes: u.communes }, address: req.ip ?? null });
      res.status(201).json({ user: summary(u) });
    } catch (err) {
      next(err);
    }
  });

  r.patch('/api/admin/users/:username', allow('users.manage'), body, async (req: Request<{ username: string }>, res, next) => {
    try {
      const q = updateUserSchema.safeParse(req.body);
      if (!q.success) return badRequest(res, q.error.issues);
      const actor = who(res);
      const before = await identity.users.byName(req.params.username);
      if (!before) {
        res.status(404).json({ error: { code: ERROR_CODES.NOT_FOUND, message: `không có người dùng '${req.params.username}'` } });
        return;
      }
      if (before.id === actor.id && actor.kind === 'user' && (q.data.disabled || (q.data.role && q.data.role !== 'admin'))) {
        return forbidden(res, 'không thể tự khóa hoặc tự bỏ quyền quản trị của mình');
      }
      const u = (await identity.users.update(req.params.username, q.data))!;
      const { password, ...shown } = q.data;
      await identity.record({ actor: actor.username, action: q.data.disabled ? 'user.disable' : 'user.update', target: u.username, detail: { ...shown, passwordChanged: password !== undefined }, address: req.ip ?? null });
      if (password !== undefined) await identity.record({ actor: actor.username, action: 'user.password', target: u.username, address: req.ip ?? null });
      const key = `user:${u.id}`;
      if (u.disabled) {
        await identity.sessions.destroyPrincipal(key);
        identity.ended(key, 'disabled');
      } else if (u.role !== before.role || JSON.stringify(u.communes) !== JSON.stringify(before.communes)) identity.ended(key, 'role-changed');
      else identity.forget(key);
      res.json({ user: summary(u) });
    } catch (err) {
      next(err);
    }
  });

  // ---- wall displays (admin) ----
  r.get('/api/admin/displays', allow('displays.manage'), async (_req, res, next) => {
    try {
      res.json({ displays: await identity.displays.list() });
    } catch (err) {
      next(err);
    }
  });

  r.post('/api/admin/displays', allow('displays.manage'), body, async (req, res, next) => {
    try {
      const q = createDisplaySchema.safeParse(req.body);
      if (!q.success) return badRequest(res, q.error.issues);
      const actor = who(res);
      const d = await identity.displays.create(q.data.name, actor.username);
      await identity.record({ actor: actor.username, action: 'display.create', target: String(d.id), detail: { name: d.name }, address: req.ip ?? null });
      const out: CreatedDisplay = { ...d, bindPath: `/?display=${d.token}` };
      res.status(201).json(out);
    } catch (err) {
      next(err);
    }
  });

  r.delete('/api/admin/displays/:id', allow('displays.manage'), async (req: Request<{ id: string }>, res, next) => {
    try {
      const id = Number(req.params.id);
      if (!Number.isSafeInteger(id) || !(await identity.displays.revoke(id))) {
        res.status(404).json({ error: { code: ERROR_CODES.NOT_FOUND, message: `không có màn hình đang hoạt động #${req.params.id}` } });
        return;
      }
      await identity.record({ actor: who(res).username, action: 'display.revoke', target: String(id), address: req.ip ?? null });
      const key = `display:${id}`;
      await identity.sessions.destroyPrincipal(key);
      identity.ended(key, 'revoked');
      res.status(204).end();
    } catch (err) {
      next(err);
    }
  });

  // ---- audit (auditor, admin) ----
  r.get('/api/audit', allow('audit.read'), async (req, res, next) => {
    try {
      const q = auditQuerySchema.safeParse(req.query);
      if (!q.success) return badRequest(res, q.error.issues);
      res.json({ entries: await identity.audit.query(q.data) });
    } catch (err) {
      next(err);
    }
  });

  // ---- one plate, unmasked (operator, with a reason, audited first) ----
  r.post('/api/traffic/violations/:id/unmask', allow('plate.unmask'), body, async (req: Request<{ id: string }>, res, next) => {
    try {
      const q = unmaskRequestSchema.safeParse(req.body);
      if (!q.success) return badRequest(res, q.error.issues);
      const p = who(res);
      const id = req.params.id;
      const commune = deps.violations.communeOf(id);
      if (p.communes && (!commune || !p.communes.includes(commune))) return forbidden(res, 'vi phạm ngoài phạm vi xã/phường của tài khoản');
      const plate = deps.violations.rawPlate(id);
      if (plate === undefined) {
        res.status(404).json({ error: { code: ERROR_CODES.NOT_FOUND, message: `không còn biển số gốc của vi phạm '${id}' (đã quá hạn lưu hoặc không có)` } });
        return;
      }
      // The audit row commits before the plate is answered: no row, no plate.
      const auditId = await identity.audit.append({ actor: p.username, action: 'plate.unmask', target: id, detail: { reason: q.data.reason }, address: req.ip ?? null });
      const out: UnmaskResponse = { violationId: id, plate, auditId };
      res.setHeader('Cache-Control', 'no-store');
      res.json(out);
    } catch (err) {
      next(err);
    }
  });

  return r;
}

/**
 * `/?display=<token>` binds this browser to a wall display (a year-long `display` session) and sends it to
 * the wall without the token in the address bar. A bad or revoked token goes to the login page.
 */
export function bindDisplay(identity: Identity): express.RequestHandler {
  return (req, res, next) => {
    const token = req.query.display;
    if (typeof token !== 'string') return next();
    (async () => {
      const d = await identity.displays.byToken(token);
      if (!d) {
        await identity.record({ actor: 'anonymous', action: 'display.bind', detail: { ok: false }, address: req.ip ?? null });
        res.redirect(303, '/login?error=display');
        return;
      }
      await regenerate(req.session);
      req.session.principal = `display:${d.id}`;
      req.session.csrf = identity.newCsrfToken();
      req.session.cookie.maxAge = DISPLAY_SESSION_MS;
      await save(req.session);
      await identity.record({ actor: `display:${d.name}`, action: 'display.bind', target: String(d.id), detail: { ok: true }, address: req.ip ?? null });
      res.redirect(303, '/');
    })().catch(next);
  };
}
