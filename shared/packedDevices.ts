/**
 * The bulk devices of a wall delta (bulk IoT: state and time only, no values) packed into one
 * binary buffer, which Socket.IO sends as a binary attachment: no JSON to build or parse for
 * 100,000 patches a tick, and the client copies the columns straight into its typed arrays.
 *
 * Layout for n devices (13 n bytes; the 8-byte column first keeps every view aligned):
 * Float64 ts[n] · Uint32 i[n] · Uint8 on[n]. Little-endian (every platform we serve is).
 */
import type { DevicePatch } from './events';

export const PACKED_BYTES_PER_DEVICE = 13;

export interface PackedDevices {
  n: number;
  ts: Float64Array;
  i: Uint32Array;
  on: Uint8Array;
}

/** Packs patches' i, on and ts (anything else they carry is not packed). */
export function packDevices(patches: readonly DevicePatch[]): Uint8Array<ArrayBuffer> {
  const n = patches.length;
  const buf = new ArrayBuffer(n * PACKED_BYTES_PER_DEVICE);
  const ts = new Float64Array(buf, 0, n);
  const idx = new Uint32Array(buf, n * 8, n);
  const on = new Uint8Array(buf, n * 12, n);
  for (let k = 0; k < n; k++) {
    const p = patches[k]!;
    ts[k] = p.ts;
    idx[k] = p.i;
    on[k] = p.on === 1 ? 1 : 0;
  }
  return new Uint8Array(buf);
}

/**
 * Packs devices straight from column arrays (the server's device table): `indices` picks the devices,
 * `online` and `lastSeen` are indexed by device. No object per device.
 */
export function packColumns(indices: ArrayLike<number>, online: ArrayLike<number>, lastSeen: ArrayLike<number>): Uint8Array<ArrayBuffer> {
  const n = indices.length;
  const buf = new ArrayBuffer(n * PACKED_BYTES_PER_DEVICE);
  const ts = new Float64Array(buf, 0, n);
  const idx = new Uint32Array(buf, n * 8, n);
  const on = new Uint8Array(buf, n * 12, n);
  for (let k = 0; k < n; k++) {
    const i = indices[k]!;
    ts[k] = lastSeen[i]!;
    idx[k] = i;
    on[k] = online[i] === 1 ? 1 : 0;
  }
  return new Uint8Array(buf);
}

/**
 * Views over a packed buffer (an ArrayBuffer in the browser, a Buffer in Node); null when its
 * length is not a whole number of devices. An unaligned Node Buffer is copied first.
 */
export function unpackDevices(data: ArrayBuffer | ArrayBufferView): PackedDevices | null {
  let buf: ArrayBuffer;
  let offset = 0;
  let length: number;
  if (data instanceof ArrayBuffer) {
    buf = data;
    length = data.byteLength;
  } else if (ArrayBuffer.isView(data) && data.buffer instanceof ArrayBuffer) {
    buf = data.buffer;
    offset = data.byteOffset;
    length = data.byteLength;
    if (offset % 8 !== 0) {
      buf = new Uint8Array(buf, offset, length).slice().buffer;
      offset = 0;
    }
  } else {
    return null;
  }
  if (length % PACKED_BYTES_PER_DEVICE !== 0) return null;
  const n = length / PACKED_BYTES_PER_DEVICE;
  return {
    n,
    ts: new Float64Array(buf, offset, n),
    i: new Uint32Array(buf, offset + n * 8, n),
    on: new Uint8Array(buf, offset + n * 12, n),
  };
}
