/**
 * What clients may ask, as zod schemas: Socket.IO requests and HTTP query strings and bodies. The server
 * validates every request with these (STYLE.md 3) and the request types in events.ts are inferred from
 * them (STYLE.md 22), so the two sides cannot drift.
 */
import { z } from 'zod';
import { DEVICE_TYPES } from './mqtt';
import { VIEWS } from './events';

export const subscribeRequestSchema = z.object({ view: z.enum(VIEWS) });
export type SubscribeRequest = z.infer<typeof subscribeRequestSchema>;

/** Who an alarm is assigned to: a name typed by the operator (a person or a team on the ground). */
const assignee = z.string().trim().min(1, 'assignee required').max(64);
const note = z.string().trim().max(2000);
const alarmId = z.number().int().positive();

/**
 * Alarm actions: the socket request carries the alarm id; the HTTP body leaves it to the path. Who acts is
 * the logged-in user, never a field of the request (an `actor` sent by an older client is ignored).
 */
export const alarmActionBodySchemas = {
  acknowledge: z.object({ note: note.optional() }),
  assign: z.object({ assignee }),
  resolve: z.object({ note: note.min(1, 'a note is required to resolve') }),
} as const;
export type AlarmAction = keyof typeof alarmActionBodySchemas;

export const alarmAckRequestSchema = alarmActionBodySchemas.acknowledge.extend({ id: alarmId });
export const alarmAssignRequestSchema = alarmActionBodySchemas.assign.extend({ id: alarmId });
export const alarmResolveRequestSchema = alarmActionBodySchemas.resolve.extend({ id: alarmId });
export type AlarmAckRequest = z.infer<typeof alarmAckRequestSchema>;
export type AlarmAssignRequest = z.infer<typeof alarmAssignRequestSchema>;
export type AlarmResolveRequest = z.infer<typeof alarmResolveRequestSchema>;

/** A path parameter that names an alarm. */
export const alarmIdParamSchema = z.coerce.number().int().positive();

/** GET /api/devices: the whole registry, or a filtered page of it. */
export const DEVICE_PAGE_MAX = 5000;
export const deviceQuerySchema = z.object({
  type: z.enum(DEVICE_TYPES).optional(),
  commune: z.string().regex(/^\d{5}$/).optional(),
  offset: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(DEVICE_PAGE_MAX).optional(),
});
export type DeviceQuery = z.infer<typeof deviceQuerySchema>;

/** GET /api/devices/:id/history: a station's recent readings, bucketed. */
export const stationHistoryQuerySchema = z.object({
  hours: z.coerce.number().min(1).max(24).default(24),
  bucketMin: z.coerce.number().int().min(1).max(60).default(5),
});
export type StationHistoryQuery = z.infer<typeof stationHistoryQuerySchema>;

/** GET /api/devices/:id/readings: a device's stored readings, raw or from the store's rollups. */
export const READING_BUCKETS = ['raw', '1m', '1h'] as const;
export type ReadingBucket = (typeof READING_BUCKETS)[number];
/** Width of a stored bucket (UTC-aligned; a bucket's `ts` is its start). */
export const READING_BUCKET_MS = { '1m': 60_000, '1h': 3_600_000 } as const;
const DAY_MS = 86_400_000;
/** The default look-back when `from` is absent. */
export const READINGS_DEFAULT_SPAN_MS = DAY_MS;
/** Longest range per bucket: raw rows are many; hourly buckets are few, any range the store still holds. */
export const READINGS_MAX_SPAN_MS: Record<ReadingBucket, number> = { raw: 7 * DAY_MS, '1m': 31 * DAY_MS, '1h': Number.POSITIVE_INFINITY };
/** Most raw points in one answer; beyond, `truncated` is set and the rest is asked for from the last ts + 1. */
export const READINGS_RAW_MAX_POINTS = 20_000;
/** 2000-01-01 … 2100-01-01, the reading store's bounds. */
const INSTANT_MIN = 946_684_800_000;
const INSTANT_MAX = 4_102_444_800_000;
// A zone is required (Z or ±hh:mm): a time without one means a different instant on each machine.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/** An instant as epoch milliseconds or ISO-8601 (a date alone is UTC midnight). */
const instant = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const ms = /^\d{1,16}$/.test(s) ? Number(s) : ISO_INSTANT.test(s) ? Date.parse(s) : Number.NaN;
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: 'custom', message: 'must be ISO-8601 with a zone (2026-12-04T10:00:00Z, 2026-12-04T17:00+07:00) or epoch milliseconds' });
      return z.NEVER;
    }
    if (ms < INSTANT_MIN || ms >= INSTANT_MAX) {
      ctx.addIssue({ code: 'custom', message: 'must be between 2000 and 2100 (epoch milliseconds, not seconds)' });
      return z.NEVER;
    }
    return ms;
  });

