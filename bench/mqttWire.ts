/**
 * Just enough MQTT 3.1.1 for a cheap load generator: CONNECT, PUBLISH (QoS 0/1), PINGREQ and
 * DISCONNECT out; CONNACK, PUBACK and PINGRESP in. The publisher builds each message from a
 * pre-encoded template (only `ts` and the packet id change), so the load it puts on the shared
 * cores is a small fraction of what a general client costs, and the broker and consumer get them.
 */

export function encodeLength(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

function str(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length);
  return Buffer.concat([len, b]);
}

/** MQTT 3.1.1 CONNECT; with credentials, the username and password flags and fields (the embedded broker asks for them). */
export function connectPacket(clientId: string, keepaliveSec: number, clean = true, credentials?: { username: string; password: string }): Buffer {
  const flags = (clean ? 0x02 : 0) | (credentials ? 0xc0 : 0);
  const variable = Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, 4, flags, keepaliveSec >> 8, keepaliveSec & 0xff]);
  const payload = credentials ? Buffer.concat([str(clientId), str(credentials.username), str(credentials.password)]) : str(clientId);
  const rest = Buffer.concat([variable, payload]);
  return Buffer.concat([Buffer.from([0x10, ...encodeLength(rest.length)]), rest]);
}

export const PINGREQ = Buffer.from([0xc0, 0]);
export const DISCONNECT = Buffer.from([0xe0, 0]);

/** A PUBLISH packet with placeholders: 13 ASCII digits of `ts` at `tsOffset`, the packet id at `idOffset`. */
export interface PublishTemplate {
  bytes: Buffer;
  /** Offset of the 13 ts digits, or -1 when the payload has no ts placeholder. */
  tsOffset: number;
  /** Offset of the 2-byte packet id (QoS 1), or -1. */
  idOffset: number;
}

/** The marker a payload carries where its epoch-ms `ts` goes (13 digits, valid until 2286). */
export const TS_PLACEHOLDER = '1000000000000';

export function publishTemplate(topic: string, payload: string, qos: 0 | 1, retain = false): PublishTemplate {
  const t = str(topic);
  const p = Buffer.from(payload, 'utf8');
  const idLen = qos === 1 ? 2 : 0;
  const remaining = t.length + idLen + p.length;
  const head = Buffer.from([0x30 | (qos << 1) | (retain ? 1 : 0), ...encodeLength(remaining)]);
  const bytes = Buffer.concat([head, t, Buffer.alloc(idLen), p]);
  const payloadStart = head.length + t.length + idLen;
  const tsAt = p.indexOf(TS_PLACEHOLDER);
  return { bytes, tsOffset: tsAt < 0 ? -1 : payloadStart + tsAt, idOffset: qos === 1 ? head.length + t.length : -1 };
}

export type Incoming = { type: 'connack'; returnCode: number } | { type: 'puback'; id: number } | { type: 'pingresp' } | { type: 'other'; header: number };

/** Splits a byte stream into packets; keeps a partial packet until the rest arrives. */
export class PacketReader {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer, onPacket: (p: Incoming) => void): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    let off = 0;
    for (;;) {
      if (this.buf.length - off < 2) break;
      let len = 0;
      let mul = 1;
      let k = off + 1;
      let complete = false;
      for (; k < this.buf.length && k < off + 5; k++) {
        const b = this.buf[k]!;
        len += (b & 0x7f) * mul;
        mul *= 128;
        if ((b & 0x80) === 0) {
          complete = true;
          k++;
          break;
        }
      }
      if (!complete || this.buf.length - k < len) break;
      const header = this.buf[off]!;
      const body = this.buf.subarray(k, k + len);
      onPacket(decode(header, body));
      off = k + len;
    }
    this.buf = off === this.buf.length ? Buffer.alloc(0) : this.buf.subarray(off);
  }
}

function decode(header: number, body: Buffer): Incoming {
  switch (header >> 4) {
    case 2:
      return { type: 'connack', returnCode: body[1] ?? 255 };
    case 4:
      return { type: 'puback', id: body.readUInt16BE(0) };
    case 13:
      return { type: 'pingresp' };
    default:
      return { type: 'other', header };
  }
}
