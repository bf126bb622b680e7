/**
 * The one typed socket (STYLE.md 12): components never import socket.io-client.
 *
 * Subscribe → snapshot (with seq) → one delta per tick with seq + 1. A gap, a registry change or
 * a reconnect leads to a fresh subscribe; deltas are dropped until its snapshot arrives. When
 * frames stop (disconnect, or a silent server) the store is marked offline with the time of the
 * newest data, so the UI can say honestly how old what it shows is.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, ViewDelta, ViewName, ViewSnapshot } from '../../shared/events';
import { DEFAULT_TICK_MS, ERROR_CODES, PROTOCOL_VERSION, type AckError } from '../../shared/protocol';
import type { LiveStore } from '../store/liveStore';
import { fetchDevices, type DevicesResponse } from './api';
import { phases } from '../perf/phases';

export type IocSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface LiveConnectionOptions {
  view: ViewName;
  store: LiveStore;
  /** Injected in tests; by default a socket to the page's own origin. */
  socket?: IocSocket;
  loadRegistry?: () => Promise<DevicesResponse>;
  now?: () => number;
  /** How long a subscribe may go unanswered before it is retried. */
  subscribeTimeoutMs?: number;
  /** Pause before retrying a failed subscribe or registry load. */
  retryDelayMs?: number;
  /** The server refused the handshake for want of a session (expired, logged out, revoked). */
  onUnauthorized?: () => void;
  /** Called with each frame after the store applied it (the alarm store reads its part here). */
  onFrame?: (frame: ViewSnapshot | ViewDelta, kind: 'snapshot' | 'delta') => void;
}

export interface LiveConnection {
  /** Forces a fresh snapshot (also what a gap does). */
  resubscribe(): void;
  /**
   * The wall's time machine left live: unsubscribe, and apply no live frame (nor report its absence as
   * stale) until `resume`.
   */
  pause(): void;
  /** Back to live: a fresh subscribe, whose snapshot replaces whatever the past left in the stores. */
  resume(): void;
  close(): void;
}

export function createSocket(): IocSocket {
  return io({
    auth: { protocolVersion: PROTOCOL_VERSION },
    autoConnect: false,
    // WebSocket first: one long-lived connection per screen, no long-polling round trips.
    // Polling stays as the fallback for networks that block WebSocket.
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    // A wall runs for months: never give up reconnecting, but do not hammer a restarting server.
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
  });
}

