/** The recording format on disk: lines, rotation into parts, streaming back, damaged files. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRandom } from '../../shared/random';
import { RECORDING_KIND, decodeLine, encodeHeader, encodeLine, partPath, type RecordingHeader } from './format';
import { readRecording, recordingParts, type ReadReport } from './reader';
import { RotatingGzipWriter } from './rotatingWriter';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ioc-rec-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const header = (part: number): RecordingHeader => ({ recording: RECORDING_KIND, version: 1, part, startedAt: 1000, source: 'mqtt://x', retainAsPublished: true });

function makeMessage(k: number) {
  const r = createRandom(k + 1);
  // Every seventh payload is binary (not UTF-8), the rest JSON with some noise so it does not compress away.
  const payload =
    k % 7 === 3
      ? Buffer.from([0xff, 0xfe, k & 0xff, 0x80, 0x00])
      : Buffer.from(JSON.stringify({ ts: 1000 + k, v: r.next(), note: `tiếng Việt ${k}` }));
  return { receivedAt: 1000 + k * 10, topic: `ioc/v1/air/dev-${k % 5}/telemetry`, payload, qos: (k % 2) as 0 | 1, retain: k % 11 === 0 };
}

describe('lines', () => {
  it('keep UTF-8 payloads as text and others as base64, and read back the same bytes', () => {
    const text = makeMessage(1);
    const bin = makeMessage(3);
    const a = decodeLine(encodeLine(text).trim());
    const b = decodeLine(encodeLine(bin).trim());
    expect(a).toMatchObject({ kind: 'message', line: { payload: text.payload.toString(), topic: text.topic, qos: 1, retain: false } });
    expect(b).toMatchObject({ kind: 'message', line: { payloadBase64: bin.payload.toString('base64') } });
    expect(decodeLine(encodeHeader(header(2)).trim())).toEqual({ kind: 'header', header: header(2) });
    expect(decodeLine('{"topic":"x"}').kind).toBe('bad');
    expect(decodeLine('nonsense').kind).toBe('bad');
  });
});

describe('RotatingGzipWriter and readRecording', () => {
  it('rotates by compressed size into FILE, FILE.1, …, each a gzip stream, and reads back everything in order', async () => {
    const base = join(dir, 'rec.ndjson.gz');
    const writer = new RotatingGzipWriter(base, 4096, (n) => encodeHeader(header(n)));
    const sent = Array.from({ length: 3000 }, (_, k) => makeMessage(k));
    for (let k = 0; k < sent.length; k++) {
      writer.write(encodeLine(sent[k]!));
      // Let the compressor run now and then, as a live stream does.
      if (k % 100 === 99) await new Promise((r) => setTimeout(r, 5));
      // The writer flushes every second: parts close on their size as it reaches the disk.
      if (k % 1000 === 999) await new Promise((r) => setTimeout(r, 1100));
    }
    const stats = await writer.close();
    expect(stats.lines).toBe(3000);
    const parts = recordingParts(base);
    expect(parts.length).toBeGreaterThan(2);
    expect(parts[1]).toBe(`${base}.1`);
    for (const [n, p] of parts.entries()) {
      const lines = gunzipSync(await readFile(p)).toString().trim().split('\n');
      expect(JSON.parse(lines[0]!)).toMatchObject({ recording: 'ioc-mqtt', part: n });
    }
    const back = [];
    for await (const m of readRecording(base)) back.push(m);
    expect(back.map((m) => [m.topic, m.payload.toString('hex'), m.qos, m.retain, m.receivedAt])).toEqual(
      sent.map((m) => [m.topic, m.payload.toString('hex'), m.qos, m.retain, m.receivedAt]),
    );
  }, 20_000);

  it('refuses to overwrite a recording', async () => {
    const base = join(dir, 'old.ndjson.gz');
    await writeFile(base, 'x');
    const writer = new RotatingGzipWriter(base, 4096, (n) => encodeHeader(header(n)));
    await expect(writer.close()).rejects.toThrow(/EEXIST/);
  });

  it('reads what a part cut short holds, and counts lines that are not messages', async () => {
    const base = join(dir, 'cut.ndjson.gz');
    const text = [encodeHeader(header(0)), encodeLine(makeMessage(1)), 'garbage\n', encodeLine(makeMessage(2)), encodeLine(makeMessage(4))].join('');
    const full = gzipSync(text);
    await writeFile(partPath(base, 0), full.subarray(0, full.length - 12));
    const report: ReadReport = { parts: 0, badLines: 0, truncated: 0 };
    const back = [];
    for await (const m of readRecording(base, report)) back.push(m);
    expect(back.length).toBeGreaterThanOrEqual(2);
    expect(back[0]!.payload.toString()).toBe(makeMessage(1).payload.toString());
    // Every message line is read, or counted as bad when the cut went through it; the garbage line too.
    expect(back.length + report.badLines).toBe(4);
    expect(report.parts).toBe(1);
  });
});
