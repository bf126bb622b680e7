/**
 * Puts a recording into the reading store, so a tester can have a recorded flood as history. Every telemetry
 * message of a registered device is validated with the contract's schemas (shared/mqtt.ts), flattened as
 * ingest does (server/ingest/values.ts) and appended in batches; everything else is skipped and counted by
 * reason. A message already stored (same device, metric and time) is counted as a duplicate, so importing a
 * recording twice is harmless.
 *
 * Unlike live ingest, no clock check: a recording's readings are in the past by design.
 */
import { TELEMETRY_SCHEMAS, parseTopic, type DeviceType } from '../../shared/mqtt';
import { toValues } from '../ingest/values';
import { TX_ROWS } from '../store/readings/open';
import { readingProblem, type Reading, type ReadingStore } from '../store/readings/port';
import { readRecordingFile, type RecordingFileReport } from './recordingFile';

export const SKIP_REASONS = ['badLine', 'topic', 'notTelemetry', 'unknownDevice', 'json', 'schema', 'unstorable'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export interface ImportCounts {
  /** Messages read from the recording (bad lines not included: they are in skipped.badLine). */
  read: number;
  /** Readings handed to the store. */
  readings: number;
  /** Value rows written (one per device, time and metric). */
  stored: number;
  /** Value rows the store already held. */
  duplicates: number;
  skipped: Record<SkipReason, number>;
  parts: number;
  truncatedParts: number;
}

export interface ImportOptions {
  file: string;
  store: ReadingStore;
  /** Device id → type, from the province's registry. */
  devices: ReadonlyMap<string, DeviceType>;
  /** Value rows per append, at least one reading (default TX_ROWS.sqlite: one short SQLite transaction). */
  batchRows?: number;
  onProgress?: (c: ImportCounts) => void;
}

export function emptyCounts(): ImportCounts {
  return {
    read: 0,
    readings: 0,
    stored: 0,
    duplicates: 0,
    skipped: Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as Record<SkipReason, number>,
    parts: 0,
    truncatedParts: 0,
  };
}

export async function importRecording(o: ImportOptions): Promise<ImportCounts> {
  const counts = emptyCounts();
  const batchRows = o.batchRows ?? TX_ROWS.sqlite;
  let rows = 0;
  const report: RecordingFileReport = { parts: 0, badLines: 0, truncated: 0 };
  let batch: Reading[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const written = await o.store.append(batch);
    counts.readings += batch.length;
    counts.stored += written.inserted;
    counts.duplicates += written.duplicates;
    batch = [];
    rows = 0;
    o.onProgress?.(counts);
  };
  for await (const m of readRecordingFile(o.file, report)) {
    counts.read++;
    const r = toReading(m.topic, m.payload, o.devices);
    if (typeof r === 'string') counts.skipped[r]++;
    else {
      batch.push(r);
      rows += Object.keys(r.values).length;
      if (rows >= batchRows) await flush();
    }
  }
  await flush();
  counts.skipped.badLine = report.badLines;
  counts.parts = report.parts;
  counts.truncatedParts = report.truncated;
  return counts;
}

/** The reading a recorded message carries, or why it carries none. */
export function toReading(topic: string, payload: Buffer, devices: ReadonlyMap<string, DeviceType>): Reading | SkipReason {
  const t = parseTopic(topic);
  if (t === null) return 'topic';
  if (t.channel !== 'telemetry') return 'notTelemetry';
  if (devices.get(t.deviceId) !== t.type) return 'unknownDevice';
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch {
    return 'json';
  }
  const r = TELEMETRY_SCHEMAS[t.type].safeParse(json);
  if (!r.success) return 'schema';
  const reading: Reading = { deviceId: t.deviceId, type: t.type, ts: r.data.ts, values: toValues(t.type, r.data) };
  return readingProblem(reading) === null ? reading : 'unstorable';
}

export function formatCounts(c: ImportCounts): string {
  const skipped = SKIP_REASONS.filter((r) => c.skipped[r] > 0).map((r) => `${r} ${c.skipped[r]}`);
  return [
    `read ${c.read} messages in ${c.parts} part(s)${c.truncatedParts > 0 ? ` (${c.truncatedParts} cut short)` : ''}`,
    `readings ${c.readings}: ${c.stored} values stored, ${c.duplicates} duplicate values`,
    `skipped ${skipped.length > 0 ? skipped.join(', ') : 'none'}`,
  ].join('\n');
}