export function connectLive(options: LiveConnectionOptions): LiveConnection {
  const { view, store } = options;
  const socket = options.socket ?? createSocket();
  const loadRegistry = options.loadRegistry ?? (() => fetchDevices());
  const now = options.now ?? Date.now;
  const subscribeTimeoutMs = options.subscribeTimeoutMs ?? 10_000;
  const retryDelayMs = options.retryDelayMs ?? 2_000;

  let closed = false;
  let paused = false;
  /** Bumped by every subscribe and disconnect so that late answers to older requests are ignored. */
  let generation = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let lastFrameAt = now();

  const staleAfterMs = (): number => Math.max(3 * (store.province?.tickMs ?? DEFAULT_TICK_MS), 3_000);

  const retryLater = (): void => {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => {
      if (!closed && !paused && socket.connected) subscribe();
    }, retryDelayMs);
  };

  const subscribe = (): void => {
    clearTimeout(retryTimer);
    const gen = ++generation;
    store.beginResync();
    socket.timeout(subscribeTimeoutMs).emit('view:subscribe', { view }, (err, res) => {
      if (closed || gen !== generation) return;
      if (err) return retryLater();
      if ('error' in res) {
        reportAckError(res.error);
        return retryLater();
      }
      void accept(res.data, gen);
    });
  };

  const accept = async (snap: ViewSnapshot, gen: number): Promise<void> => {
    if (store.registry?.version !== snap.registryVersion) {
      let reg: DevicesResponse;
      try {
        reg = await loadRegistry();
      } catch (e) {
        if (!closed && gen === generation) {
          store.setLoadError(`Không tải được danh mục thiết bị: ${String(e)}`);
          retryLater();
        }
        return;
      }
      if (closed || gen !== generation) return;
      store.setRegistry(reg.registryVersion, reg.devices);
      // It changed again while we were fetching: the snapshot is for another registry.
      if (reg.registryVersion !== snap.registryVersion) return subscribe();
    }
    if (store.applySnapshot(snap) !== 'applied') return retryLater();
    if (store.loadError) store.setLoadError(null);
    lastFrameAt = now();
    notifyFrame(snap, 'snapshot');
  };

  const onConnect = (): void => {
    // In the past the link is back but no live frame is wanted: say it is up, subscribe on resume.
    if (paused) store.setConnection('online');
    else subscribe();
  };
  const onDelta: ServerToClientEvents['view:delta'] = (delta) => {
    if (paused) return;
    const result = phases.time('store', () => store.applyDelta(delta));
    if (result === 'applied') {
      lastFrameAt = now();
      notifyFrame(delta, 'delta');
    } else if (result === 'gap' || result === 'registryChanged') subscribe();
  };
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  const onDisconnect = (reason: string): void => {
    generation++;
    clearTimeout(retryTimer);
    store.beginResync();
    if (store.connection.status === 'mismatch') return;
    store.setConnection('offline');
    // socket.io reconnects by itself after a lost link, but not when the server closed the
    // connection (a restart or deploy): a wall must come back on its own, so dial again.
    if (reason === 'io server disconnect' && !closed) {
      clearTimeout(reconnectTimer);
      reconnectTimer = setTimeout(() => {
        if (!closed && !socket.connected && store.connection.status !== 'mismatch') socket.connect();
      }, retryDelayMs);
    }
  };
  const onConnectError = (err: Error): void => {
    if (err.message === ERROR_CODES.PROTOCOL_MISMATCH) {
      // The server will refuse this build forever: stop retrying and ask for a reload.
      store.setConnection('mismatch');
      socket.disconnect();
      return;
    }
    if (err.message === ERROR_CODES.UNAUTHORIZED) options.onUnauthorized?.();
    store.setConnection(store.seq === null ? 'connecting' : 'offline');
  };

  socket.on('connect', onConnect);
  socket.on('view:delta', onDelta);
  socket.on('disconnect', onDisconnect);
  socket.on('connect_error', onConnectError);

  // Frames stopping while the socket still looks connected (a stalled server, a half-open link)
  // is shown like a disconnect: the data is old, say since when.
  const watchdog = setInterval(() => {
    if (!paused && store.connection.status === 'online' && now() - lastFrameAt > staleAfterMs()) {
      store.setConnection('offline');
    }
  }, 1_000);

  if (!socket.connected) socket.connect();
  else subscribe();

  function notifyFrame(frame: ViewSnapshot | ViewDelta, kind: 'snapshot' | 'delta'): void {
    try {
      // The frame's other readers (the alarm store) are the store part of an update too (client/perf/phases.ts).
      phases.time('store', () => options.onFrame?.(frame, kind));
    } catch (e) {
      // A reader's bug must not stop the live connection.
      console.error('onFrame failed', e);
    }
  }

  function reportAckError(error: AckError): void {
    store.setLoadError(`Máy chủ từ chối đăng ký (${error.code}): ${error.message}`);
  }

  return {
    resubscribe: () => {
      if (socket.connected && !paused) subscribe();
    },
    pause: () => {
      if (paused) return;
      paused = true;
      // A snapshot on its way would overwrite the past: its answer is ignored.
      generation++;
      clearTimeout(retryTimer);
      if (socket.connected) socket.emit('view:unsubscribe', { view }, () => {});
    },
    resume: () => {
      if (!paused) return;
      paused = false;
      lastFrameAt = now();
      if (socket.connected) subscribe();
    },
    close: () => {
      closed = true;
      clearTimeout(retryTimer);
      clearTimeout(reconnectTimer);
      clearInterval(watchdog);
      socket.off('connect', onConnect);
      socket.off('view:delta', onDelta);
      socket.off('disconnect', onDisconnect);
      socket.off('connect_error', onConnectError);
      socket.disconnect();
    },
  };
}