export const readingsQuerySchema = z.object({
  from: instant.optional(),
  to: instant.optional(),
  bucket: z.enum(READING_BUCKETS).default('raw'),
});
export type ReadingsQuery = z.infer<typeof readingsQuerySchema>;

/** GET /api/history/snapshot: every device's state at an instant of the past (or now). */
export const historySnapshotQuerySchema = z.object({ at: instant });
export type HistorySnapshotQuery = z.infer<typeof historySnapshotQuerySchema>;

/** GET /api/export/readings.csv: one device type's stored readings over a range (default the last 24 h, at most 31 days). */
export const EXPORT_MAX_SPAN_MS = 31 * DAY_MS;
export const exportReadingsQuerySchema = z.object({
  type: z.enum(DEVICE_TYPES),
  from: instant.optional(),
  to: instant.optional(),
});
export type ExportReadingsQuery = z.infer<typeof exportReadingsQuerySchema>;

/** GET /api/export/stations.geojson: the registry's devices as points, optionally one type. */
export const exportStationsQuerySchema = z.object({ type: z.enum(DEVICE_TYPES).optional() });

/** The range a readings query asks for, with its defaults (`to` now, `from` a day before), or why it cannot be served. */
export function resolveReadingsRange(
  q: ReadingsQuery,
  now: number,
): { from: number; to: number; bucket: ReadingBucket } | { error: string } {
  const to = q.to ?? now;
  const from = q.from ?? to - READINGS_DEFAULT_SPAN_MS;
  if (from >= to) return { error: `from must be before to (from ${new Date(from).toISOString()}, to ${new Date(to).toISOString()})` };
  const max = READINGS_MAX_SPAN_MS[q.bucket];
  if (to - from > max) return { error: `bucket ${q.bucket}: the range may be at most ${max / DAY_MS} days; use a coarser bucket` };
  return { from, to, bucket: q.bucket };
}

/** Stats of one metric over a bucket (`sum` is the total of an amount, e.g. rain in mm). */
export const readingBucketStatsSchema = z.object({ mean: z.number(), min: z.number(), max: z.number(), sum: z.number(), count: z.number() });
export type ReadingBucketStats = z.infer<typeof readingBucketStatsSchema>;

const readingsRange = { id: z.string(), from: z.number(), to: z.number() };
export const rawReadingsResponseSchema = z.object({
  ...readingsRange,
  bucket: z.literal('raw'),
  points: z.array(z.object({ ts: z.number(), values: z.record(z.string(), z.number()) })),
  truncated: z.boolean(),
});
export const bucketedReadingsResponseSchema = z.object({
  ...readingsRange,
  bucket: z.enum(['1m', '1h']),
  points: z.array(z.object({ ts: z.number(), metrics: z.record(z.string(), readingBucketStatsSchema) })),
});
/** The answer of GET /api/devices/:id/readings; `from` and `to` are epoch ms. Gaps are absent points, never bridged. */
export const deviceReadingsResponseSchema = z.discriminatedUnion('bucket', [rawReadingsResponseSchema, bucketedReadingsResponseSchema]);
export type DeviceReadingsResponse = z.infer<typeof deviceReadingsResponseSchema>;
export type BucketedReadingsResponse = z.infer<typeof bucketedReadingsResponseSchema>;
