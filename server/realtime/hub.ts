/**
 * Socket.IO side of the realtime flow: the handshake checks the protocol version; a client subscribes to
 * a view and gets a snapshot (seq N) in the ack; each tick's result (server/pipeline.ts) is serialised
 * once per view into a delta (seq N+1, …) sent to the view's room. The hub advances no state of its own
 * beyond the views' sequence numbers. Deltas are reliable (not volatile), so a sequence gap only follows
 * a reconnect, and the client resubscribes.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import type { z } from 'zod';
import type { ClientToServerEvents, ServerToClientEvents, ViewName, ViewSnapshot } from '../../shared/events';
import { ERROR_CODES, PROTOCOL_VERSION, assertNever, type Ack } from '../../shared/protocol';
import {
  alarmAckRequestSchema,
  alarmAssignRequestSchema,
  alarmResolveRequestSchema,
  subscribeRequestSchema,
} from '../../shared/requests';
import type { AlarmActionResult, AlarmHealth } from '../../shared/alarms';
import { can, type Permission, type SessionEndReason } from '../../shared/auth';
import type { AlarmHealthCache } from '../alarms/health';
import type { Logger } from '../log';
import type { TickResult } from '../pipeline';
import type { AlarmRecords } from '../store/alarmRecords';
import { inScope, type Identity, type Principal } from '../security/identity';
import { consoleDelta, consoleSnapshot, mobileFrame, scopeMobileFrame, wallDelta, wallSnapshot, type FrameSources } from './frames';

export interface HubOptions {
  /** The mobile view is sent every Nth tick: a phone needs no 4 Hz. */
  mobileEveryTicks: number;
  now: () => number;
  /** Sessions: the handshake needs one, and every event checks its principal's role and scope. */
  identity: Identity;
  /** A device index's commune (the phone frame of a commune-scoped user). */
  communeOf: (i: number) => string;
  /** Origins besides the server's own that may open a socket (a reverse proxy's public name). */
  allowedOrigins?: readonly string[];
  /**
   * In a cluster: the Socket.IO Redis streams adapter, and WebSocket only (a long-polling client's requests
   * could land on another instance behind a balancer without sticky sessions). Frames stay local (`io.local`):
   * every instance builds its own clients' frames from the same state; what crosses instances through the
   * adapter is what concerns a principal wherever it is connected (a logout, a revoked display).
   */
  adapter?: ServerOptions['adapter'];
  /** The stored alarms: a closed alarm's commune, for a commune-scoped user's action on it. */
  alarmRecords: Pick<AlarmRecords, 'get'>;
  /** The console's alarm health (a query of the store, cached). */
  alarmHealth: Pick<AlarmHealthCache, 'get'>;
  /** Where a request that failed on a store read is reported (it is answered UNAVAILABLE). */
  log?: Pick<Logger, 'warn'>;
}

/**
 * What each client event needs. The hub refuses to register a handler for an event not listed here, and the
 * table-driven security test walks this list.
 */
export const SOCKET_EVENT_ACCESS: Record<keyof ClientToServerEvents, Permission> = {
  'view:subscribe': 'read',
  'view:unsubscribe': 'read',
  'alarm:acknowledge': 'alarm.acknowledge',
  'alarm:assign': 'alarm.assign',
  'alarm:resolve': 'alarm.resolve',
};

/** Every principal's sockets are re-checked this often: a display's last-seen time, a change on another instance. */
const RECHECK_MS = 30_000;

/** Health rides on a console frame about every 5 s. */
const CONSOLE_HEALTH_EVERY_MS = 5000;

type IoServer = Server<ClientToServerEvents, ServerToClientEvents>;
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export interface HubStats {
  clients: number;
  ticks: number;
  seq: Record<ViewName, number>;
  lastPublishMs: number;
}

