/**
 * Socket.IO side of the realtime flow: the handshake checks the protocol version; a client
 * subscribes to a view and gets a snapshot (seq N) in the ack; every tick one delta per view
 * (seq N+1, ...) is built once and sent to the view's room. Deltas are reliable (not volatile),
 * so a sequence gap only follows a reconnect, and the client resubscribes.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import {
  VIEWS,
  type ClientToServerEvents,
  type DevicePatch,
  type ServerToClientEvents,
  type ViewName,
  type ViewSnapshot,
} from '../../shared/events';
import { ERROR_CODES, PROTOCOL_VERSION, assertNever, type Ack } from '../../shared/protocol';
import { consoleDelta, consoleSnapshot, mobileFrame, patchOf, wallDelta, wallSnapshot, type FrameSources } from './frames';
import type { AlarmActionResult } from '../../shared/alarms';

export interface HubOptions {
  tickMs: number;
  /** The mobile view is sent every Nth tick: a phone needs no 4 Hz. */
  mobileEveryTicks: number;
  now: () => number;
  /** Runs each tick before frames are built: the domains advance (env, traffic, alarms). */
  beforeFrame?: (now: number, tick: number) => void;
}

const subscribeSchema = z.object({ view: z.enum(VIEWS) });
const actor = z.string().trim().min(1, 'operator name required').max(64);
const note = z.string().trim().max(2000);
const ackSchema = z.object({ id: z.number().int().positive(), actor, note: note.optional() });
const assignSchema = z.object({ id: z.number().int().positive(), actor, assignee: actor });
const resolveSchema = z.object({ id: z.number().int().positive(), actor, note: note.min(1, 'a note is required to resolve') });
/** Health rides on a console frame about every 5 s. */
const CONSOLE_HEALTH_EVERY_MS = 5000;

type IoServer = Server<ClientToServerEvents, ServerToClientEvents>;
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export interface HubStats {
  clients: number;
  ticks: number;
  seq: Record<ViewName, number>;
  lastTickMs: number;
}

export class RealtimeHub {
  readonly io: IoServer;
  private readonly seq: Record<ViewName, number> = { wall: 0, mobile: 0, console: 0 };
  private lastHealthAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;
  private lastTickMs = 0;

  constructor(
    http: HttpServer,
    private readonly src: FrameSources,
    private readonly opts: HubOptions,
  ) {
    this.io = new Server<ClientToServerEvents, ServerToClientEvents>(http, {
      serveClient: false,
      // Compression costs far more CPU than it saves at this fan-out (TOOLCHAIN.md).
      perMessageDeflate: false,
      httpCompression: false,
    });
    this.io.use((socket, next) => {
      const v = (socket.handshake.auth as { protocolVersion?: unknown } | undefined)?.protocolVersion;
      if (v !== PROTOCOL_VERSION) {
        const err = new Error(ERROR_CODES.PROTOCOL_MISMATCH) as Error & { data?: unknown };
        err.data = { expected: PROTOCOL_VERSION, got: v ?? null };
        next(err);
        return;
      }
      next();
    });
    this.io.on('connection', (socket) => this.onConnection(socket));
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.opts.tickMs);
    this.timer.unref();
  }

  /** One coalesced frame per view. Public so tests can drive it without timers. */
  tick(): void {
    const t0 = performance.now();
    const now = this.opts.now();
    const { table, rate } = this.src;
    rate.roll(now);
    table.sweep(now);
    this.ticks++;
    this.opts.beforeFrame?.(now, this.ticks);
    // Alarm changes go to the wall and the console every tick, reliably and in rev order.
    const alarms = this.src.alarms.takeChanges();
    const wallClients = this.roomSize('wall');
    if (wallClients > 0) {
      const changed: DevicePatch[] = [];
      table.drainDirty((i) => changed.push(patchOf(this.src, i)));
      this.io.to(room('wall')).emit('view:delta', wallDelta(this.src, ++this.seq.wall, now, changed, rate.takeNew(), alarms));
    } else {
      // Nobody watches: forget what changed; a new subscriber starts from a snapshot anyway.
      table.drainDirty(noop);
      rate.takeNew();
      this.src.env.takeChangedCommunes();
      this.src.traffic.discardDelta();
    }
    if (this.roomSize('console') > 0) {
      const withHealth = now - this.lastHealthAt >= CONSOLE_HEALTH_EVERY_MS;
      if (withHealth) this.lastHealthAt = now;
      this.io.to(room('console')).emit('view:delta', consoleDelta(this.src, ++this.seq.console, now, alarms, withHealth));
    }
    if (this.ticks % this.opts.mobileEveryTicks === 0 && this.roomSize('mobile') > 0) {
      this.io.to(room('mobile')).emit('view:delta', mobileFrame(this.src, ++this.seq.mobile, now));
    }
    this.lastTickMs = performance.now() - t0;
  }

  snapshot(view: ViewName): ViewSnapshot {
    const now = this.opts.now();
    switch (view) {
      case 'wall':
        return wallSnapshot(this.src, this.seq.wall, now);
      case 'mobile':
        return mobileFrame(this.src, this.seq.mobile, now);
      case 'console':
        return consoleSnapshot(this.src, this.seq.console, now);
      default:
        return assertNever(view, 'view');
    }
  }

  stats(): HubStats {
    return { clients: this.io.engine.clientsCount, ticks: this.ticks, seq: { ...this.seq }, lastTickMs: this.lastTickMs };
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.io.disconnectSockets(true);
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
    socket.on('view:subscribe', (req, ack) => {
      if (typeof ack !== 'function') return;
      const r = subscribeSchema.safeParse(req);
      if (!r.success) {
        ack(badRequest(r.error.issues[0]?.message ?? 'bad request'));
        return;
      }
      // Join and snapshot in the same turn of the event loop: the next delta is seq + 1.
      void socket.join(room(r.data.view));
      ack({ data: this.snapshot(r.data.view) });
    });
    const action = <T extends z.ZodType>(schema: T, run: (req: z.infer<T>) => AlarmActionResult<unknown>) =>
      (req: unknown, ack: unknown) => {
        if (typeof ack !== 'function') return;
        const r = schema.safeParse(req);
        if (!r.success) {
          ack(badRequest(r.error.issues.map((i) => i.message).join('; ')));
          return;
        }
        ack(run(r.data));
      };
    socket.on('alarm:acknowledge', action(ackSchema, (r) => this.src.alarms.acknowledge(r.id, r.actor, r.note)));
    socket.on('alarm:assign', action(assignSchema, (r) => this.src.alarms.assign(r.id, r.actor, r.assignee)));
    socket.on('alarm:resolve', action(resolveSchema, (r) => this.src.alarms.resolve(r.id, r.actor, r.note)));
    socket.on('view:unsubscribe', (req, ack) => {
      if (typeof ack !== 'function') return;
      const r = subscribeSchema.safeParse(req);
      if (!r.success) {
        ack(badRequest(r.error.issues[0]?.message ?? 'bad request'));
        return;
      }
      void socket.leave(room(r.data.view));
      ack({ data: { view: r.data.view } });
    });
  }
}

function room(view: ViewName): string {
  return `view:${view}`;
}

function badRequest(message: string): Ack<never> {
  return { error: { code: ERROR_CODES.BAD_REQUEST, message } };
}

function noop(): void {}
