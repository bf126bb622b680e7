/**
 * The recording format's pure half (the recorder and replayer are in simulators/record/, the history import is
 * in server/cli/): its header and line schemas, the decoding of one line, the parts' names. No I/O, so the
 * format has one owner that both sides read (STYLE.md 22). The format itself is described in
 * simulators/record/format.ts.
 */
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

/** Path of part `n` of a recording. */
export function partPath(base: string, n: number): string {
  return n === 0 ? base : `${base}.${n}`;
}