export class RealtimeHub {
  readonly io: IoServer;
  private readonly seq: Record<ViewName, number> = { wall: 0, mobile: 0, console: 0 };
  private lastHealthAt = 0;
  /** Health computed since the last console delta, for the next one. */
  private healthDue: AlarmHealth | undefined;
  private ticks = 0;
  private lastPublishMs = 0;
  private readonly recheck: NodeJS.Timeout;
  /** Rooms of commune-scoped phones: room name → its communes (bounded by the scoped sockets connected). */
  private readonly scopedMobile = new Map<string, ReadonlySet<string>>();

  constructor(
    http: HttpServer,
    private readonly src: FrameSources,
    private readonly opts: HubOptions,
  ) {
    this.io = new Server<ClientToServerEvents, ServerToClientEvents>(http, {
      serveClient: false,
      ...(opts.adapter ? { adapter: opts.adapter, transports: ['websocket'] as const } : {}),
      // Compression costs far more CPU than it saves at this fan-out (TOOLCHAIN.md).
      perMessageDeflate: false,
      httpCompression: false,
      // Cross-site WebSocket hijacking: a browser always sends Origin; only our own (or listed) ones pass.
      allowRequest: (req, cb) => cb(null, originAllowed(req.headers.origin, req.headers.host, opts.allowedOrigins ?? [])),
    });
    // The same session as the HTTP API (express-session on the handshake request).
    this.io.engine.use(opts.identity.sessionMiddleware);
    this.io.use((socket, next) => {
      const v = (socket.handshake.auth as { protocolVersion?: unknown } | undefined)?.protocolVersion;
      if (v !== PROTOCOL_VERSION) {
        const err = new Error(ERROR_CODES.PROTOCOL_MISMATCH) as Error & { data?: unknown };
        err.data = { expected: PROTOCOL_VERSION, got: v ?? null };
        next(err);
        return;
      }
      const key = (socket.request as { session?: { principal?: string } }).session?.principal;
      opts.identity.resolve(key).then(
        (p) => {
          if (!p) {
            next(new Error(ERROR_CODES.UNAUTHORIZED));
            return;
          }
          socket.data.principal = p.key;
          void socket.join(principalRoom(p.key));
          next();
        },
        () => next(new Error(ERROR_CODES.UNAUTHORIZED)),
      );
    });
    opts.identity.onPrincipalEnded = (key, reason) => this.endPrincipal(key, reason);
    this.io.on('connection', (socket) => this.onConnection(socket));
    this.recheck = setInterval(() => void this.recheckPrincipals(), RECHECK_MS);
    this.recheck.unref();
  }

  /** Tells a principal's sockets why, then ends them (logout, a revoked display, a role change). */
  endPrincipal(key: string, reason: SessionEndReason): void {
    const r = principalRoom(key);
    this.io.to(r).emit('session:ended', { reason });
    this.io.in(r).disconnectSockets(true);
  }

  private async recheckPrincipals(): Promise<void> {
    const keys = new Set<string>();
    for (const s of this.io.sockets.sockets.values()) if (typeof s.data.principal === 'string') keys.add(s.data.principal);
    for (const key of keys) {
      const p = await this.opts.identity.resolve(key).catch(() => undefined);
      if (p === null) this.endPrincipal(key, key.startsWith('display:') ? 'revoked' : 'expired');
    }
  }

  /** One coalesced frame per watched view from one tick's result; views nobody watches cost nothing. */
  publish(r: TickResult): void {
    const t0 = performance.now();
    this.ticks++;
    if (this.roomSize('wall') > 0) this.io.local.to(room('wall')).emit('view:delta', wallDelta(this.src, ++this.seq.wall, r));
    if (this.roomSize('console') > 0) {
      // Health is a query: asked for now, it rides on the first console delta after it is answered. A failure
      // was reported by the cache; the next ask is 5 s on.
      if (r.at - this.lastHealthAt >= CONSOLE_HEALTH_EVERY_MS) {
        this.lastHealthAt = r.at;
        this.opts.alarmHealth.get(r.at).then(
          (h) => (this.healthDue = h),
          () => undefined,
        );
      }
      const health = this.healthDue;
      this.healthDue = undefined;
      this.io.local.to(room('console')).emit('view:delta', consoleDelta(this.src, ++this.seq.console, r, health));
    }
    if (r.tick % this.opts.mobileEveryTicks === 0 && (this.roomSize('mobile') > 0 || this.scopedMobile.size > 0)) {
      const frame = mobileFrame(this.src, ++this.seq.mobile, r.at);
      if (this.roomSize('mobile') > 0) this.io.local.to(room('mobile')).emit('view:delta', frame);
      for (const [name, communes] of this.scopedMobile) {
        if ((this.io.sockets.adapter.rooms.get(name)?.size ?? 0) === 0) this.scopedMobile.delete(name);
        else this.io.local.to(name).emit('view:delta', scopeMobileFrame(this.src, frame, communes, this.opts.communeOf));
      }
    }
    this.lastPublishMs = performance.now() - t0;
  }

