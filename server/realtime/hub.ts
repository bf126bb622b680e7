/**
 * Socket.IO side of the realtime flow: the handshake checks the protocol version; a client subscribes to
 * a view and gets a snapshot (seq N) in the ack; each tick's result (server/pipeline.ts) is serialised
 * once per view into a delta (seq N+1, …) sent to the view's room. The hub advances no state of its own
 * beyond the views' sequence numbers. Deltas are reliable (not volatile), so a sequence gap only follows
 * a reconnect, and the client resubscribes.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { z } from 'zod';
import type { ClientToServerEvents, ServerToClientEvents, ViewName, ViewSnapshot } from '../../shared/events';
import { ERROR_CODES, PROTOCOL_VERSION, assertNever, type Ack } from '../../shared/protocol';
import {
  alarmAckRequestSchema,
  alarmAssignRequestSchema,
  alarmResolveRequestSchema,
  subscribeRequestSchema,
} from '../../shared/requests';
import type { AlarmActionResult } from '../../shared/alarms';
import type { TickResult } from '../pipeline';
import { consoleDelta, consoleSnapshot, mobileFrame, wallDelta, wallSnapshot, type FrameSources } from './frames';

export interface HubOptions {
  /** The mobile view is sent every Nth tick: a phone needs no 4 Hz. */
  mobileEveryTicks: number;
  now: () => number;
}

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
  private ticks = 0;
  private lastPublishMs = 0;

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

  /** One coalesced frame per watched view from one tick's result; views nobody watches cost nothing. */
  publish(r: TickResult): void {
    const t0 = performance.now();
    this.ticks++;
    if (this.roomSize('wall') > 0) this.io.to(room('wall')).emit('view:delta', wallDelta(this.src, ++this.seq.wall, r));
    if (this.roomSize('console') > 0) {
      const withHealth = r.at - this.lastHealthAt >= CONSOLE_HEALTH_EVERY_MS;
      if (withHealth) this.lastHealthAt = r.at;
      this.io.to(room('console')).emit('view:delta', consoleDelta(this.src, ++this.seq.console, r, withHealth));
    }
    if (r.tick % this.opts.mobileEveryTicks === 0 && this.roomSize('mobile') > 0) {
      this.io.to(room('mobile')).emit('view:delta', mobileFrame(this.src, ++this.seq.mobile, r.at));
    }
    this.lastPublishMs = performance.now() - t0;
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

  /** Sockets subscribed to each view (a socket may watch several). */
  viewers(): Record<ViewName, number> {
    return { wall: this.roomSize('wall'), mobile: this.roomSize('mobile'), console: this.roomSize('console') };
  }

  stats(): HubStats {
    return { clients: this.io.engine.clientsCount, ticks: this.ticks, seq: { ...this.seq }, lastPublishMs: this.lastPublishMs };
  }

  async close(): Promise<void> {
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
    /** A request handler: validated with its schema, answered with exactly one ack. */
    const handle =
      <T extends z.ZodType, R>(schema: T, run: (req: z.infer<T>) => Ack<R> | AlarmActionResult<R>) =>
      (req: unknown, ack: unknown) => {
        if (typeof ack !== 'function') return;
        const r = schema.safeParse(req);
        if (!r.success) {
          ack(badRequest(r.error.issues.map((i) => i.message).join('; ')));
          return;
        }
        ack(run(r.data));
      };
    socket.on(
      'view:subscribe',
      handle(subscribeRequestSchema, ({ view }) => {
        // Join and snapshot in the same turn of the event loop: the next delta is seq + 1.
        void socket.join(room(view));
        return { data: this.snapshot(view) };
      }),
    );
    socket.on(
      'view:unsubscribe',
      handle(subscribeRequestSchema, ({ view }) => {
        void socket.leave(room(view));
        return { data: { view } };
      }),
    );
    socket.on('alarm:acknowledge', handle(alarmAckRequestSchema, (r) => this.src.alarms.acknowledge(r.id, r.actor, r.note)));
    socket.on('alarm:assign', handle(alarmAssignRequestSchema, (r) => this.src.alarms.assign(r.id, r.actor, r.assignee)));
    socket.on('alarm:resolve', handle(alarmResolveRequestSchema, (r) => this.src.alarms.resolve(r.id, r.actor, r.note)));
  }
}

function room(view: ViewName): string {
  return `view:${view}`;
}

function badRequest(message: string): Ack<never> {
  return { error: { code: ERROR_CODES.BAD_REQUEST, message } };
}
