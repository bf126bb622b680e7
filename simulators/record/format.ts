/**
 * The recording format: gzip-compressed NDJSON, one JSON object per line. Each part starts with a header
 * line, then one line per MQTT message as the recorder received it:
 *
 *   {"recording":"ioc-mqtt","version":1,"part":0,"startedAt":1763800000000,"source":"mqtt://…","retainAsPublished":true}
 *   {"receivedAt":1763800000123,"topic":"ioc/v1/hydro/qng-hydro-0001/telemetry","qos":0,"retain":false,"payload":"{\"ts\":…}"}
 *
 * `payload` holds the payload as text when it is valid UTF-8, else `payloadBase64` holds its bytes.
 * Parts: FILE, then FILE.1, FILE.2, … in recording order, each a complete gzip stream
 * (`zcat FILE FILE.1 FILE.2` prints the whole recording).
 */
import { isUtf8 } from 'node:buffer';
import { z } from 'zod';

export const RECORDING_KIND = 'ioc-mqtt';
export const RECORDING_VERSION = 1;

export const headerSchema = z.object({
  recording: z.literal(RECORDING_KIND),
  version: z.literal(RECORDING_VERSION),
  part: z.number().int().nonnegative(),
  startedAt: z.number().finite(),
  source: z.string(),
  /**
   * Whether `retain` is the publisher's flag (MQTT 5 retain-as-published). Over MQTT 3.1.1 a live message
   * arrives with retain false whatever its publisher said, and only stored messages carry retain true.
   */
  retainAsPublished: z.boolean(),
});
export type RecordingHeader = z.infer<typeof headerSchema>;

export const lineSchema = z
  .object({
    receivedAt: z.number().finite(),
    topic: z.string().min(1),
    qos: z.union([z.literal(0), z.literal(1), z.literal(2)]),
    retain: z.boolean(),
    payload: z.string().optional(),
    payloadBase64: z.string().optional(),
  })
  .refine((l) => (l.payload === undefined) !== (l.payloadBase64 === undefined), 'exactly one of payload and payloadBase64');
export type RecordedLine = z.infer<typeof lineSchema>;

/** A message read back from a recording. */
export interface RecordedMessage {
  receivedAt: number;
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
  /** Header of the part it came from. */
  header: RecordingHeader;
}

export function encodeLine(m: { receivedAt: number; topic: string; payload: Buffer; qos: 0 | 1 | 2; retain: boolean }): string {
  const body: RecordedLine = { receivedAt: m.receivedAt, topic: m.topic, qos: m.qos, retain: m.retain };
  if (isUtf8(m.payload)) body.payload = m.payload.toString('utf8');
  else body.payloadBase64 = m.payload.toString('base64');
  return `${JSON.stringify(body)}\n`;
}

export function encodeHeader(h: RecordingHeader): string {
  return `${JSON.stringify(h)}\n`;
}

export type DecodedLine = { kind: 'header'; header: RecordingHeader } | { kind: 'message'; line: RecordedLine } | { kind: 'bad'; reason: string };

export function decodeLine(text: string): DecodedLine {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { kind: 'bad', reason: `not JSON: ${(err as Error).message}` };
  }
  const h = headerSchema.safeParse(json);
  if (h.success) return { kind: 'header', header: h.data };
  const l = lineSchema.safeParse(json);
  if (l.success) return { kind: 'message', line: l.data };
  return { kind: 'bad', reason: l.error.issues[0]?.message ?? 'not a recorded message' };
}

export function payloadOf(line: RecordedLine): Buffer {
  return line.payload !== undefined ? Buffer.from(line.payload, 'utf8') : Buffer.from(line.payloadBase64 ?? '', 'base64');
}

/** Path of part `n` of a recording. */
export function partPath(base: string, n: number): string {
  return n === 0 ? base : `${base}.${n}`;
}