  /**
   * Joins a socket to a view and answers its snapshot, both in one turn of the event loop: the next delta is
   * seq + 1. The console's alarm health is a query, awaited before the join.
   */
  private async join(socket: IoSocket, view: ViewName): Promise<ViewSnapshot> {
    switch (view) {
      case 'wall':
        void socket.join(room(view));
        return wallSnapshot(this.src, this.seq.wall, this.opts.now());
      case 'mobile':
        void socket.join(room(view));
        return mobileFrame(this.src, this.seq.mobile, this.opts.now());
      case 'console': {
        const health = await this.opts.alarmHealth.get(this.opts.now());
        void socket.join(room(view));
        return consoleSnapshot(this.src, this.seq.console, this.opts.now(), health);
      }
      default:
        return assertNever(view, 'view');
    }
  }

  /** Sockets subscribed to each view (a socket may watch several). */
  viewers(): Record<ViewName, number> {
    return { wall: this.roomSize('wall'), mobile: this.roomSize('mobile'), console: this.roomSize('console') };
  }

  stats(): HubStats {
    return { clients: this.io.engine.clientsCount, ticks: this.ticks, seq: { ...this.seq }, lastPublishMs: this.lastPublishMs };
  }

  async close(): Promise<void> {
    clearInterval(this.recheck);
    this.io.local.disconnectSockets(true);
    // io.close() also closes the HTTP server; the app closes that itself.
    await new Promise<void>((resolve) => {
      this.io.engine.close();
      resolve();
    });
  }

  private roomSize(view: ViewName): number {
    return this.io.sockets.adapter.rooms.get(room(view))?.size ?? 0;
  }

