import { describe, expect, it } from 'vitest';
import { PACKED_BYTES_PER_DEVICE, packDevices, unpackDevices } from './packedDevices';

describe('packed devices', () => {
  it('round-trips i, on and ts in 13 bytes a device', () => {
    const patches = [
      { i: 0, on: 1 as const, ts: 1_700_000_000_123 },
      { i: 99_999, on: 0 as const, ts: 0 },
      { i: 7, on: 1 as const, ts: 1_700_000_000_250.5 },
    ];
    const packed = packDevices(patches);
    expect(packed.byteLength).toBe(3 * PACKED_BYTES_PER_DEVICE);
    const u = unpackDevices(packed.buffer)!;
    expect(u.n).toBe(3);
    expect(Array.from(u.i)).toEqual([0, 99_999, 7]);
    expect(Array.from(u.on)).toEqual([1, 0, 1]);
    expect(Array.from(u.ts)).toEqual([1_700_000_000_123, 0, 1_700_000_000_250.5]);
  });

  it('reads a Node Buffer at an unaligned offset (Socket.IO in Node hands over Buffers)', () => {
    const packed = packDevices([{ i: 5, on: 1, ts: 42 }]);
    const big = new Uint8Array(packed.byteLength + 3);
    big.set(packed, 3);
    const u = unpackDevices(Buffer.from(big.buffer, 3, packed.byteLength))!;
    expect(Array.from(u.i)).toEqual([5]);
    expect(Array.from(u.ts)).toEqual([42]);
  });

  it('refuses a buffer that is not a whole number of devices, or not binary', () => {
    expect(unpackDevices(new ArrayBuffer(14))).toBeNull();
    expect(unpackDevices('x' as unknown as ArrayBuffer)).toBeNull();
    expect(unpackDevices(new ArrayBuffer(0))!.n).toBe(0);
  });
});
