/**
 * N Socket.IO clients (its own process) subscribed to one view, like a wall screen or a phone.
 * Counts the bytes of every engine.io packet they receive (frame payloads, without WebSocket
 * framing) and, for the latency part, the receive time of the patches of probe devices.
 *
 * Config (argv[2], JSON): { url, view, clients, probeEvery }. Commands: { cmd: 'mark' } starts
 * a measurement window, { cmd: 'report' } ends it. Reports: ready { subscribed }, report.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, ViewName, WallDelta } from '../shared/events';
import { unpackDevices } from '../shared/packedDevices';
import { PROTOCOL_VERSION } from '../shared/protocol';
import { childConfig, exitWithParent, report } from './lib/procs';

interface Config {
  /** The session cookie the server's bench user got. */
  cookie: string;
  url: string;
  view: ViewName;
  clients: number;
  probeEvery: number;
}

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const cfg = childConfig<Config>();
const sockets: ClientSocket[] = [];
let bytes = 0;
let frames = 0;
let gaps = 0;
let markedAt = Date.now();
const PATCH_CAP = 2_000_000;
/** Probe device → [ts, recv] in receive order. */
let patches = new Map<number, [number, number][]>();
let patchCount = 0;
/** Per delta: receive time minus the server's build time (`at`), ms. */
let transit: number[] = [];

function probe(i: number, ts: number, recv: number): void {
  if (i % cfg.probeEvery !== 0 || patchCount >= PATCH_CAP) return;
  let list = patches.get(i);
  if (!list) patches.set(i, (list = []));
  list.push([ts, recv]);
  patchCount++;
}

function connectOne(k: number): Promise<void> {
  const s: ClientSocket = io(cfg.url, { transports: ['websocket'], auth: { protocolVersion: PROTOCOL_VERSION }, reconnection: false, forceNew: true, extraHeaders: { cookie: cfg.cookie } });
  sockets.push(s);
  s.io.on('open', () => {
    s.io.engine.on('packet', (p: { data?: unknown }) => {
      if (typeof p.data === 'string') bytes += Buffer.byteLength(p.data) + 1;
      else if (p.data instanceof ArrayBuffer || ArrayBuffer.isView(p.data)) bytes += (p.data as ArrayBuffer).byteLength + 1;
      else bytes += 1;
    });
  });
  let seq = -1;
  s.on('view:delta', (d) => {
    frames++;
    if (seq >= 0 && d.seq !== seq + 1) gaps++;
    seq = d.seq;
    if (k !== 0 || cfg.probeEvery <= 0 || d.view !== 'wall') return;
    const recv = Date.now();
    transit.push(recv - d.at);
    const wall = d as WallDelta;
    for (const p of wall.devices) probe(p.i, p.ts, recv);
    // Bulk IoT devices come packed in a binary attachment.
    const packed = wall.packed ? unpackDevices(wall.packed) : null;
    if (packed) for (let k = 0; k < packed.n; k++) probe(packed.i[k]!, packed.ts[k]!, recv);
  });
  return new Promise<void>((resolve, reject) => {
    s.once('connect_error', (err) => reject(new Error(`client ${k}: ${err.message}`)));
    s.once('connect', () => {
      s.timeout(15_000).emit('view:subscribe', { view: cfg.view }, (err, res) => {
        if (err) return reject(new Error(`client ${k}: subscribe timed out`));
        if ('error' in res) return reject(new Error(`client ${k}: ${res.error.message}`));
        seq = res.data.seq;
        resolve();
      });
    });
  });
}

process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'mark') {
    bytes = 0;
    frames = 0;
    gaps = 0;
    patches = new Map();
    patchCount = 0;
    transit = [];
    markedAt = Date.now();
  } else if (m.cmd === 'report') {
    const seconds = (Date.now() - markedAt) / 1000;
    report({ type: 'report', seconds, bytes, frames, gaps, clients: sockets.length, connected: sockets.filter((s) => s.connected).length, patches: [...patches.entries()], transit });
  }
});

exitWithParent(() => {
  for (const s of sockets) s.disconnect();
});

try {
  // In batches: hundreds of simultaneous handshakes only measure the accept queue.
  for (let k = 0; k < cfg.clients; k += 25) {
    const batch: Promise<void>[] = [];
    for (let j = k; j < Math.min(cfg.clients, k + 25); j++) batch.push(connectOne(j));
    await Promise.all(batch);
  }
  report({ type: 'ready', subscribed: sockets.length });
} catch (err) {
  report({ type: 'error', message: (err as Error).message });
  process.exit(1);
}
