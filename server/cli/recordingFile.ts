/**
 * Reads a recording as a file (server/ may not import simulators/): every part (FILE, FILE.1, …), gunzipped
 * line by line, decoded with the format's schemas in shared/recording.ts. A bad line is counted, never fatal;
 * a part cut short yields what it holds.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { constants, createGunzip } from 'node:zlib';
import { decodeLine, partPath, type RecordingHeader } from '../../shared/recording';

export interface RecordingFileReport {
  parts: number;
  badLines: number;
  truncated: number;
}

export interface RecordingFileMessage {
  receivedAt: number;
  topic: string;
  payload: Buffer;
  header: RecordingHeader;
}

export function recordingFileParts(base: string): string[] {
  const out: string[] = [];
  for (let n = 0; existsSync(partPath(base, n)); n++) out.push(partPath(base, n));
  return out;
}

export async function* readRecordingFile(base: string, report: RecordingFileReport): AsyncGenerator<RecordingFileMessage> {
  const parts = recordingFileParts(base);
  if (parts.length === 0) throw new Error(`no recording at ${base}`);
  for (const file of parts) {
    report.parts++;
    const gunzip = createGunzip({ finishFlush: constants.Z_SYNC_FLUSH });
    let failed = false;
    gunzip.on('error', () => {
      failed = true;
    });
    const lines = createInterface({ input: createReadStream(file).pipe(gunzip), crlfDelay: Infinity });
    let header: RecordingHeader | null = null;
    try {
      for await (const text of lines) {
        if (text.trim() === '') continue;
        const d = decodeLine(text);
        if (d.kind === 'header') header = d.header;
        else if (d.kind === 'bad' || header === null) report.badLines++;
        else {
          const l = d.line;
          const payload = l.payload !== undefined ? Buffer.from(l.payload, 'utf8') : Buffer.from(l.payloadBase64 ?? '', 'base64');
          yield { receivedAt: l.receivedAt, topic: l.topic, payload, header };
        }
      }
    } finally {
      lines.close();
    }
    if (failed) report.truncated++;
  }
}
