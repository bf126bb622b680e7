/**
 * Streams a recording back, part after part (FILE, FILE.1, …), line by line: memory stays bounded by one
 * line whatever the file's size. A part cut short (a recorder killed hard) yields what it holds; lines
 * that are not a recorded message are counted and skipped, never fatal.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { constants, createGunzip } from 'node:zlib';
import { decodeLine, partPath, payloadOf, type RecordedMessage, type RecordingHeader } from './format';

export interface ReadReport {
  parts: number;
  badLines: number;
  /** Parts that ended early (truncated gzip). */
  truncated: number;
}

/** The parts of a recording that exist, in order. */
export function recordingParts(base: string): string[] {
  const out: string[] = [];
  for (let n = 0; existsSync(partPath(base, n)); n++) out.push(partPath(base, n));
  return out;
}

export async function* readRecording(base: string, report: ReadReport = { parts: 0, badLines: 0, truncated: 0 }): AsyncGenerator<RecordedMessage> {
  const parts = recordingParts(base);
  if (parts.length === 0) throw new Error(`no recording at ${base}`);
  for (const path of parts) {
    report.parts++;
    // A sync flush at the end tolerates a part whose gzip trailer is missing.
    const gunzip = createGunzip({ finishFlush: constants.Z_SYNC_FLUSH });
    let failed = false;
    gunzip.on('error', () => {
      failed = true;
    });
    const lines = createInterface({ input: createReadStream(path).pipe(gunzip), crlfDelay: Infinity });
    let header: RecordingHeader | null = null;
    try {
      for await (const text of lines) {
        if (text.trim() === '') continue;
        const d = decodeLine(text);
        if (d.kind === 'header') header = d.header;
        else if (d.kind === 'bad' || header === null) report.badLines++;
        else {
          const l = d.line;
          yield { receivedAt: l.receivedAt, topic: l.topic, payload: payloadOf(l), qos: l.qos, retain: l.retain, header };
        }
      }
    } finally {
      lines.close();
    }
    if (failed) report.truncated++;
  }
}
