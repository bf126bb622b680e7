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

export {
  RECORDING_KIND,
  RECORDING_VERSION,
  headerSchema,
  lineSchema,
  decodeLine,
  partPath,
  type RecordingHeader,
  type RecordedLine,
  type DecodedLine,
} from '../../shared/recording';
import type { RecordedLine, RecordingHeader } from '../../shared/recording';

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

export function payloadOf(line: RecordedLine): Buffer {
  return line.payload !== undefined ? Buffer.from(line.payload, 'utf8') : Buffer.from(line.payloadBase64 ?? '', 'base64');
}

