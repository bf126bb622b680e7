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

/** The operator's name, until sign-in exists (the security issue replaces it with the identity). */
const actor = z.string().trim().min(1, 'operator name required').max(64);
const note = z.string().trim().max(2000);
const alarmId = z.number().int().positive();

/** Alarm actions: the socket request carries the alarm id; the HTTP body leaves it to the path. */
export const alarmActionBodySchemas = {
  acknowledge: z.object({ actor, note: note.optional() }),
  assign: z.object({ actor, assignee: actor }),
  resolve: z.object({ actor, note: note.min(1, 'a note is required to resolve') }),
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