  private onConnection(socket: IoSocket): void {
    const key = socket.data.principal as string;
    /**
     * A request handler: the principal (looked up again, so a role change counts at once) must hold the
     * event's permission; the request is validated with its schema and answered with exactly one ack, also
     * when `run` (which may read a store) fails.
     */
    type Answer<R> = Ack<R> | AlarmActionResult<R>;
    const handle =
      <T extends z.ZodType, R>(event: keyof ClientToServerEvents, schema: T, run: (req: z.infer<T>, p: Principal) => Answer<R> | Promise<Answer<R>>) =>
      (req: unknown, ack: unknown) => {
        if (typeof ack !== 'function') return;
        this.opts.identity.resolve(key).then(
          async (p) => {
            if (!p) return ack(refusal(ERROR_CODES.UNAUTHORIZED, 'phiên đăng nhập đã hết'));
            if (!can(p.role, SOCKET_EVENT_ACCESS[event])) return ack(refusal(ERROR_CODES.FORBIDDEN, `vai trò ${p.role} không được phép: ${SOCKET_EVENT_ACCESS[event]}`));
            const r = schema.safeParse(req);
            if (!r.success) return ack(badRequest(r.error.issues.map((i) => i.message).join('; ')));
            let answer: Answer<R>;
            try {
              answer = await run(r.data, p);
            } catch (err) {
              this.opts.log?.warn({ err, event }, 'socket request failed');
              answer = { error: { code: ERROR_CODES.UNAVAILABLE, message: 'máy chủ chưa đọc được dữ liệu, hãy thử lại' } };
            }
            ack(answer);
          },
          () => ack(refusal(ERROR_CODES.UNAUTHORIZED, 'phiên đăng nhập không kiểm tra được')),
        );
      };
    socket.on(
      'view:subscribe',
      handle('view:subscribe', subscribeRequestSchema, async ({ view }, p): Promise<Ack<ViewSnapshot>> => {
        if (p.communes) {
          // A commune chair gets the phone view of their communes; the wall and console are province-wide.
          if (view !== 'mobile') return refusal(ERROR_CODES.FORBIDDEN, 'tài khoản theo phạm vi xã/phường chỉ xem được màn hình di động');
          const name = `view:mobile:scope:${[...p.communes].sort().join(',')}`;
          if (!this.scopedMobile.has(name)) this.scopedMobile.set(name, new Set(p.communes));
          void socket.join(name);
          return { data: scopeMobileFrame(this.src, mobileFrame(this.src, this.seq.mobile, this.opts.now()), this.scopedMobile.get(name)!, this.opts.communeOf) };
        }
        return { data: await this.join(socket, view) };
      }),
    );
    socket.on(
      'view:unsubscribe',
      handle('view:unsubscribe', subscribeRequestSchema, ({ view }) => {
        void socket.leave(room(view));
        for (const name of this.scopedMobile.keys()) if (view === 'mobile') void socket.leave(name);
        return { data: { view } };
      }),
    );
    const alarmInScope = async (p: Principal, id: number): Promise<boolean> => {
      if (!p.communes) return true;
      const a = this.src.alarms.engine.get(id) ?? (await this.opts.alarmRecords.get(id));
      return !!a && inScope(p, a.commune);
    };
    const outOfScope = refusal(ERROR_CODES.FORBIDDEN, 'cảnh báo ngoài phạm vi xã/phường của tài khoản');
    const audited = async <R>(p: Principal, action: 'acknowledge' | 'assign' | 'resolve', id: number, detail: Record<string, unknown> | null, pending: AlarmActionResult<R> | Promise<AlarmActionResult<R>>) => {
      const r = await pending;
      if (!('error' in r)) void this.opts.identity.record({ actor: p.username, action: `alarm.${action}`, target: String(id), detail });
      return r;
    };
    socket.on(
      'alarm:acknowledge',
      handle('alarm:acknowledge', alarmAckRequestSchema, async (r, p) =>
        (await alarmInScope(p, r.id)) ? audited(p, 'acknowledge', r.id, r.note ? { note: r.note } : null, this.src.alarms.acknowledge(r.id, p.displayName, r.note)) : outOfScope,
      ),
    );
    socket.on(
      'alarm:assign',
      handle('alarm:assign', alarmAssignRequestSchema, async (r, p) =>
        (await alarmInScope(p, r.id)) ? audited(p, 'assign', r.id, { assignee: r.assignee }, this.src.alarms.assign(r.id, p.displayName, r.assignee)) : outOfScope,
      ),
    );
    socket.on(
      'alarm:resolve',
      handle('alarm:resolve', alarmResolveRequestSchema, async (r, p) =>
        (await alarmInScope(p, r.id)) ? audited(p, 'resolve', r.id, { note: r.note }, this.src.alarms.resolve(r.id, p.displayName, r.note)) : outOfScope,
      ),
    );
  }
}

function room(view: ViewName): string {
  return `view:${view}`;
}

function principalRoom(key: string): string {
  return `principal:${key}`;
}

function refusal(code: (typeof ERROR_CODES)['UNAUTHORIZED' | 'FORBIDDEN'], message: string): Ack<never> {
  return { error: { code, message } };
}

/** Same origin as the Host the browser asked, or one listed; no Origin (a tool, not a browser) passes. */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (!origin) return true;
  try {
    const o = new URL(origin);
    return o.host === host || allowed.includes(o.origin);
  } catch {
    return false;
  }
}

function badRequest(message: string): Ack<never> {
  return { error: { code: ERROR_CODES.BAD_REQUEST, message } };
}
